// HttpClient: a small blocking HTTP/1.1 client for the black-box tests — one TCP connection
// to 127.0.0.1, raw bytes out, responses in with their framing checked (status line, header
// fields, Content-Length body; no body for HEAD; read-until-close without a length).
// Owns its socket and the bytes received but not yet parsed (the next pipelined response).
// Every wait is bounded by the client's timeout, so a hung server fails a test instead of
// hanging it; ClientTimeout is thrown when it expires. Deliberately not a real client: it
// never retries, never reconnects and sends exactly the bytes it is given.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/fd.hpp"

namespace blackbox {

struct HttpResponse {
  int status = 0;  // 0: the connection closed (or was reset) before any byte of a response
  std::string version;
  std::string reason;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  bool closed = false;  // the server closed the connection to end (or instead of) this one

  // First field with this name (case-insensitive).
  [[nodiscard]] std::optional<std::string> header(std::string_view name) const;
};

struct ClientTimeout : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct ClientOptions {
  std::chrono::milliseconds timeout{5'000};  // per response (or per wait)
  int receive_buffer = 0;                    // SO_RCVBUF before connect; 0 keeps the default
};

class HttpClient {
 public:
  // Connects to 127.0.0.1:port (non-blocking connect bounded by the timeout).
  explicit HttpClient(uint16_t port, ClientOptions options = {});

  void send(std::string_view bytes);
  // false instead of throwing when the server already closed or reset the connection.
  bool try_send(std::string_view bytes);
  // One byte per send(), `pause` between them (TCP_NODELAY is on: each is its own segment).
  void send_byte_by_byte(std::string_view bytes, std::chrono::microseconds pause);

  // Reads exactly one response. `to_head` says the request was HEAD (no body follows).
  HttpResponse read_response(bool to_head = false);
  // n responses to n pipelined GETs, in order.
  std::vector<HttpResponse> read_responses(size_t n);

  // Receives up to `bytes` into the unparsed buffer `chunk` bytes at a time with `pause`
  // between reads: a slow reader that lets the server's send buffer fill up.
  void receive_slowly(size_t bytes, size_t chunk, std::chrono::milliseconds pause);

  // Did any response byte arrive (or the connection close) within `wait`?
  [[nodiscard]] bool answered_within(std::chrono::milliseconds wait);
  // Did the server close (FIN or RST) within `wait`? Bytes arriving meanwhile are kept.
  [[nodiscard]] bool closed_within(std::chrono::milliseconds wait);

  // shutdown(SHUT_WR): a FIN after the bytes sent so far; the client can still read.
  void shutdown_write();
  // close() with SO_LINGER {on, 0}: the kernel sends RST instead of FIN.
  void reset();
  void close() { fd_.reset(); }
  [[nodiscard]] int fd() const { return fd_.get(); }

 private:
  enum class Fill { kData, kClosed, kTimeout };
  Fill fill(std::chrono::steady_clock::time_point deadline, size_t max = 64 * 1024);
  std::chrono::steady_clock::time_point deadline() const;

  kit::Fd fd_;
  ClientOptions options_;
  std::string unparsed_;  // received, not yet returned in a response
  bool eof_ = false;
};

// "GET <target> HTTP/1.1\r\nHost: localhost\r\n<extra>\r\n" (`extra` ends in CRLF if given).
std::string request(std::string_view method, std::string_view target,
                    std::string_view extra_headers = "");
inline std::string get(std::string_view target, std::string_view extra_headers = "") {
  return request("GET", target, extra_headers);
}

// One request on a fresh connection, one response back.
HttpResponse fetch(uint16_t port, std::string_view raw_request, bool to_head = false);

}  // namespace blackbox
