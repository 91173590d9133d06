// Sending one Response over a blocking socket: head and in-memory body in one sendmsg (so a
// small response is one TCP segment), then a file body copied through a buffer with
// pread + send. Returns kOk only if every byte went out.
// Invariant: never sends more or fewer body bytes than Content-Length promised — if the file
// shrank while being sent, it stops and returns kError so the caller closes the connection
// (the client then sees a short body and knows it is broken; nginx does the same:
// "file was truncated" in ngx_output_chain()). Introduced in chapter 00; chapter 12 replaces
// the copy with sendfile(2). Alternative not taken: mmap (SIGBUS when the file is truncated).
#pragma once

#include "http/response.hpp"
#include "net/io.hpp"

namespace kit {

IoStatus send_response_blocking(int fd, const http::Response& response);

}  // namespace kit
