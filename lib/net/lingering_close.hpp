// Closing a connection whose client may still be sending (we answered a bad request before
// reading all of it). close() with unread bytes in the receive queue makes the kernel send
// RST, and an RST can destroy our error response in the client's buffers before the client
// reads it. So: shutdown(SHUT_WR) (our response is followed by FIN), then read and discard
// for a short while until the client closes too. nginx counterpart:
// ngx_http_set_lingering_close() with lingering_time 30s / lingering_timeout 5s; the blocking
// chapters use shorter bounds because a lingering client ties up a whole thread or process.
// Introduced in chapter 00.
#pragma once

#include "core/fd.hpp"

namespace kit {

// Blocking sockets: linger at most ~2 s or 64 KiB of discarded input, then close.
void lingering_close_blocking(Fd fd);

// Non-blocking sockets in an event loop, until chapter 08 brings timers to linger properly:
// shutdown(SHUT_WR), discard what has already arrived (at most 64 KiB, no waiting), close.
// Covers the common case — a bad request that arrived whole — without a timer.
void close_discarding_input(Fd fd);

}  // namespace kit
