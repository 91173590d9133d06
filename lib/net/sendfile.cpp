#include "net/sendfile.hpp"

#include <sys/sendfile.h>

#include <cerrno>

namespace kit {

IoResult sendfile_some(int sock, int file, uint64_t offset, size_t count) {
  auto off = static_cast<off_t>(offset);  // sendfile advances its own copy, not the file's
  ssize_t n;
  do {
    n = ::sendfile(sock, file, &off, count);
  } while (n < 0 && errno == EINTR);
  if (n >= 0) return {IoStatus::kOk, static_cast<size_t>(n), 0};
  const int err = errno;
  if (err == EAGAIN || err == EWOULDBLOCK) return {IoStatus::kAgain, 0, err};
  if (err == ECONNRESET || err == EPIPE) return {IoStatus::kClosed, 0, err};
  return {IoStatus::kError, 0, err};
}

}  // namespace kit
