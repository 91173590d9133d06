// RequestParser: an incremental HTTP/1.1 request-head parser — an explicit state machine
// (enum class + switch over each byte) that can stop at any byte and resume when more
// arrives, as nginx's ngx_http_parse_request_line() / ngx_http_parse_header_line() do.
//
// Contract: call parse(data) each time bytes arrive, where `data` is *every* byte of this
// request received so far, starting at its first byte (earlier bytes unchanged). The buffer
// may move between calls (grow, be copied): the parser keeps offsets, never pointers, and
// resumes at the byte where it stopped, so the total work is O(bytes), not O(calls × bytes).
//
//  data: | request-line CRLF | field CRLF | ... | CRLF | body / next pipelined request ...
//        ^0                                             ^consumed() when kComplete
//
// Limits (nginx-like): request line > 8 KiB → 414; header section > 64 KiB or > 100 fields
// → 431. RFC 9112 rejections → 400: whitespace between field name and colon, invalid or
// conflicting Content-Length, Transfer-Encoding together with Content-Length, a
// Transfer-Encoding other than a final "chunked" (501 for unknown codings), missing or
// repeated Host on HTTP/1.1, bare CR, control characters. Versions other than 1.x → 505.
// Leading empty lines before the request line are ignored (RFC 9112 §2.2).
// Introduced in chapter 00. Alternative not taken: regex or getline-based parsing, which
// cannot resume mid-token and allocates per line.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory_resource>
#include <string_view>
#include <vector>

#include "http/request_head.hpp"

namespace kit::http {

enum class ParseStatus { kComplete, kIncomplete, kBad };

struct ParserLimits {
  size_t max_request_line = 8 * 1024;   // nginx large_client_header_buffers 4 8k: one line ≤ 8k
  size_t max_header_bytes = 64 * 1024;  // whole head; 431 beyond
  size_t max_header_count = 100;        // 431 beyond
};

class RequestParser {
 public:
  // The field table is allocated from `mem` (chapter 09: the request pool), and so is the
  // header list of head().
  explicit RequestParser(ParserLimits limits = {},
                         std::pmr::memory_resource* mem = std::pmr::get_default_resource());

  // Resumes parsing `data` (see the contract above).
  ParseStatus parse(std::string_view data);

  // After kComplete: the parsed head, its views pointing into `data` (the same bytes that
  // were parsed; pass the current buffer if it moved).
  [[nodiscard]] RequestHead head(std::string_view data) const;

  // True once the request line (method, target, version) has been read: the connection
  // moves from READING_REQUEST_LINE to READING_HEADERS (nginx: r->request_line is set).
  [[nodiscard]] bool request_line_done() const { return request_line_done_; }

  // After kComplete: length of the request head including the final empty line.
  [[nodiscard]] size_t consumed() const { return consumed_; }
  // Bytes the field table holds (kept across reset(), dropped with the parser).
  [[nodiscard]] size_t field_capacity() const { return fields_.capacity() * sizeof(FieldSpan); }

  // After kBad: the status to answer with (400, 414, 431, 501, 505) and a short reason for
  // the error log, e.g. "whitespace before colon in header field".
  [[nodiscard]] int error_status() const { return error_status_; }
  [[nodiscard]] std::string_view error_reason() const { return error_reason_; }

  // Ready for the next request (keep-alive / pipelining).
  void reset();

 private:
  enum class State;
  struct Span {
    uint32_t offset = 0;
    uint32_t length = 0;
  };
  struct FieldSpan {
    Span name;
    Span value;
  };

  ParseStatus parse_request_line(std::string_view data);
  ParseStatus parse_header_lines(std::string_view data);
  ParseStatus finish_head(std::string_view data);
  ParseStatus fail(int status, std::string_view reason);
  ParseStatus end_request_line(std::string_view data);
  ParseStatus end_field();

  ParserLimits limits_;
  int state_ = 0;  // holds a State; an int so the enum can stay private to the .cpp
  size_t pos_ = 0;
  size_t line_start_ = 0;
  size_t consumed_ = 0;
  Span method_, target_;
  int version_major_ = 0, version_minor_ = 0;
  size_t head_start_ =
      0;  // first byte after the request line: the header section limit counts from here
  bool request_line_done_ = false;
  std::pmr::vector<FieldSpan> fields_;
  FieldSpan current_;
  // Learned in finish_head() from the fields (the semantic checks of RFC 9112).
  BodyFraming framing_ = BodyFraming::kNone;
  uint64_t content_length_ = 0;
  bool keep_alive_ = true;
  int host_field_ = -1;  // index into fields_, -1 when absent
  int error_status_ = 0;
  std::string_view error_reason_;
};

}  // namespace kit::http
