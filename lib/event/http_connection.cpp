#include "event/http_connection.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <cstring>
#include <iterator>

#include "core/log.hpp"
#include "core/release_buffer.hpp"
#include "event/poller.hpp"
#include "net/io.hpp"
#include "net/lingering_close.hpp"

namespace kit {
namespace {

// Bytes asked of each read(): nginx's large_client_header_buffers size (8k).
constexpr size_t kReadChunk = 8 * 1024;

}  // namespace

HttpConnection::HttpConnection(Fd fd, const http::Handler& handler, http::DateCache& dates,
                               ConnectionOptions options)
    : fd_(std::move(fd)),
      handler_(handler),
      dates_(dates),
      options_(options),
      // With pools (chapter 09) the connection pool is made now, like nginx's c->pool at
      // accept, and the read buffer comes from it.
      connection_pool_(options.connection_pool_size > 0
                           ? std::optional<Pool>(std::in_place, options.connection_pool_size)
                           : std::optional<Pool>()),
      buf_(connection_pool_  ? &*connection_pool_
           : options.buffers ? options.buffers
                             : std::pmr::get_default_resource()) {
  parser_.emplace();
  sender_.configure(options.send);
}

HttpConnection::~HttpConnection() {
  if (discard_input_on_close_ && fd_) close_discarding_input(std::move(fd_));
}

size_t HttpConnection::buffered_capacity() const {
  // Heap bytes only: an empty std::string keeps a small in-object buffer that costs nothing extra.
  const auto heap = [](const auto& s) {
    return s.capacity() > std::string().capacity() ? s.capacity() : 0;
  };
  return heap(buf_) + heap(head_copy_);
}

size_t HttpConnection::pool_bytes() const {
  return (connection_pool_ ? connection_pool_->bytes_reserved() : 0) +
         (request_pool_ ? request_pool_->bytes_reserved() : 0);
}

ConnectionAction HttpConnection::on_event(uint32_t events) {
  posted_ = false;
  // An edge is a one-time notice: remember it until a read or write returns EAGAIN.
  if (events & kEventRead) read_ready_ = true;
  if (events & kEventWrite) write_ready_ = true;
  // An error or hang-up: let the next read *and* the next write find out which it was, so a
  // connection stuck waiting for EPOLLOUT from a peer that reset is not kept forever.
  if (events & kEventError) read_ready_ = write_ready_ = true;

  run();
  if (state_ == State::kClose) return ConnectionAction::kClose;
  const bool sending = state_ == State::kSendingHeaders || state_ == State::kSendingBody;
  const bool want_write = sending && !write_ready_;
  if (want_write == write_armed_) return ConnectionAction::kNone;
  write_armed_ = want_write;
  return want_write ? ConnectionAction::kArmWrite : ConnectionAction::kDisarmWrite;
}

// Each state's step returns false when it must wait for an event (readiness it has not got)
// and true when it changed state_ and the machine can go on at once.
void HttpConnection::run() {
  for (;;) {
    bool go_on = false;
    switch (state_) {
      case State::kKeepaliveWait:
        go_on = wait_keepalive();
        break;
      case State::kReadingRequestLine:
      case State::kReadingHeaders:
        go_on = read_head();
        break;
      case State::kReadingBody:
        go_on = read_body();
        break;
      case State::kHandling:
        handle();
        go_on = true;
        break;
      case State::kSendingHeaders:
      case State::kSendingBody:
        go_on = send();
        if (go_on && state_ == State::kKeepaliveWait && (read_ready_ || !pending().empty())) {
          posted_ = true;  // one request per turn: yield to the other connections
          go_on = false;
        }
        break;
      case State::kClose:
        break;
    }
    if (!go_on) return;
  }
}

// Between requests: a pipelined request already buffered starts at once, and so does one
// already waiting in the socket (the read reuses the buffer). Only when the read says EAGAIN
// is the connection idle: then its buffer and the parser's field table go back to the
// allocator (nginx: ngx_http_set_keepalive() frees c->buffer when its recv() returns EAGAIN).
bool HttpConnection::wait_keepalive() {
  if (!pending().empty()) {
    begin_request();
    state_ = State::kReadingRequestLine;
    return true;
  }
  if (peer_closed_) {
    state_ = State::kClose;
    return false;
  }
  if (read_ready_) {
    switch (read_more()) {
      case ReadResult::kGotBytes:
        begin_request();
        state_ = State::kReadingRequestLine;
        return true;
      case ReadResult::kClosed:
        state_ = State::kClose;  // an idle client closing is the normal end of keep-alive
        return false;
      case ReadResult::kAgain:
        break;
    }
  }
  release_idle_memory();
  return false;
}

bool HttpConnection::read_head() {
  const http::ParseStatus s = parser_->parse(pending());
  if (s == http::ParseStatus::kBad) {
    log(LogLevel::kInfo, "client sent invalid request: {}", parser_->error_reason());
    answer_error(parser_->error_status());
    return true;
  }
  if (s == http::ParseStatus::kIncomplete) {
    if (parser_->request_line_done()) state_ = State::kReadingHeaders;
    if (!peer_closed_) {
      if (!read_ready_) return false;
      switch (read_more()) {
        case ReadResult::kGotBytes:
          return true;  // parse again: the parser resumes where it stopped
        case ReadResult::kAgain:
          return false;
        case ReadResult::kClosed:
          break;
      }
    }
    log(LogLevel::kInfo, "client prematurely closed connection while reading the request");
    state_ = State::kClose;
    return false;
  }
  // Complete. The head's views point into buf_; if a body follows, reading it may compact
  // buf_, so the head's few hundred bytes are copied first and the views re-made on the copy.
  const size_t head_size = parser_->consumed();
  head_.emplace(parser_->head(pending()));
  if (head_->framing != http::BodyFraming::kNone) {
    head_copy_.assign(pending().substr(0, head_size));
    head_.emplace(parser_->head(head_copy_));
  }
  start_ += head_size;
  body_.emplace(*head_, options_.max_body);
  state_ = State::kReadingBody;
  return true;
}

// The static handler has no use for a body: it is read and dropped so the next request on
// the connection starts at the right byte (nginx: ngx_http_discard_request_body()).
bool HttpConnection::read_body() {
  for (;;) {
    const http::BodyDiscarder::Step step = body_->feed(pending());
    start_ += step.consumed;
    switch (step.status) {
      case http::BodyDiscarder::Status::kDone:
        body_.reset();
        state_ = State::kHandling;
        return true;
      case http::BodyDiscarder::Status::kTooLarge:
        answer_error(413);
        return true;
      case http::BodyDiscarder::Status::kBad:
        answer_error(400);
        return true;
      case http::BodyDiscarder::Status::kNeedMore:
        break;
    }
    if (!peer_closed_) {
      if (!read_ready_) return false;
      const ReadResult r = read_more();
      if (r == ReadResult::kGotBytes) continue;
      if (r == ReadResult::kAgain) return false;
    }
    log(LogLevel::kInfo, "client prematurely closed connection while sending the body");
    state_ = State::kClose;
    return false;
  }
}

void HttpConnection::handle() {
  ++requests_;
  // The last request this connection may serve is answered with "Connection: close"
  // (nginx: r->keepalive = 0 once keepalive_requests is reached).
  if (options_.keepalive_requests != 0 && requests_ >= options_.keepalive_requests) {
    head_->keep_alive = false;
    // A pipelining client has likely sent more already: closing with those bytes unread
    // would send RST, which can destroy the last responses in the client's buffers.
    discard_input_on_close_ = true;
  }
  const bool status_page =
      options_.status != nullptr && options_.status->matches(head_->target) &&
      (head_->method == http::Method::kGet || head_->method == http::Method::kHead);
  if (status_page) {
    sender_.start(http::status_response(*options_.status->counters, head_->keep_alive, dates_.now(),
                                        head_->method == http::Method::kHead,
                                        head_->target.ends_with("?workers"), request_memory()));
  } else {
    sender_.start(handler_.respond(*head_, dates_.now(), request_memory()));
  }
  close_after_send_ = !sender_.response().keep_alive;
  if (options_.access_log != nullptr) prepare_log_line();
  head_.reset();
  release_buffer(head_copy_);
  parser_->reset();
  state_ = State::kSendingHeaders;
}

// Writes until done or EAGAIN (ResponseSender keeps writing while the socket takes bytes).
bool HttpConnection::send() {
  if (!write_ready_) return false;
  const uint64_t before = sender_.bytes_sent();
  const IoStatus status = sender_.send(fd_.get());
  bytes_sent_ += sender_.bytes_sent() - before;
  switch (status) {
    case IoStatus::kOk:
      finish_request();
      return true;
    case IoStatus::kAgain:
      write_ready_ = false;
      if (sender_.bytes_sent() >= sender_.response().head.size()) state_ = State::kSendingBody;
      return false;
    case IoStatus::kClosed:
    case IoStatus::kError:
      break;
  }
  state_ = State::kClose;
  return false;
}

void HttpConnection::finish_request() {
  if (log_line_) options_.access_log->write(*log_line_);
  end_request();
  state_ = close_after_send_ ? State::kClose : State::kKeepaliveWait;
  // Chapter 12: with the worker's recycling pool, giving the buffers back costs no free() and
  // taking them again no malloc, so they are held only while a request is in progress — not
  // until a read finds the socket empty (a burst of new connections would hold one each).
  if (options_.buffers != nullptr && start_ == end_) release_idle_memory();
}

// One read onto the end of buf_, after dropping the consumed bytes before start_ (the parser
// keeps offsets relative to start_, so moving the bytes is safe).
HttpConnection::ReadResult HttpConnection::read_more() {
  if (start_ > 0) {
    std::memmove(buf_.data(), buf_.data() + start_, end_ - start_);
    end_ -= start_;
    start_ = 0;
  }
  // Grown (and zero-filled) only when less than half a chunk is free: reads land in place, no
  // memset per read. One byte short of a power of two, because the string allocates one more
  // for its terminator: the allocation is then exactly 8 KiB, a size pools keep.
  if (buf_.size() - end_ < kReadChunk / 2)
    buf_.resize(std::max(2 * buf_.size() + 1, kReadChunk) - 1);
  const IoResult r = read_some(fd_.get(), std::span<char>(buf_.data() + end_, buf_.size() - end_));
  if (r.status == IoStatus::kOk) {
    end_ += r.bytes;
    bytes_received_ += r.bytes;
  }
  switch (r.status) {
    case IoStatus::kOk:
      return ReadResult::kGotBytes;
    case IoStatus::kAgain:
      read_ready_ = false;  // drained: the next edge will say when more arrives
      return ReadResult::kAgain;
    case IoStatus::kError:
      log_errno(LogLevel::kInfo, r.err, "read()");
      break;
    case IoStatus::kClosed:
      break;
  }
  peer_closed_ = true;
  read_ready_ = false;
  return ReadResult::kClosed;
}

// The request was broken: answer once, then close (what follows in the buffer cannot be
// trusted to start a request).
void HttpConnection::answer_error(int status) {
  head_.reset();
  body_.reset();
  sender_.start(http::error_response(status, /*keep_alive=*/false, dates_.now()));
  close_after_send_ = true;
  discard_input_on_close_ = true;
  state_ = State::kSendingHeaders;
}

// The `combined` line, formatted while the request head is still at hand and written once
// the response has gone out (nginx logs at finalization; a response cut short by the client
// is not logged here). Quoted fields escape '"', '\\' and bytes outside printable ASCII as
// \\xHH, as nginx does.
void HttpConnection::prepare_log_line() {
  const auto quoted = [](std::pmr::string& out, std::string_view s) {
    if (s.empty()) {
      out += '-';
      return;
    }
    for (const char ch : s) {
      const auto u = static_cast<unsigned char>(ch);
      if (u < 0x20 || u > 0x7e || ch == '"' || ch == '\\') {
        fmt::format_to(std::back_inserter(out), "\\x{:02X}", u);
      } else {
        out += ch;
      }
    }
  };
  sockaddr_in peer{};
  socklen_t len = sizeof peer;
  char addr[INET_ADDRSTRLEN] = "-";
  if (::getpeername(fd_.get(), reinterpret_cast<sockaddr*>(&peer), &len) == 0 &&
      peer.sin_family == AF_INET) {
    ::inet_ntop(AF_INET, &peer.sin_addr, addr, sizeof addr);
  }
  const http::Response& r = sender_.response();
  const uint64_t body = r.file ? r.file->length : r.memory_body().size();
  std::pmr::string& out = log_line_.emplace(request_memory());
  fmt::format_to(std::back_inserter(out), "{} - - {} \"", addr,
                 options_.access_log->time_local(dates_.seconds()));
  quoted(out, head_->method_text);
  out += ' ';
  quoted(out, head_->target);
  fmt::format_to(std::back_inserter(out), " HTTP/{}.{}\" {} {} \"", head_->version_major,
                 head_->version_minor, r.status, body);
  quoted(out, head_->header("Referer").value_or(""));
  out += "\" \"";
  quoted(out, head_->header("User-Agent").value_or(""));
  out += "\"\n";
}

// ---- lesson: ch09 a request's memory ----
// With pools, a request allocates from its request pool: the parser's field table, the header
// list, the normalised path, the response head and the file copy buffer. When the response is
// sent all of it goes in one operation (Pool::reset keeps the blocks for the next request);
// when the connection turns idle the pool itself goes, so an idle connection keeps only its
// small connection pool (nginx: ngx_http_free_request() destroys r->pool;
// ngx_http_set_keepalive() frees the header buffer). Without pools the same objects use the
// heap, and the parser keeps its table between pipelined requests (chapters 07–08).
std::pmr::memory_resource* HttpConnection::request_memory() {
  return request_pool_ ? &*request_pool_ : std::pmr::get_default_resource();
}

void HttpConnection::begin_request() {
  if (options_.request_pool_size == 0) return;
  if (!request_pool_) request_pool_.emplace(options_.request_pool_size, options_.buffers);
  parser_.emplace(http::ParserLimits{}, &*request_pool_);
}

void HttpConnection::end_request() {
  sender_.clear();
  log_line_.reset();
  if (!request_pool_) return;
  parser_.emplace();  // the old one's table is in the pool: drop it before the reset
  request_pool_->reset();
}

void HttpConnection::release_idle_memory() {
  if (buffered_capacity() > 0) release_buffer(buf_);  // back to where it came from
  buf_.clear();
  start_ = end_ = 0;
  if (request_pool_) {
    parser_.emplace();
    request_pool_.reset();  // the whole pool, blocks included
  } else if (parser_->field_capacity() > 0) {
    parser_.emplace();  // frees the field table
  }
}
// ---- end lesson ----

}  // namespace kit
