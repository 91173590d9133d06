#include "http/byte_range.hpp"

#include <algorithm>
#include <limits>

#include "http/request_head.hpp"

namespace kit::http {
namespace {

// A position past every file: where an overflowing number lands (see take_number).
constexpr uint64_t kSaturated = std::numeric_limits<uint64_t>::max();

constexpr bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// Consumes 1*DIGIT from the front of `s`. Too many digits saturate instead of failing: a
// first-pos past every file is still a position (→ 416), a last-pos past the end is clamped,
// and a suffix longer than the file means all of it, exactly as if the number had fit.
// nginx answers 416 to any overflow instead.
bool take_number(std::string_view& s, uint64_t& out) {
  size_t i = 0;
  out = 0;
  for (; i < s.size() && is_digit(s[i]); ++i) {
    const auto digit = static_cast<uint64_t>(s[i] - '0');
    out = out > (kSaturated - digit) / 10 ? kSaturated : out * 10 + digit;
  }
  s.remove_prefix(i);
  return i > 0;
}

// One range-spec (RFC 9110 §14.1.1), OWS already trimmed:
//   int-range    = first-pos "-" [ last-pos ]    "0-499", "500-"
//   suffix-range = "-" suffix-length             "-500": the last 500 bytes
ByteRange parse_spec(std::string_view spec, uint64_t size) {
  constexpr ByteRange kIgnore{};
  constexpr ByteRange kUnsatisfiable{RangeKind::kUnsatisfiable, 0, 0};
  if (spec.front() == '-') {
    spec.remove_prefix(1);
    uint64_t suffix = 0;
    if (!take_number(spec, suffix) || !spec.empty()) return kIgnore;
    // "-0" asks for no bytes, and an empty file has no last bytes to give (§14.1.1).
    if (suffix == 0 || size == 0) return kUnsatisfiable;
    const uint64_t length = std::min(suffix, size);
    return {RangeKind::kSatisfiable, size - length, length};
  }
  uint64_t first = 0;
  if (!take_number(spec, first) || spec.empty() || spec.front() != '-') return kIgnore;
  spec.remove_prefix(1);
  uint64_t last = kSaturated;  // "first-": through the last byte
  if (!spec.empty() && (!take_number(spec, last) || !spec.empty())) return kIgnore;
  if (last < first) return kIgnore;  // invalid, not unsatisfiable (§14.1.1)
  if (first >= size) return kUnsatisfiable;
  last = std::min(last, size - 1);
  return {RangeKind::kSatisfiable, first, last - first + 1};
}

}  // namespace

ByteRange parse_range(std::string_view value, uint64_t size) {
  // ranges-specifier = range-unit "=" range-set: no whitespace around '=', so "bytes =0-1"
  // names the unit "bytes " and is ignored like any unknown unit.
  value = trim_ows(value);
  const size_t equals = value.find('=');
  if (equals == std::string_view::npos || !iequals(value.substr(0, equals), "bytes")) return {};
  // range-set = 1#range-spec. The list rule (RFC 9110 §5.6.1) allows OWS around commas and
  // empty elements ("bytes=0-1," is one range); only non-empty elements are counted.
  std::string_view set = value.substr(equals + 1);
  std::string_view spec;
  int count = 0;
  while (!set.empty()) {
    const size_t comma = set.find(',');
    const std::string_view element = trim_ows(set.substr(0, comma));
    set = comma == std::string_view::npos ? std::string_view{} : set.substr(comma + 1);
    if (element.empty()) continue;
    if (++count > 1) return {};  // several ranges: the whole file (see the header)
    spec = element;
  }
  if (count == 0) return {};
  return parse_spec(spec, size);
}

}  // namespace kit::http
