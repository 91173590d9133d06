#include "http/request_parser.hpp"

#include <charconv>

namespace kit::http {

// One state per place the parser can stop between two bytes. nginx keeps the same kind of
// enum (sw_start, sw_method, sw_spaces_before_uri, ...) in ngx_http_parse_request_line().
enum class RequestParser::State {
  kStart,          // before the request line: empty lines are skipped
  kMethod,         // inside the method token
  kTargetStart,    // after the SP that ends the method
  kTarget,         // inside the request-target
  kVersion,        // after the SP that ends the target, up to CR or LF
  kRequestLineLf,  // CR seen at the end of the request line, LF expected
  kFieldStart,     // at the start of a header line (or of the empty line that ends the head)
  kFieldName,      // inside a field name
  kValueStart,     // after the colon, skipping optional whitespace
  kValue,          // inside a field value
  kFieldLf,        // CR seen at the end of a field line, LF expected
  kHeadLf,         // CR of the empty line seen, LF expected
  kDone,
  kFailed,
};

namespace {

// tchar (RFC 9110 §5.6.2): the characters of method names and field names.
constexpr bool is_tchar(unsigned char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  switch (c) {
    case '!':
    case '#':
    case '$':
    case '%':
    case '&':
    case '\'':
    case '*':
    case '+':
    case '-':
    case '.':
    case '^':
    case '_':
    case '`':
    case '|':
    case '~':
      return true;
    default:
      return false;
  }
}

// Bytes allowed inside a request-target: visible ASCII. Bytes ≥ 0x80 are let through as
// nginx does (clients do send raw UTF-8); the URI normaliser treats them as opaque bytes.
constexpr bool is_target_char(unsigned char c) {
  return (c > 0x20 && c != 0x7f);
}

// field-vchar / obs-text (RFC 9110 §5.5): visible characters and bytes ≥ 0x80.
constexpr bool is_field_vchar(unsigned char c) {
  return (c > 0x20 && c != 0x7f);
}

Method method_from(std::string_view m) {
  if (m == "GET") return Method::kGet;
  if (m == "HEAD") return Method::kHead;
  if (m == "POST") return Method::kPost;
  if (m == "PUT") return Method::kPut;
  if (m == "DELETE") return Method::kDelete;
  if (m == "OPTIONS") return Method::kOptions;
  if (m == "TRACE") return Method::kTrace;
  if (m == "CONNECT") return Method::kConnect;
  if (m == "PATCH") return Method::kPatch;
  return Method::kOther;
}

// Calls `each(token)` for every element of a comma-separated list (RFC 9110 §5.6.1),
// skipping empty elements.
template <typename F>
void for_each_list_element(std::string_view list, F each) {
  while (!list.empty()) {
    const size_t comma = list.find(',');
    std::string_view element = trim_ows(list.substr(0, comma));
    if (!element.empty()) each(element);
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
}

// Content-Length = 1*DIGIT; anything else (sign, space inside, hex, overflow) is invalid.
bool parse_content_length(std::string_view s, uint64_t& out) {
  if (s.empty() || s.size() > 18) return false;  // 10^18 bytes: far beyond any body we accept
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && end == s.data() + s.size();
}

}  // namespace

RequestParser::RequestParser(ParserLimits limits, std::pmr::memory_resource* mem)
    : limits_(limits), fields_(mem) {
  reset();
}

void RequestParser::reset() {
  state_ = static_cast<int>(State::kStart);
  pos_ = line_start_ = consumed_ = head_start_ = 0;
  request_line_done_ = false;
  method_ = target_ = Span{};
  version_major_ = version_minor_ = 0;
  fields_.clear();  // keeps its capacity: a keep-alive connection reuses it
  current_ = FieldSpan{};
  framing_ = BodyFraming::kNone;
  content_length_ = 0;
  keep_alive_ = true;
  host_field_ = -1;
  error_status_ = 0;
  error_reason_ = {};
}

ParseStatus RequestParser::fail(int status, std::string_view reason) {
  state_ = static_cast<int>(State::kFailed);
  error_status_ = status;
  error_reason_ = reason;
  return ParseStatus::kBad;
}

ParseStatus RequestParser::parse(std::string_view data) {
  if (state_ == static_cast<int>(State::kDone)) return ParseStatus::kComplete;
  if (state_ == static_cast<int>(State::kFailed)) return ParseStatus::kBad;
  if (!request_line_done_) {
    ParseStatus s = parse_request_line(data);
    if (s != ParseStatus::kComplete) return s;
  }
  return parse_header_lines(data);
}

// The request line: method SP request-target SP HTTP-version CRLF (RFC 9112 §3).
ParseStatus RequestParser::parse_request_line(std::string_view data) {
  for (; pos_ < data.size(); ++pos_) {
    const auto c = static_cast<unsigned char>(data[pos_]);
    const auto state = static_cast<State>(state_);
    if (state != State::kStart && pos_ - line_start_ >= limits_.max_request_line) {
      return fail(414, "request line too long");
    }
    switch (state) {
      case State::kStart:
        if (c == '\r' || c == '\n') {
          // RFC 9112 §2.2: ignore at least one empty line before the request line. Bound
          // them, or a client could keep us here forever.
          if (pos_ >= limits_.max_request_line) return fail(400, "too many empty lines");
          break;
        }
        if (!is_tchar(c)) return fail(400, "invalid character in method");
        line_start_ = pos_;
        method_.offset = static_cast<uint32_t>(pos_);
        state_ = static_cast<int>(State::kMethod);
        break;

      case State::kMethod:
        if (c == ' ') {
          method_.length = static_cast<uint32_t>(pos_ - method_.offset);
          state_ = static_cast<int>(State::kTargetStart);
        } else if (!is_tchar(c)) {
          return fail(400, "invalid character in method");
        }
        break;

      case State::kTargetStart:
        if (!is_target_char(c)) return fail(400, "invalid request target");
        target_.offset = static_cast<uint32_t>(pos_);
        state_ = static_cast<int>(State::kTarget);
        break;

      case State::kTarget:
        if (c == ' ') {
          target_.length = static_cast<uint32_t>(pos_ - target_.offset);
          state_ = static_cast<int>(State::kVersion);
        } else if (c == '\r' || c == '\n') {
          return fail(400, "request line without HTTP version (HTTP/0.9 is not supported)");
        } else if (!is_target_char(c)) {
          return fail(400, "invalid character in request target");
        }
        break;

      case State::kVersion:
        if (c == '\r') {
          state_ = static_cast<int>(State::kRequestLineLf);
        } else if (c == '\n') {
          // A bare LF as line terminator is accepted (RFC 9112 §2.2 allows it; nginx does).
          return end_request_line(data);
        } else if (!is_tchar(c) && c != '/') {
          return fail(400, "invalid HTTP version");
        }
        break;

      case State::kRequestLineLf:
        if (c != '\n') return fail(400, "bare CR in request line");
        return end_request_line(data);

      default:
        return fail(500, "parser state error");
    }
  }
  return ParseStatus::kIncomplete;
}

// Called on the LF that ends the request line (pos_ points at it): checks the version.
ParseStatus RequestParser::end_request_line(std::string_view data) {
  const size_t version_start = target_.offset + target_.length + 1;
  size_t version_end = pos_;
  if (data[version_end - 1] == '\r') --version_end;
  const std::string_view v = data.substr(version_start, version_end - version_start);
  // HTTP-version = "HTTP/" DIGIT "." DIGIT (case-sensitive).
  if (v.size() != 8 || v.substr(0, 5) != "HTTP/" || v[6] != '.' || v[5] < '0' || v[5] > '9' ||
      v[7] < '0' || v[7] > '9') {
    return fail(400, "invalid HTTP version");
  }
  version_major_ = v[5] - '0';
  version_minor_ = v[7] - '0';
  if (version_major_ != 1) return fail(505, "unsupported HTTP version");
  ++pos_;
  head_start_ = pos_;
  request_line_done_ = true;
  state_ = static_cast<int>(State::kFieldStart);
  return ParseStatus::kComplete;  // of the request line; parse() goes on with the fields
}

ParseStatus RequestParser::end_field() {
  fields_.push_back(current_);
  current_ = FieldSpan{};
  state_ = static_cast<int>(State::kFieldStart);
  return ParseStatus::kIncomplete;
}

// Header fields: field-name ":" OWS field-value OWS CRLF, until an empty line (RFC 9112 §5).
ParseStatus RequestParser::parse_header_lines(std::string_view data) {
  for (; pos_ < data.size(); ++pos_) {
    const auto c = static_cast<unsigned char>(data[pos_]);
    if (pos_ - head_start_ >= limits_.max_header_bytes) {
      return fail(431, "header section too large");
    }
    switch (static_cast<State>(state_)) {
      case State::kFieldStart:
        if (c == '\r') {
          state_ = static_cast<int>(State::kHeadLf);
        } else if (c == '\n') {
          ++pos_;
          return finish_head(data);
        } else if (is_ows(c)) {
          // obs-fold (RFC 9112 §5.2): a server may reject it with 400, and we do.
          return fail(400, "obsolete line folding in header field");
        } else if (is_tchar(c)) {
          if (fields_.size() >= limits_.max_header_count) {
            return fail(431, "too many header fields");
          }
          current_.name.offset = static_cast<uint32_t>(pos_);
          state_ = static_cast<int>(State::kFieldName);
        } else {
          return fail(400, "invalid character in header field name");
        }
        break;

      case State::kFieldName:
        if (c == ':') {
          current_.name.length = static_cast<uint32_t>(pos_ - current_.name.offset);
          state_ = static_cast<int>(State::kValueStart);
        } else if (is_ows(c)) {
          // RFC 9112 §5.1: MUST be rejected, it is how request smuggling hides fields.
          return fail(400, "whitespace before colon in header field");
        } else if (!is_tchar(c)) {
          return fail(400, "invalid character in header field name");
        }
        break;

      case State::kValueStart:
        if (is_ows(c)) break;
        current_.value.offset = static_cast<uint32_t>(pos_);
        if (c == '\r') {
          state_ = static_cast<int>(State::kFieldLf);
        } else if (c == '\n') {
          end_field();
        } else if (is_field_vchar(c)) {
          current_.value.length = 1;
          state_ = static_cast<int>(State::kValue);
        } else {
          return fail(400, "invalid character in header field value");
        }
        break;

      case State::kValue:
        if (c == '\r') {
          state_ = static_cast<int>(State::kFieldLf);
        } else if (c == '\n') {
          end_field();
        } else if (is_field_vchar(c)) {
          // The value ends at its last visible character: trailing OWS is not part of it.
          current_.value.length = static_cast<uint32_t>(pos_ + 1 - current_.value.offset);
        } else if (!is_ows(c)) {
          return fail(400, "invalid character in header field value");
        }
        break;

      case State::kFieldLf:
        if (c != '\n') return fail(400, "bare CR in header field");
        end_field();
        break;

      case State::kHeadLf:
        if (c != '\n') return fail(400, "bare CR at end of header section");
        ++pos_;
        return finish_head(data);

      default:
        return fail(500, "parser state error");
    }
  }
  return ParseStatus::kIncomplete;
}

// The whole head has arrived: the checks that need all fields at once (RFC 9112 §6.3, §3.2).
ParseStatus RequestParser::finish_head(std::string_view data) {
  consumed_ = pos_;
  bool have_length = false;
  bool have_te = false;
  bool te_chunked_last = false;  // the final coding of all Transfer-Encoding fields together
  bool te_has_chunked = false;
  bool te_has_other = false;
  bool connection_close = false;
  bool connection_keep_alive = false;
  int host_count = 0;

  for (size_t i = 0; i < fields_.size(); ++i) {
    const std::string_view name = data.substr(fields_[i].name.offset, fields_[i].name.length);
    const std::string_view value = data.substr(fields_[i].value.offset, fields_[i].value.length);
    if (iequals(name, "Host")) {
      if (++host_count == 1) host_field_ = static_cast<int>(i);
    } else if (iequals(name, "Content-Length")) {
      uint64_t length = 0;
      if (!parse_content_length(value, length)) return fail(400, "invalid Content-Length");
      if (have_length && length != content_length_) {
        return fail(400, "conflicting Content-Length fields");
      }
      have_length = true;
      content_length_ = length;
    } else if (iequals(name, "Transfer-Encoding")) {
      have_te = true;
      for_each_list_element(value, [&](std::string_view coding) {
        te_chunked_last = iequals(coding, "chunked");
        te_has_chunked = te_has_chunked || te_chunked_last;
        te_has_other = te_has_other || !te_chunked_last;
      });
    } else if (iequals(name, "Connection")) {
      for_each_list_element(value, [&](std::string_view option) {
        connection_close = connection_close || iequals(option, "close");
        connection_keep_alive = connection_keep_alive || iequals(option, "keep-alive");
      });
    }
  }

  // RFC 9112 §9.3: 1.1 persists unless "close"; 1.0 only with "keep-alive"; "close" wins.
  keep_alive_ = !connection_close && (version_minor_ >= 1 || connection_keep_alive);

  if (version_minor_ >= 1 && host_count == 0) return fail(400, "missing Host header field");
  if (host_count > 1) return fail(400, "repeated Host header field");
  if (have_te) {
    // RFC 9112 §6.1: TE with CL is how requests are smuggled; TE on 1.0 cannot be trusted.
    if (have_length) return fail(400, "both Transfer-Encoding and Content-Length");
    if (version_minor_ == 0) return fail(400, "Transfer-Encoding in an HTTP/1.0 request");
    if (te_has_chunked && !te_chunked_last) {
      return fail(400, "chunked is not the final transfer coding");
    }
    // "gzip, chunked" would need a decoder the kit does not have: 501, as nginx answers.
    if (te_has_other || !te_has_chunked) return fail(501, "unsupported transfer coding");
    framing_ = BodyFraming::kChunked;
  } else if (have_length && content_length_ > 0) {
    framing_ = BodyFraming::kContentLength;
  }
  state_ = static_cast<int>(State::kDone);
  return ParseStatus::kComplete;
}

RequestHead RequestParser::head(std::string_view data) const {
  RequestHead h(fields_.get_allocator().resource());
  h.method_text = data.substr(method_.offset, method_.length);
  h.method = method_from(h.method_text);
  h.target = data.substr(target_.offset, target_.length);
  h.version_major = version_major_;
  h.version_minor = version_minor_;
  h.headers.reserve(fields_.size());
  for (const FieldSpan& f : fields_) {
    h.headers.push_back(
        {data.substr(f.name.offset, f.name.length), data.substr(f.value.offset, f.value.length)});
  }
  if (host_field_ >= 0) h.host = h.headers[static_cast<size_t>(host_field_)].value;
  h.framing = framing_;
  h.content_length = content_length_;
  h.keep_alive = keep_alive_;
  return h;
}

}  // namespace kit::http
