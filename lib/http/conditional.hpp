// Validators and conditional requests (RFC 9110 §8.8, §13): the ETag of a file, whether a
// request's If-None-Match / If-Modified-Since let the server answer 304, and whether If-Range
// lets a Range through. Pure and allocation-free; field values are read in place.
// Invariant: an EntityTag is a strong tag, DQUOTE mtime-hex "-" size-hex DQUOTE, computed from
// stat() alone. nginx counterparts: ngx_http_set_etag(), ngx_http_not_modified_filter_module,
// the If-Range check in ngx_http_range_header_filter(). Introduced in chapter 12.
// Alternative not taken: a hash of the content as the tag (exact across copies of a file, but
// it means reading the whole file before the first byte of the answer).
#pragma once

#include <cstddef>
#include <cstdint>
#include <ctime>
#include <string_view>

#include "http/request_head.hpp"

namespace kit::http {

struct EntityTag {
  // 36 bytes at most: two quotes, '-', 16 hex digits of size, a sign and 16 of mtime.
  char text[48] = {};
  size_t size = 0;
  [[nodiscard]] std::string_view view() const { return {text, size}; }
};

// nginx's format "\"%xT-%xO\"": mtime 0x5f5e1000, size 612 → "5f5e1000-264" in quotes.
[[nodiscard]] EntityTag make_etag(std::time_t mtime, uint64_t size);

// nginx's if_modified_since directive: off | exact (the default) | before.
enum class IfModifiedSince { kOff, kExact, kBefore };

// True when the answer is 304 Not Modified. If-None-Match, if present, decides alone (RFC 9110
// §13.2.2; nginx instead requires both fields to pass): "*" or any listed tag equal by weak
// comparison, across every If-None-Match field. Else If-Modified-Since per `mode`; a date the
// kit cannot parse is ignored. `etag` is the representation's tag, `mtime` its Last-Modified.
[[nodiscard]] bool not_modified(const RequestHead& request, std::string_view etag,
                                std::time_t mtime, IfModifiedSince mode = IfModifiedSince::kExact);

// True when Range may be honoured: no If-Range, or If-Range names this representation (an
// entity-tag equal by strong comparison, or a date equal to mtime). False: ignore Range and
// send the whole file with 200 (RFC 9110 §13.1.5).
[[nodiscard]] bool if_range_matches(const RequestHead& request, std::string_view etag,
                                    std::time_t mtime);

}  // namespace kit::http
