#include "event/http_session.hpp"

#include "core/log.hpp"
#include "core/release_buffer.hpp"
#include "net/io.hpp"
#include "net/lingering_close.hpp"

namespace kit {
namespace {

// Bytes asked of each read(): nginx's large_client_header_buffers size (8k).
constexpr size_t kSessionReadChunk = 8 * 1024;

}  // namespace

HttpSession::HttpSession(Fd fd, const http::StaticSite& site, http::DateCache& dates)
    : fd_(std::move(fd)), site_(site), dates_(dates) {
}

HttpSession::~HttpSession() {
  if (discard_input_on_close_ && fd_) close_discarding_input(std::move(fd_));
}

SessionWants HttpSession::on_readable() {
  if (phase_ == Phase::kSending) return SessionWants::kWrite;  // not watching reads now
  // Drop what was already answered; the parser keeps offsets relative to start_.
  if (start_ > 0) {
    buf_.erase(0, start_);
    start_ = 0;
  }
  const size_t old = buf_.size();
  buf_.resize(old + kSessionReadChunk);
  IoResult r = read_some(fd_.get(), std::span<char>(buf_.data() + old, kSessionReadChunk));
  buf_.resize(old + (r.status == IoStatus::kOk ? r.bytes : 0));
  switch (r.status) {
    case IoStatus::kOk:
      return process();
    case IoStatus::kAgain:
      return SessionWants::kRead;  // a spurious wake-up; level-triggered will tell us again
    case IoStatus::kError:
      log_errno(LogLevel::kInfo, r.err, "read()");
      return SessionWants::kClose;
    case IoStatus::kClosed:
      break;
  }
  return SessionWants::kClose;
}

SessionWants HttpSession::on_writable() {
  return phase_ == Phase::kSending ? process() : SessionWants::kRead;
}

// Runs the phases as far as the buffered bytes and the socket allow.
SessionWants HttpSession::process() {
  for (;;) {
    switch (phase_) {
      case Phase::kHead:
        if (!advance_head()) return SessionWants::kRead;
        break;
      case Phase::kBody:
        if (!advance_body()) return SessionWants::kRead;
        break;
      case Phase::kSending: {
        SessionWants w = advance_sending();
        if (w != SessionWants::kRead || phase_ != Phase::kHead) return w;
        if (pending().empty()) {
          // Idle keep-alive: give back the buffer and the parser's field table.
          release_buffer(buf_);
          start_ = 0;
          parser_ = http::RequestParser();
          return SessionWants::kRead;
        }
        break;  // pipelined bytes are waiting: answer them now, no new event will come
      }
    }
  }
}

// Parses the head; on completion builds the response at once (the head's views point into
// buf_, which reading the body may move) and moves on to the body. false: need more bytes.
bool HttpSession::advance_head() {
  http::ParseStatus s = parser_.parse(pending());
  if (s == http::ParseStatus::kIncomplete) return false;
  if (s == http::ParseStatus::kBad) {
    log(LogLevel::kInfo, "client sent invalid request: {}", parser_.error_reason());
    answer_error(parser_.error_status());
    return true;
  }
  http::RequestHead head = parser_.head(pending());
  sender_.start(site_.respond(head, dates_.now()));
  close_after_send_ = !sender_.response().keep_alive;
  discarder_.emplace(head);
  start_ += parser_.consumed();
  parser_.reset();
  phase_ = Phase::kBody;
  return true;
}

bool HttpSession::advance_body() {
  http::BodyDiscarder::Step step = discarder_->feed(pending());
  start_ += step.consumed;
  switch (step.status) {
    case http::BodyDiscarder::Status::kNeedMore:
      return false;
    case http::BodyDiscarder::Status::kDone:
      phase_ = Phase::kSending;
      break;
    case http::BodyDiscarder::Status::kTooLarge:
      answer_error(413);
      break;
    case http::BodyDiscarder::Status::kBad:
      answer_error(400);
      break;
  }
  discarder_.reset();
  return true;
}

SessionWants HttpSession::advance_sending() {
  switch (sender_.send(fd_.get())) {
    case IoStatus::kOk:
      break;
    case IoStatus::kAgain:
      return SessionWants::kWrite;  // the socket buffer is full: wait until it drains
    case IoStatus::kClosed:
    case IoStatus::kError:
      return SessionWants::kClose;
  }
  sender_.clear();
  if (close_after_send_) return SessionWants::kClose;
  phase_ = Phase::kHead;
  return SessionWants::kRead;
}

// The request was broken: answer once, then close (what follows in the buffer cannot be
// trusted to start a request).
void HttpSession::answer_error(int status) {
  sender_.start(http::error_response(status, /*keep_alive=*/false, dates_.now()));
  close_after_send_ = true;
  phase_ = Phase::kSending;
  discard_input_on_close_ = true;
}

}  // namespace kit
