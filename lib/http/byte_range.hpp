// ByteRange: what a GET's "Range: bytes=..." field asks of a file whose size is known
// (RFC 9110 §14.1.2). Pure and allocation-free: the value is read in place.
// Invariant: a kSatisfiable result has length >= 1 and offset + length <= size.
// nginx counterpart: ngx_http_range_parse() in ngx_http_range_filter_module.c. Introduced in
// chapter 12. Alternative not taken: several ranges answered as multipart/byteranges, as
// nginx does (up to max_ranges); the kit serves a comma list as if Range were absent (200 with
// the whole file), which RFC 9110 allows, and keeps the body a single sendfile() span.
#pragma once

#include <cstdint>
#include <string_view>

namespace kit::http {

enum class RangeKind {
  kNone,           // no usable Range: serve the whole file with 200
  kSatisfiable,    // serve [offset, offset + length) with 206 and Content-Range
  kUnsatisfiable,  // 416 with "Content-Range: bytes */size"
};

struct ByteRange {
  RangeKind kind = RangeKind::kNone;
  uint64_t offset = 0;  // first byte; meaningful when kind == kSatisfiable
  uint64_t length = 0;  // number of bytes, >= 1 when kind == kSatisfiable
};

// `value` is the Range field's value; `size` the file's size in bytes. Syntax errors, another
// unit and several ranges give kNone (RFC 9110 §14.2: a server MAY ignore Range), where nginx
// would answer 416 to a syntax error.
[[nodiscard]] ByteRange parse_range(std::string_view value, uint64_t size);

}  // namespace kit::http
