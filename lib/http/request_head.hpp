// RequestHead: what the parser learned from a request line and its header fields.
// It owns nothing: every string_view points into the connection's receive buffer, so the
// buffer must outlive the head and must not be modified while the head is in use.
// nginx counterpart: the parsed fields of ngx_http_request_t (method, uri, http_version,
// headers_in). Introduced in chapter 00. Alternative not taken: copying into std::strings
// (an allocation per field per request — chapter 09 measures what that would cost).
#pragma once

#include <cstdint>
#include <memory_resource>
#include <optional>
#include <string_view>
#include <vector>

namespace kit::http {

enum class Method { kGet, kHead, kPost, kPut, kDelete, kOptions, kTrace, kConnect, kPatch, kOther };

// How the message body, if any, is delimited (RFC 9112 §6.3).
enum class BodyFraming { kNone, kContentLength, kChunked };

struct Header {
  std::string_view name;   // as sent (case preserved); compare case-insensitively
  std::string_view value;  // leading/trailing whitespace stripped
};

struct RequestHead {
  RequestHead() = default;
  // The header list is allocated from `mem` (chapter 09: the request pool).
  explicit RequestHead(std::pmr::memory_resource* mem) : headers(mem) {}

  std::string_view method_text;  // e.g. "GET"
  Method method = Method::kOther;
  std::string_view target;  // request-target as sent, e.g. "/a%20b/?q=1"
  int version_major = 1;
  int version_minor = 1;
  std::pmr::vector<Header> headers;  // in the order received
  std::string_view host;             // the Host field's value ("" if absent, allowed on 1.0)
  BodyFraming framing = BodyFraming::kNone;
  uint64_t content_length = 0;  // valid when framing == kContentLength
  // Persistence (RFC 9112 §9.3): HTTP/1.1 keeps alive unless "Connection: close";
  // HTTP/1.0 closes unless "Connection: keep-alive".
  bool keep_alive = true;

  // First field with this name, compared case-insensitively.
  [[nodiscard]] std::optional<std::string_view> header(std::string_view name) const;
};

// OWS (RFC 9110 §5.6.3): a space or a tab, the optional whitespace around values and list
// elements.
[[nodiscard]] constexpr bool is_ows(char c) {
  return c == ' ' || c == '\t';
}
// `s` without leading and trailing OWS.
[[nodiscard]] std::string_view trim_ows(std::string_view s);

// ASCII case-insensitive equality (field names, tokens such as "chunked", "close").
[[nodiscard]] bool iequals(std::string_view a, std::string_view b);

}  // namespace kit::http
