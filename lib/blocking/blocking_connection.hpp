// serve_connection(): one client connection served with blocking I/O, request after request
// (keep-alive), pipelined requests answered in order, until the client closes, asks to close,
// sends something malformed, or stays silent for receive_timeout.
//
//  buf_: | answered requests (dropped) | current request head | body | next pipelined ... |
//                                       ^start_
//
// Owns the connection (closes it on return); borrows the site. Request bodies are read and
// discarded so keep-alive survives a POST (nginx's ngx_http_discard_request_body()).
// nginx counterpart: ngx_http_wait_request_handler() → ngx_http_process_request_line() →
// ngx_http_process_request_headers() → ngx_http_finalize_request(), but blocking: the thread
// (or the whole iterative server) waits inside read(). Introduced in chapter 00; used by the
// blocking chapters 00–03. Chapter 07 replaces it with a resumable connection state machine.
#pragma once

#include <chrono>
#include <cstdint>

#include "core/fd.hpp"
#include "static/static_file.hpp"

namespace kit {

struct BlockingOptions {
  // A client silent this long is dropped: the blocking stand-in for nginx's
  // client_header_timeout (60s) and keepalive_timeout (75s); chapter 08 uses real timers.
  std::chrono::milliseconds receive_timeout{60'000};
  // Bodies up to this size are read and discarded; larger ones get 413 and a close
  // (nginx client_max_body_size, default 1m).
  uint64_t max_body = 1024 * 1024;
};

void serve_connection(Fd client, const http::StaticSite& site, const BlockingOptions& options = {});

}  // namespace kit
