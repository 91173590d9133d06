// HttpConnection: one HTTP/1.1 connection in an edge-triggered event loop (chapter 07) — the
// per-connection state machine nginx builds from ngx_http_wait_request_handler(),
// ngx_http_process_request_line(), ngx_http_process_request_headers(),
// ngx_http_discard_request_body(), ngx_http_writer() and ngx_http_set_keepalive().
//
//   READING_REQUEST_LINE ─▶ READING_HEADERS ─▶ READING_BODY ─▶ HANDLING ─▶ SENDING_HEADERS
//      ▲        (bad request: answer the error, then CLOSE)                       │
//      │ bytes arrive / pipelined bytes waiting                                   ▼
//   KEEPALIVE_WAIT ◀──────────── response sent, keep-alive ◀──────────── SENDING_BODY
//      └─ peer closed / Connection: close / I/O error ─────────────────────────▶ CLOSE
//
// Edge-triggered readiness is reported once per change, so the connection remembers it the
// way nginx's ev->ready flags do: read_ready_ stays true until a read returns EAGAIN,
// write_ready_ until a write does. Every state can stop at EAGAIN and resume from the same
// byte at the next event. A request that is complete is answered before reading further
// (bytes left in the socket keep read_ready_ true, so nothing is lost without a new edge);
// pipelined requests already in the buffer are answered in order without waiting for events.
// EPOLLOUT is asked for only while a write would block (kArmWrite / kDisarmWrite).
// While waiting for the next request the read buffer, parser and copy buffer are released:
// an idle keep-alive connection holds little more than this object.
// Owns the fd; borrows the handler and the loop's DateCache. Introduced in chapter 07; replaces
// HttpSession (chapters 04–06, level-triggered).
#pragma once

#include <cstdint>
#include <memory_resource>
#include <optional>
#include <string>
#include <string_view>

#include "core/fd.hpp"
#include "http/access_log.hpp"
#include "http/body_discarder.hpp"
#include "http/handler.hpp"
#include "http/http_date.hpp"
#include "http/request_head.hpp"
#include "http/request_parser.hpp"
#include "http/response_sender.hpp"
#include "http/stub_status.hpp"
#include "pool/pool.hpp"
#include "static/static_file.hpp"

namespace kit {

// What the event loop must do with the connection's registration after an event.
enum class ConnectionAction {
  kNone,         // keep watching as before (EPOLLIN | EPOLLET, plus EPOLLOUT if armed)
  kArmWrite,     // a write would block: add EPOLLOUT
  kDisarmWrite,  // nothing left to write: drop EPOLLOUT (no wake-ups for free socket space)
  kClose,        // remove from the poller and destroy the connection
};

struct ConnectionOptions {
  uint64_t max_body = 1024 * 1024;  // nginx client_max_body_size 1m → 413 beyond
  // Requests served on one connection before it closes; the last response says
  // "Connection: close" (nginx keepalive_requests, 1000 there; chapter 08). 0: no limit.
  uint64_t keepalive_requests = 0;
  // Chapter 09: bytes per block of the connection pool, which holds the read buffer and lives
  // as long as the connection (nginx connection_pool_size, 512 on 64-bit), and of the request
  // pool, which holds everything one request builds and is emptied in one operation when it
  // ends (nginx request_pool_size 4k). 0: no pools, plain heap allocations (chapters 07–08).
  size_t connection_pool_size = 0;
  size_t request_pool_size = 0;
  // Chapter 10: where `location ... { stub_status; }` is served, and its counters. Borrowed.
  const http::StatusLocation* status = nullptr;
  // Chapter 10: one `combined` line per answered request, if set. Borrowed.
  http::AccessLog* access_log = nullptr;
  // Chapter 12: sendfile and tcp_nopush for file bodies (off: chapters 00-11's copy loop).
  http::SendOptions send;
  // Chapter 12: where the read buffer and the request pool's blocks come from — the worker's
  // recycling pool (EventCycle), so that an idle connection gives them back and a busy one takes
  // them again without malloc. nullptr: the connection pool or the heap (chapters 07-11).
  std::pmr::memory_resource* buffers = nullptr;
};

class HttpConnection {
 public:
  enum class State {
    kReadingRequestLine,
    kReadingHeaders,
    kReadingBody,
    kHandling,
    kSendingHeaders,
    kSendingBody,
    kKeepaliveWait,
    kClose,
  };

  HttpConnection(Fd fd, const http::Handler& handler, http::DateCache& dates,
                 ConnectionOptions options = {});
  // After answering a bad request: close without destroying the answer by RST.
  ~HttpConnection();
  HttpConnection(const HttpConnection&) = delete;
  HttpConnection& operator=(const HttpConnection&) = delete;

  // Runs the state machine as far as it can after the poller reported `events` (EventBits).
  ConnectionAction on_event(uint32_t events);

  [[nodiscard]] int fd() const { return fd_.get(); }
  [[nodiscard]] State state() const { return state_; }
  // Bytes held for this connection beyond the object itself (buffers), for tests and stats.
  [[nodiscard]] size_t buffered_capacity() const;
  // Bytes the connection's pools hold from malloc (chapter 09; 0 without pools).
  [[nodiscard]] size_t pool_bytes() const;
  // True when on_event() stopped after a response although there is more to do (pipelined
  // bytes buffered, or the socket still readable): the loop must call on_event(0) again after
  // the other ready connections had their turn. Without this a client that answers fast
  // enough keeps the loop serving only it (nginx: ngx_post_event() in ngx_http_set_keepalive).
  [[nodiscard]] bool posted() const { return posted_; }
  // The next response (or the one being built) says "Connection: close" and the connection
  // closes after it: a worker shutting down gracefully (chapter 10).
  void close_after_next_response() { options_.keepalive_requests = requests_ + 1; }
  // Progress counters for the timers of chapter 08: requests answered (started), bytes read
  // from and written to the socket so far.
  [[nodiscard]] uint64_t requests() const { return requests_; }
  [[nodiscard]] uint64_t bytes_received() const { return bytes_received_; }
  [[nodiscard]] uint64_t bytes_sent() const { return bytes_sent_; }

 private:
  enum class ReadResult { kGotBytes, kAgain, kClosed };

  void run();
  bool read_head();  // false: wait for an event (or the state moved to kClose)
  bool read_body();
  void handle();
  bool send();
  void finish_request();
  bool wait_keepalive();
  ReadResult read_more();
  void answer_error(int status);
  void prepare_log_line();
  // Chapter 09's request memory (no-ops without pools): see http_connection.cpp.
  void begin_request();
  void end_request();
  void release_idle_memory();
  [[nodiscard]] std::pmr::memory_resource* request_memory();
  [[nodiscard]] std::string_view pending() const { return {buf_.data() + start_, end_ - start_}; }

  Fd fd_;
  const http::Handler& handler_;
  http::DateCache& dates_;
  ConnectionOptions options_;
  State state_ = State::kKeepaliveWait;  // a new connection waits for its first request
  bool read_ready_ = false;              // set by an EPOLLIN edge, cleared by EAGAIN
  bool write_ready_ = true;   // a new socket has room; cleared by EAGAIN, set by EPOLLOUT
  bool write_armed_ = false;  // EPOLLOUT currently registered
  bool peer_closed_ = false;  // read() returned 0: answer what is buffered, then close
  bool discard_input_on_close_ = false;
  bool close_after_send_ = false;
  bool posted_ = false;
  uint64_t requests_ = 0;
  uint64_t bytes_received_ = 0;
  uint64_t bytes_sent_ = 0;

  // Declared before everything allocated from them, so they are destroyed last.
  std::optional<Pool> connection_pool_;  // for the whole connection (chapter 09)
  std::optional<Pool> request_pool_;     // for one request; freed when the connection idles

  std::pmr::string buf_;  // received bytes; [start_, end) not yet consumed
  size_t start_ = 0;      // [start_, end_) of buf_ is received and not yet consumed; buf_'s size
  size_t end_ = 0;        // is its capacity in use (grown once, not zero-filled per read)
  std::optional<http::RequestParser> parser_;  // its field table is request memory
  std::optional<http::RequestHead> head_;      // between READING_HEADERS and HANDLING
  std::string head_copy_;  // the head's bytes, kept only while a body is read past them
  std::optional<http::BodyDiscarder> body_;
  std::optional<std::pmr::string> log_line_;  // the access log line, written when sent
  http::ResponseSender sender_;
};

}  // namespace kit
