// Hot-path socket I/O that never throws: each call returns what happened as a small enum,
// nginx's NGX_OK / NGX_AGAIN / NGX_ERROR plus "the peer closed". errno is classified here,
// once: EINTR is retried, EAGAIN/EWOULDBLOCK is kAgain, ECONNRESET/EPIPE are kClosed, the
// rest kError with the errno kept for the log. nginx counterpart: ngx_unix_recv() /
// ngx_unix_send(). Introduced in chapter 00 (blocking sockets only ever see kOk/kClosed/kError;
// kAgain appears from chapter 04 on). Alternative not taken: exceptions on the hot path.
#pragma once

#include <sys/uio.h>

#include <cstddef>
#include <span>

namespace kit {

enum class IoStatus { kOk, kAgain, kClosed, kError };

struct IoResult {
  IoStatus status = IoStatus::kOk;
  size_t bytes = 0;  // bytes moved when status == kOk
  int err = 0;       // errno when status == kError (or kClosed by reset)
};

// One read(2); 0 bytes read is kClosed (orderly shutdown by the peer).
IoResult read_some(int fd, std::span<char> buf);

// One send(2) with MSG_NOSIGNAL, so a closed peer is EPIPE (kClosed), never SIGPIPE.
IoResult write_some(int fd, std::span<const char> buf);

// One writev(2) over several buffers (headers + body in one syscall).
IoResult writev_some(int fd, std::span<const iovec> iov);

// Blocking sockets: write everything or fail. kOk means all bytes went out.
IoResult write_all(int fd, std::span<const char> buf);

}  // namespace kit
