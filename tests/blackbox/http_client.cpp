#include "http_client.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <thread>

#include "core/sys_error.hpp"

namespace blackbox {
namespace {

using Clock = std::chrono::steady_clock;

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
    s.remove_suffix(1);
  return s;
}

int millis_until(Clock::time_point deadline) {
  const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now());
  return static_cast<int>(std::max<std::chrono::milliseconds::rep>(left.count(), 0));
}

// A quoted excerpt of raw bytes for error messages.
std::string excerpt(std::string_view bytes) {
  return fmt::format("\"{}\"", bytes.substr(0, 200));
}

// "HTTP/1.1 200 OK\r\nName: value\r\n..." (without the final empty line) → status and fields.
void parse_head(std::string_view head, HttpResponse& r) {
  const size_t eol = head.find("\r\n");
  std::string_view line = head.substr(0, eol);
  // status-line = HTTP-version SP 3DIGIT SP [ reason ]
  if (line.size() < 12 || line.substr(0, 7) != "HTTP/1." || line[8] != ' ' ||
      (line.size() > 12 && line[12] != ' ')) {
    throw std::runtime_error("malformed status line: " + excerpt(line));
  }
  r.version = std::string(line.substr(0, 8));
  auto [end, ec] = std::from_chars(line.data() + 9, line.data() + 12, r.status);
  if (ec != std::errc() || end != line.data() + 12 || r.status < 100 || r.status > 599) {
    throw std::runtime_error("malformed status code: " + excerpt(line));
  }
  r.reason = line.size() > 13 ? std::string(line.substr(13)) : std::string();
  std::string_view rest = eol == std::string_view::npos ? "" : head.substr(eol + 2);
  while (!rest.empty()) {
    const size_t end_of_field = rest.find("\r\n");
    const std::string_view field = rest.substr(0, end_of_field);
    rest = end_of_field == std::string_view::npos ? "" : rest.substr(end_of_field + 2);
    const size_t colon = field.find(':');
    if (colon == std::string_view::npos || colon == 0 || field[colon - 1] == ' ') {
      throw std::runtime_error("malformed header field: " + excerpt(field));
    }
    r.headers.emplace_back(field.substr(0, colon), trim(field.substr(colon + 1)));
  }
}

bool has_no_body(int status, bool to_head) {
  return to_head || (status >= 100 && status < 200) || status == 204 || status == 304;
}

}  // namespace

std::optional<std::string> HttpResponse::header(std::string_view name) const {
  for (const auto& [n, v] : headers) {
    if (iequals(n, name)) return v;
  }
  return std::nullopt;
}

HttpClient::HttpClient(uint16_t port, ClientOptions options) : options_(options) {
  fd_ = kit::Fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
  if (!fd_) kit::throw_sys_error("socket()");
  if (options_.receive_buffer > 0) {
    ::setsockopt(fd_.get(), SOL_SOCKET, SO_RCVBUF, &options_.receive_buffer, sizeof(int));
  }
  const int one = 1;
  ::setsockopt(fd_.get(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd_.get(), reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) {
    if (errno != EINPROGRESS) kit::throw_sys_error(fmt::format("connect(127.0.0.1:{})", port));
    pollfd p{.fd = fd_.get(), .events = POLLOUT, .revents = 0};
    if (::poll(&p, 1, static_cast<int>(options_.timeout.count())) != 1) {
      throw ClientTimeout(fmt::format("connect(127.0.0.1:{}) timed out", port));
    }
    int err = 0;
    socklen_t len = sizeof err;
    ::getsockopt(fd_.get(), SOL_SOCKET, SO_ERROR, &err, &len);
    if (err != 0) kit::throw_sys_error(fmt::format("connect(127.0.0.1:{})", port), err);
  }
  // Blocking from here on; a send that cannot finish within the timeout fails (EAGAIN).
  ::fcntl(fd_.get(), F_SETFL, ::fcntl(fd_.get(), F_GETFL) & ~O_NONBLOCK);
  const auto usec = std::chrono::duration_cast<std::chrono::microseconds>(options_.timeout);
  timeval tv{.tv_sec = static_cast<time_t>(usec.count() / 1'000'000),
             .tv_usec = static_cast<suseconds_t>(usec.count() % 1'000'000)};
  ::setsockopt(fd_.get(), SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
}

bool HttpClient::try_send(std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::send(fd_.get(), bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n >= 0) {
      bytes.remove_prefix(static_cast<size_t>(n));
      continue;
    }
    if (errno == EINTR) continue;
    if (errno == EPIPE || errno == ECONNRESET) return false;
    if (errno == EAGAIN || errno == EWOULDBLOCK) {
      throw ClientTimeout("send() timed out: the server stopped reading");
    }
    kit::throw_sys_error("send()");
  }
  return true;
}

void HttpClient::send(std::string_view bytes) {
  if (!try_send(bytes)) throw std::runtime_error("send(): the server closed the connection");
}

void HttpClient::send_byte_by_byte(std::string_view bytes, std::chrono::microseconds pause) {
  for (size_t i = 0; i < bytes.size(); ++i) {
    send(bytes.substr(i, 1));
    std::this_thread::sleep_for(pause);
  }
}

Clock::time_point HttpClient::deadline() const {
  return Clock::now() + options_.timeout;
}

HttpClient::Fill HttpClient::fill(Clock::time_point until, size_t max) {
  if (eof_) return Fill::kClosed;
  for (;;) {
    pollfd p{.fd = fd_.get(), .events = POLLIN, .revents = 0};
    const int ready = ::poll(&p, 1, millis_until(until));
    if (ready < 0 && errno == EINTR) continue;
    if (ready < 0) kit::throw_sys_error("poll()");
    if (ready == 0) return Fill::kTimeout;
    const size_t old = unparsed_.size();
    unparsed_.resize(old + max);
    const ssize_t n = ::recv(fd_.get(), unparsed_.data() + old, max, 0);
    unparsed_.resize(old + static_cast<size_t>(std::max<ssize_t>(n, 0)));
    if (n > 0) return Fill::kData;
    if (n == 0 || errno == ECONNRESET) {
      eof_ = true;  // FIN or RST: either way nothing more will come
      return Fill::kClosed;
    }
    if (errno != EINTR && errno != EAGAIN) kit::throw_sys_error("recv()");
  }
}

HttpResponse HttpClient::read_response(bool to_head) {
  const auto until = deadline();
  HttpResponse r;
  size_t head_end = 0;
  while ((head_end = unparsed_.find("\r\n\r\n")) == std::string::npos) {
    const Fill f = fill(until);
    if (f == Fill::kTimeout) {
      throw ClientTimeout(fmt::format("no complete response head within {} ms; got {}",
                                      options_.timeout.count(), excerpt(unparsed_)));
    }
    if (f == Fill::kClosed) {
      if (unparsed_.empty()) {
        r.closed = true;
        return r;
      }
      throw std::runtime_error("connection closed inside a response head: " + excerpt(unparsed_));
    }
  }
  parse_head(std::string_view(unparsed_).substr(0, head_end), r);
  size_t consumed = head_end + 4;
  if (!has_no_body(r.status, to_head)) {
    if (r.header("Transfer-Encoding")) {
      throw std::runtime_error("unexpected Transfer-Encoding in a static-file response");
    }
    if (auto length_text = r.header("Content-Length")) {
      size_t length = 0;
      auto [end, ec] =
          std::from_chars(length_text->data(), length_text->data() + length_text->size(), length);
      if (ec != std::errc() || end != length_text->data() + length_text->size()) {
        throw std::runtime_error("bad Content-Length: " + *length_text);
      }
      while (unparsed_.size() < consumed + length) {
        const Fill f = fill(until);
        if (f == Fill::kTimeout)
          throw ClientTimeout(fmt::format("body incomplete after {} ms: {} of {} bytes",
                                          options_.timeout.count(), unparsed_.size() - consumed,
                                          length));
        if (f == Fill::kClosed)
          throw std::runtime_error(fmt::format("connection closed inside a body: {} of {} bytes",
                                               unparsed_.size() - consumed, length));
      }
      r.body = unparsed_.substr(consumed, length);
      consumed += length;
    } else {
      // No length: the body is everything until the server closes (RFC 9112 §6.3 rule 8).
      Fill f;
      while ((f = fill(until)) == Fill::kData) {
      }
      if (f == Fill::kTimeout) throw ClientTimeout("body without length: no close in time");
      r.body = unparsed_.substr(consumed);
      consumed = unparsed_.size();
    }
  }
  unparsed_.erase(0, consumed);
  r.closed = eof_ && unparsed_.empty();
  return r;
}

std::vector<HttpResponse> HttpClient::read_responses(size_t n) {
  std::vector<HttpResponse> out;
  out.reserve(n);
  for (size_t i = 0; i < n; ++i)
    out.push_back(read_response());
  return out;
}

void HttpClient::receive_slowly(size_t bytes, size_t chunk, std::chrono::milliseconds pause) {
  const size_t target = unparsed_.size() + bytes;
  const auto until = deadline();
  while (unparsed_.size() < target) {
    const Fill f = fill(until, std::min(chunk, target - unparsed_.size()));
    if (f == Fill::kTimeout) throw ClientTimeout("receive_slowly(): the server stopped sending");
    if (f == Fill::kClosed) return;
    std::this_thread::sleep_for(pause);
  }
}

bool HttpClient::answered_within(std::chrono::milliseconds wait) {
  if (!unparsed_.empty() || eof_) return true;
  return fill(Clock::now() + wait) != Fill::kTimeout;
}

bool HttpClient::closed_within(std::chrono::milliseconds wait) {
  const auto until = Clock::now() + wait;
  for (;;) {
    const Fill f = fill(until);
    if (f == Fill::kClosed) return true;
    if (f == Fill::kTimeout) return false;
  }
}

void HttpClient::shutdown_write() {
  if (::shutdown(fd_.get(), SHUT_WR) != 0) kit::throw_sys_error("shutdown(SHUT_WR)");
}

void HttpClient::reset() {
  const linger hard{.l_onoff = 1, .l_linger = 0};
  ::setsockopt(fd_.get(), SOL_SOCKET, SO_LINGER, &hard, sizeof hard);
  fd_.reset();
}

std::string request(std::string_view method, std::string_view target,
                    std::string_view extra_headers) {
  return fmt::format("{} {} HTTP/1.1\r\nHost: localhost\r\n{}\r\n", method, target, extra_headers);
}

HttpResponse fetch(uint16_t port, std::string_view raw_request, bool to_head) {
  HttpClient client(port);
  client.send(raw_request);
  return client.read_response(to_head);
}

}  // namespace blackbox
