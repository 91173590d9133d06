// HttpSession: one HTTP connection in a level-triggered event loop (select, poll, epoll
// without EPOLLET) — chapters 04–06. It never blocks: on_readable() does one read (if more is
// waiting, level-triggered readiness reports the fd again next round), parses, and answers
// what is complete; a response the socket cannot take at once is finished by on_writable().
// Each call returns what the loop should watch next.
//
//   kHead ──complete──▶ kBody (discard) ──done──▶ kSending ──sent──▶ kHead (keep-alive)
//     │ bad                                          │ sent, close / error
//     └──────────────▶ kSending (error, then close) ─┴──────────────▶ kClose
//
// Pipelined requests already in the buffer are answered right after the previous response.
// While idle between requests the read buffer and parser state are released, so an idle
// keep-alive connection holds little more than this object.
// Owns the connection fd; borrows the site and the loop's DateCache. nginx counterpart:
// ngx_http_wait_request_handler() → ngx_http_process_request_line() → ... →
// ngx_http_set_keepalive(), collapsed into three phases. Introduced in chapter 04; chapter 07
// replaces it with the edge-triggered state machine (http_connection.hpp).
#pragma once

#include <optional>
#include <string>

#include "core/fd.hpp"
#include "http/body_discarder.hpp"
#include "http/http_date.hpp"
#include "http/request_parser.hpp"
#include "http/response_sender.hpp"
#include "static/static_file.hpp"

namespace kit {

enum class SessionWants { kRead, kWrite, kClose };

class HttpSession {
 public:
  HttpSession(Fd fd, const http::StaticSite& site, http::DateCache& dates);
  // After an error response, closes without destroying it by RST (close_discarding_input).
  ~HttpSession();
  HttpSession(const HttpSession&) = delete;
  HttpSession& operator=(const HttpSession&) = delete;

  [[nodiscard]] int fd() const { return fd_.get(); }
  [[nodiscard]] bool sending() const { return phase_ == Phase::kSending; }

  SessionWants on_readable();
  SessionWants on_writable();

 private:
  enum class Phase { kHead, kBody, kSending };

  SessionWants process();
  bool advance_head();
  bool advance_body();
  SessionWants advance_sending();
  void answer_error(int status);
  std::string_view pending() const { return std::string_view(buf_).substr(start_); }

  Fd fd_;
  const http::StaticSite& site_;
  http::DateCache& dates_;
  Phase phase_ = Phase::kHead;
  std::string buf_;
  size_t start_ = 0;  // first unprocessed byte of buf_
  http::RequestParser parser_;
  std::optional<http::BodyDiscarder> discarder_;
  http::ResponseSender sender_;
  bool close_after_send_ = false;
  bool discard_input_on_close_ = false;  // set after answering a bad request
};

}  // namespace kit
