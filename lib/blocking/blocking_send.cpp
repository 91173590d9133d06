#include "blocking/blocking_send.hpp"

#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>

#include "core/log.hpp"

namespace kit {
namespace {

// 16 KiB: large enough that a 1 MiB file is 64 send() calls, small enough for the 256 KiB
// thread stacks of chapter 02 (nginx's output_buffers default is 2 × 32k, heap-allocated).
constexpr size_t kCopyBufferSize = 16 * 1024;

// Sends all of head + body; sendmsg may stop anywhere, so advance through both buffers.
IoStatus send_head_and_body(int fd, std::string_view head, std::string_view body) {
  size_t sent = 0;
  const size_t total = head.size() + body.size();
  while (sent < total) {
    std::array<iovec, 2> iov{};
    size_t n = 0;
    if (sent < head.size()) {
      iov[n++] = {const_cast<char*>(head.data() + sent), head.size() - sent};
      iov[n++] = {const_cast<char*>(body.data()), body.size()};
    } else {
      const size_t off = sent - head.size();
      iov[n++] = {const_cast<char*>(body.data() + off), body.size() - off};
    }
    IoResult r = writev_some(fd, std::span<const iovec>(iov.data(), n));
    if (r.status != IoStatus::kOk) return r.status;
    sent += r.bytes;
  }
  return IoStatus::kOk;
}

IoStatus send_file_range(int fd, const http::FileBody& file) {
  std::array<char, kCopyBufferSize> buf;
  uint64_t offset = file.offset;
  uint64_t left = file.length;
  while (left > 0) {
    const size_t want = static_cast<size_t>(std::min<uint64_t>(left, buf.size()));
    ssize_t n = ::pread(file.file.get(), buf.data(), want, static_cast<off_t>(offset));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      log(LogLevel::kError, "pread() of a file being sent returned {} at offset {} ({} bytes "
          "short): file was truncated", n, offset, left);
      return IoStatus::kError;
    }
    IoResult r = write_all(fd, std::span<const char>(buf.data(), static_cast<size_t>(n)));
    if (r.status != IoStatus::kOk) return r.status;
    offset += static_cast<uint64_t>(n);
    left -= static_cast<uint64_t>(n);
  }
  return IoStatus::kOk;
}

}  // namespace

IoStatus send_response_blocking(int fd, const http::Response& response) {
  IoStatus s = send_head_and_body(fd, response.head, response.body);
  if (s != IoStatus::kOk || !response.file) return s;
  return send_file_range(fd, *response.file);
}

}  // namespace kit
