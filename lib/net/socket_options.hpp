// Per-socket options the chapters switch on, each a named function so main() reads as prose.
// Failures here are set-up errors and throw (lib/core/sys_error.hpp).
// nginx counterparts: ngx_nonblocking(), ngx_tcp_nodelay(), the `tcp_nodelay` directive.
// Introduced in chapter 00 (receive timeout) and chapter 04 (non-blocking).
#pragma once

#include <chrono>

namespace kit {

void set_nonblocking(int fd);

// Disable Nagle's algorithm: a keep-alive response's last small segment must not wait for
// the client's delayed ACK (nginx `tcp_nodelay on`, its default).
void set_nodelay(int fd, bool on = true);

// Blocking chapters only: a read that waits longer than `timeout` fails with EAGAIN, so a
// silent client cannot hold a thread or the whole iterative server forever
// (the blocking-world stand-in for nginx's client_header_timeout; chapter 08 does it with timers).
void set_receive_timeout(int fd, std::chrono::milliseconds timeout);

}  // namespace kit
