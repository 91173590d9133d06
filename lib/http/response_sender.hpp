// ResponseSender: sends one Response — head and in-memory body with one sendmsg, then the
// file range through a 16 KiB copy buffer (pread + send), or from chapter 12 with sendfile(2)
// (net/sendfile.hpp) between TCP_CORK on and off (net/tcp_nopush.hpp) — resumable: on a
// non-blocking socket send() returns kAgain when the socket buffer is full and continues from the
// same byte on the next call; on a blocking socket it simply returns when everything went out.
//
//   progress: | head | memory body | file [offset, offset+length) |
//              ^sent_ counts head+body bytes, file_sent_ the file's; chunk_ holds file bytes
//               read but not yet accepted by the socket
//
// Invariant: never sends more or fewer body bytes than Content-Length promised — if the file
// shrinks while being sent, send() returns kError and the caller closes the connection (the
// client sees a short body; nginx: "file was truncated" in ngx_output_chain()).
// Owns the Response (its file fd) and the copy buffer, which exists only while a file is being
// sent, so an idle connection holds none. nginx counterpart: ngx_http_write_filter() with
// ngx_output_chain() reading file buffers (sendfile off). Introduced in chapter 00; chapter 12
// adds the sendfile(2) path (nginx: ngx_linux_sendfile_chain()). Alternative not taken: mmap
// (SIGBUS when the file is truncated).
#pragma once

#include <cstdint>
#include <memory_resource>
#include <optional>

#include "http/response.hpp"
#include "net/io.hpp"

namespace kit::http {

// Chapter 12: how a file body leaves. Both off: pread into the copy buffer and send (chapters
// 00-11; nginx `sendfile off`).
struct SendOptions {
  bool sendfile = false;    // nginx `sendfile on`: sendfile(2), no copy through user space
  bool tcp_nopush = false;  // nginx `tcp_nopush on`: with sendfile, cork head + first file bytes
};

class ResponseSender {
 public:
  ResponseSender() = default;
  explicit ResponseSender(Response response) { start(std::move(response)); }
  ~ResponseSender() { release_chunk(); }
  ResponseSender(const ResponseSender&) = delete;
  ResponseSender& operator=(const ResponseSender&) = delete;

  void start(Response response);
  void configure(SendOptions options) { options_ = options; }
  // kOk when all was sent; kAgain: wait until writable and call again; kClosed/kError: close.
  IoStatus send(int fd);

  [[nodiscard]] bool active() const { return active_; }
  // The response being sent (an empty one before start()).
  [[nodiscard]] const Response& response() const;
  // Bytes written so far (head + body + file): for logs and tests.
  [[nodiscard]] uint64_t bytes_sent() const { return sent_ + file_sent_; }
  // Drops the response and the copy buffer.
  void clear();

 private:
  IoStatus send_memory(int fd);
  IoStatus send_file(int fd);
  IoStatus sendfile_file(int fd);
  IoStatus refill_chunk();
  void release_chunk();

  // Constructed in place by start(), never assigned: a moved-in Response keeps the memory
  // resource its head was built in (chapter 09: the request pool), where assignment would
  // copy it into the destination's.
  std::optional<Response> response_;
  SendOptions options_;
  bool active_ = false;
  bool corked_ = false;     // TCP_CORK is on for this response (chapter 12)
  size_t sent_ = 0;         // of head + memory body
  uint64_t file_sent_ = 0;  // of the file range
  // The copy buffer: min(16 KiB, file length) bytes from the response head's memory resource.
  char* chunk_ = nullptr;
  size_t chunk_size_ = 0;
  std::pmr::memory_resource* chunk_mem_ = nullptr;
  size_t chunk_pos_ = 0, chunk_len_ = 0;
};

}  // namespace kit::http
