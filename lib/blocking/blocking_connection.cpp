#include "blocking/blocking_connection.hpp"

#include <algorithm>
#include <array>
#include <string>
#include <string_view>

#include "core/log.hpp"
#include "http/body_discarder.hpp"
#include "http/http_date.hpp"
#include "http/request_parser.hpp"
#include "http/response_sender.hpp"
#include "net/io.hpp"
#include "net/lingering_close.hpp"
#include "net/socket_options.hpp"

namespace kit {
namespace {

// Bytes asked of each read(): nginx's large_client_header_buffers size (8k).
constexpr size_t kReadChunk = 8 * 1024;

// Owns the client fd and the receive buffer for the connection's whole life.
class BlockingConnection {
 public:
  BlockingConnection(Fd client, const http::StaticSite& site, const BlockingOptions& options)
      : fd_(std::move(client)), site_(site), options_(options) {}

  void run();

 private:
  bool fill();
  http::ParseStatus read_head();
  http::BodyDiscarder::Status skip_body(const http::RequestHead& head);
  bool send(http::Response response);
  void answer_error_and_close(int status);
  std::string_view pending() const { return std::string_view(buf_).substr(start_); }

  Fd fd_;
  const http::StaticSite& site_;
  const BlockingOptions& options_;
  std::string buf_;
  size_t start_ = 0;  // first byte of the request being parsed
  http::RequestParser parser_;
  http::DateCache dates_;
};

// Reads more bytes onto the end of buf_, first dropping the answered requests before start_
// (the parser keeps offsets relative to start_, so moving the bytes is safe).
bool BlockingConnection::fill() {
  if (start_ > 0) {
    buf_.erase(0, start_);
    start_ = 0;
  }
  const size_t old = buf_.size();
  buf_.resize(old + kReadChunk);
  IoResult r = read_some(fd_.get(), std::span<char>(buf_.data() + old, kReadChunk));
  buf_.resize(old + (r.status == IoStatus::kOk ? r.bytes : 0));
  if (r.status == IoStatus::kOk) return true;
  // kAgain on a blocking socket means SO_RCVTIMEO expired. Like nginx, a client that times
  // out or goes away gets no response, only a line in the log.
  if (r.status == IoStatus::kAgain && old > 0) log(LogLevel::kInfo, "client timed out");
  if (r.status == IoStatus::kError) log_errno(LogLevel::kInfo, r.err, "read()");
  return false;
}

http::ParseStatus BlockingConnection::read_head() {
  for (;;) {
    http::ParseStatus s = parser_.parse(pending());
    if (s != http::ParseStatus::kIncomplete) return s;
    if (!fill()) return http::ParseStatus::kIncomplete;
  }
}

// Reads past the body (if any) so the next request starts where it should. Returns kNeedMore
// only when the client went away or timed out before the body ended.
http::BodyDiscarder::Status BlockingConnection::skip_body(const http::RequestHead& head) {
  http::BodyDiscarder discarder(head, options_.max_body);
  for (;;) {
    http::BodyDiscarder::Step step = discarder.feed(pending());
    start_ += step.consumed;
    if (step.status != http::BodyDiscarder::Status::kNeedMore) return step.status;
    if (!fill()) return http::BodyDiscarder::Status::kNeedMore;
  }
}

// On a blocking socket ResponseSender::send() returns only when all was sent or it failed.
bool BlockingConnection::send(http::Response response) {
  return http::ResponseSender(std::move(response)).send(fd_.get()) == IoStatus::kOk;
}

void BlockingConnection::answer_error_and_close(int status) {
  if (send(http::error_response(status, /*keep_alive=*/false, dates_.now()))) {
    lingering_close_blocking(std::move(fd_));
  }
}

void BlockingConnection::run() {
  set_receive_timeout(fd_.get(), options_.receive_timeout);
  for (;;) {
    http::ParseStatus s = read_head();
    if (s == http::ParseStatus::kIncomplete) return;  // closed or timed out
    if (s == http::ParseStatus::kBad) {
      log(LogLevel::kInfo, "client sent invalid request: {}", parser_.error_reason());
      return answer_error_and_close(parser_.error_status());
    }
    http::RequestHead head = parser_.head(pending());
    start_ += parser_.consumed();
    // The response is built before the body is skipped: `head` views buf_, which reading
    // the body may overwrite.
    http::Response response = site_.respond(head, dates_.now());
    parser_.reset();
    switch (skip_body(head)) {
      case http::BodyDiscarder::Status::kDone:
        break;
      case http::BodyDiscarder::Status::kTooLarge:
        return answer_error_and_close(413);
      case http::BodyDiscarder::Status::kBad:
        return answer_error_and_close(400);
      case http::BodyDiscarder::Status::kNeedMore:
        return;  // the client left mid-body: nobody to answer
    }
    const bool keep_alive = response.keep_alive;
    if (!send(std::move(response)) || !keep_alive) return;
  }
}

}  // namespace

void serve_connection(Fd client, const http::StaticSite& site, const BlockingOptions& options) {
  try {
    BlockingConnection(std::move(client), site, options).run();
  } catch (const std::exception& e) {
    // One connection's failure (e.g. out of memory, setsockopt failing) must not take the
    // server down: log it and drop only this connection.
    log(LogLevel::kError, "connection dropped: {}", e.what());
  }
}

}  // namespace kit
