#include "http/response_head.hpp"

#include <charconv>

#include "http/status.hpp"

namespace kit::http {
namespace {

// A static-file head is about 200 bytes: room for it at once instead of three reallocations
// as the fields are appended.
constexpr size_t kTypicalHeadSize = 256;

}  // namespace

ResponseHead::ResponseHead(std::pmr::string& out, int status, std::string_view http_date)
    : out_(out) {
  out_.clear();
  out_.reserve(kTypicalHeadSize);
  // The kit always answers as HTTP/1.1, also to 1.0 clients (RFC 9110 §6.2: a server sends
  // its own highest minor version); keep-alive for 1.0 is said with "Connection: keep-alive".
  out_.append("HTTP/1.1 ");
  field_value(status);
  out_.push_back(' ');
  out_.append(reason_phrase(status));
  out_.append("\r\n");
  field("Server", kServerName);
  field("Date", http_date);
}

void ResponseHead::field_value(uint64_t value) {
  char digits[20];
  auto [end, ec] = std::to_chars(digits, digits + sizeof digits, value);
  out_.append(digits, end);
}

ResponseHead& ResponseHead::field(std::string_view name, std::string_view value) {
  out_.append(name);
  out_.append(": ");
  out_.append(value);
  out_.append("\r\n");
  return *this;
}

ResponseHead& ResponseHead::field(std::string_view name, uint64_t value) {
  out_.append(name);
  out_.append(": ");
  field_value(value);
  out_.append("\r\n");
  return *this;
}

void ResponseHead::finish(bool keep_alive) {
  field("Connection", keep_alive ? "keep-alive" : "close");
  out_.append("\r\n");
}

}  // namespace kit::http
