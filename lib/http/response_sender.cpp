#include "http/response_sender.hpp"

#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>

#include "core/log.hpp"
#include "net/sendfile.hpp"
#include "net/tcp_nopush.hpp"

namespace kit::http {
namespace {

// 16 KiB: a 1 MiB file is 64 send() calls, and the buffer is small enough to allocate per
// sending connection (nginx's output_buffers default is 2 × 32k).
constexpr size_t kChunkSize = 16 * 1024;

// Bytes asked of one sendfile() call: a connection on a fast network cannot keep the loop in
// one call for long (nginx sendfile_max_chunk, 2m by default).
constexpr uint64_t kSendfileMaxChunk = 2 * 1024 * 1024;

}  // namespace

void ResponseSender::start(Response response) {
  release_chunk();
  response_.emplace(std::move(response));
  active_ = true;
  sent_ = 0;
  file_sent_ = 0;
  chunk_pos_ = chunk_len_ = 0;
  corked_ = false;
}

const Response& ResponseSender::response() const {
  static const Response kNone;
  return response_ ? *response_ : kNone;
}

void ResponseSender::clear() {
  response_.reset();
  active_ = false;
  release_chunk();
  chunk_pos_ = chunk_len_ = 0;
}

// ---- lesson: ch12 head and file in full segments ----
IoStatus ResponseSender::send(int fd) {
  const bool zero_copy = options_.sendfile && response_->file;
  // Corked before the head's first byte: the head waits in the socket for the file's bytes.
  if (zero_copy && options_.tcp_nopush && !corked_ && sent_ == 0) corked_ = tcp_nopush(fd);
  IoStatus s = send_memory(fd);
  if (s == IoStatus::kOk && response_->file) s = zero_copy ? sendfile_file(fd) : send_file(fd);
  if (s == IoStatus::kOk) {
    // Uncorked once all is written, so the last partial segment leaves now (nginx pushes
    // in ngx_http_set_keepalive()); TCP_NODELAY, set at accept, then applies again.
    if (corked_) corked_ = !tcp_push(fd);
    active_ = false;
    release_chunk();
  }
  return s;
}
// ---- end lesson ----

// Head and memory body: sendmsg may stop anywhere, so advance through both buffers.
IoStatus ResponseSender::send_memory(int fd) {
  const std::pmr::string& head = response_->head;
  const std::string_view body = response_->memory_body();
  while (sent_ < head.size() + body.size()) {
    std::array<iovec, 2> iov{};
    size_t n = 0;
    if (sent_ < head.size()) {
      iov[n++] = {const_cast<char*>(head.data() + sent_), head.size() - sent_};
      if (!body.empty()) iov[n++] = {const_cast<char*>(body.data()), body.size()};
    } else {
      const size_t off = sent_ - head.size();
      iov[n++] = {const_cast<char*>(body.data() + off), body.size() - off};
    }
    IoResult r = writev_some(fd, std::span<const iovec>(iov.data(), n));
    if (r.status != IoStatus::kOk) return r.status;
    sent_ += r.bytes;
  }
  return IoStatus::kOk;
}

// ---- lesson: ch12 sendfile ----
// The file range straight from the page cache: no copy buffer, no pread. sendfile() stops when
// the socket buffer is full (kAgain: resume at file_sent_ when writable) or when the file ends
// early — a truncated file, for which the promised Content-Length can no longer be kept: the
// connection is closed rather than sending anything else.
IoStatus ResponseSender::sendfile_file(int fd) {
  const FileBody& file = *response_->file;
  while (file_sent_ < file.length) {
    const auto want = static_cast<size_t>(std::min(file.length - file_sent_, kSendfileMaxChunk));
    const IoResult r = sendfile_some(fd, file.fd(), file.offset + file_sent_, want);
    if (r.status == IoStatus::kError) log_errno(LogLevel::kError, r.err, "sendfile()");
    if (r.status != IoStatus::kOk) return r.status;
    if (r.bytes == 0) {
      log(LogLevel::kError,
          "sendfile() reached the end of the file with {} bytes still to send: file was truncated",
          file.length - file_sent_);
      return IoStatus::kError;
    }
    file_sent_ += r.bytes;
  }
  return IoStatus::kOk;
}
// ---- end lesson ----

IoStatus ResponseSender::send_file(int fd) {
  const FileBody& file = *response_->file;
  while (file_sent_ < file.length) {
    if (chunk_pos_ == chunk_len_) {
      IoStatus s = refill_chunk();
      if (s != IoStatus::kOk) return s;
    }
    IoResult r =
        write_some(fd, std::span<const char>(chunk_ + chunk_pos_, chunk_len_ - chunk_pos_));
    if (r.status != IoStatus::kOk) return r.status;
    chunk_pos_ += r.bytes;
    file_sent_ += r.bytes;
  }
  return IoStatus::kOk;
}

// Reads the next part of the file range into the copy buffer.
IoStatus ResponseSender::refill_chunk() {
  const FileBody& file = *response_->file;
  if (chunk_ == nullptr) {
    chunk_mem_ = response_->head.get_allocator().resource();
    chunk_size_ = static_cast<size_t>(std::min<uint64_t>(file.length, kChunkSize));
    chunk_ = static_cast<char*>(chunk_mem_->allocate(chunk_size_, 1));
  }
  const uint64_t left = file.length - file_sent_;
  const size_t want = static_cast<size_t>(std::min<uint64_t>(left, chunk_size_));
  ssize_t n;
  do {
    n = ::pread(file.fd(), chunk_, want, static_cast<off_t>(file.offset + file_sent_));
  } while (n < 0 && errno == EINTR);
  if (n <= 0) {
    log(LogLevel::kError,
        "pread() returned {} with {} bytes of the file still to send: file was "
        "truncated",
        n, left);
    return IoStatus::kError;
  }
  chunk_pos_ = 0;
  chunk_len_ = static_cast<size_t>(n);
  return IoStatus::kOk;
}

void ResponseSender::release_chunk() {
  if (chunk_ == nullptr) return;
  chunk_mem_->deallocate(chunk_, chunk_size_, 1);
  chunk_ = nullptr;
}

}  // namespace kit::http
