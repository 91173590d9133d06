#include "http/conditional.hpp"

#include <charconv>

#include "http/http_date.hpp"

namespace kit::http {
namespace {

// entity-tag = [ weak ] opaque-tag, weak = %s"W/" (RFC 9110 §8.8.3): case-sensitive.
constexpr std::string_view kWeakPrefix = "W/";

// The opaque-tag, quotes included: what weak comparison compares.
std::string_view opaque_tag(std::string_view tag) {
  return tag.starts_with(kWeakPrefix) ? tag.substr(kWeakPrefix.size()) : tag;
}

// Whether any entity-tag in `list` (#entity-tag) equals `etag` by weak comparison. The tags are
// walked quote to quote rather than split at commas: a comma is a legal etagc. A malformed
// element ends the walk with "no match": a missed 304 only costs a full answer.
bool list_matches_weakly(std::string_view list, std::string_view etag) {
  const std::string_view wanted = opaque_tag(etag);
  for (;;) {
    while (!list.empty() && (is_ows(list.front()) || list.front() == ','))
      list.remove_prefix(1);
    if (list.starts_with(kWeakPrefix)) list.remove_prefix(kWeakPrefix.size());
    if (!list.starts_with('"')) return false;  // end of the list, or not an entity-tag
    const size_t close = list.find('"', 1);
    if (close == std::string_view::npos) return false;
    if (list.substr(0, close + 1) == wanted) return true;
    list = trim_ows(list.substr(close + 1));
    if (!list.empty() && list.front() != ',') return false;
  }
}

}  // namespace

EntityTag make_etag(std::time_t mtime, uint64_t size) {
  EntityTag tag;
  char* p = tag.text;
  char* const end = tag.text + sizeof tag.text;
  *p++ = '"';
  p = std::to_chars(p, end, mtime, 16).ptr;  // lowercase, like nginx's %x
  *p++ = '-';
  p = std::to_chars(p, end, size, 16).ptr;
  *p++ = '"';
  tag.size = static_cast<size_t>(p - tag.text);
  return tag;
}

bool not_modified(const RequestHead& request, std::string_view etag, std::time_t mtime,
                  IfModifiedSince mode) {
  // Several If-None-Match fields are one list (RFC 9110 §5.3), so all of them are read.
  bool has_if_none_match = false;
  for (const Header& h : request.headers) {
    if (!iequals(h.name, "If-None-Match")) continue;
    has_if_none_match = true;
    // "*": any current representation, and the caller has one.
    if (trim_ows(h.value) == "*" || list_matches_weakly(h.value, etag)) return true;
  }
  if (has_if_none_match) return false;  // If-Modified-Since is then ignored (§13.1.3)
  const auto since = request.header("If-Modified-Since");
  if (!since || mode == IfModifiedSince::kOff) return false;
  const auto date = parse_http_date(trim_ows(*since));
  if (!date) return false;
  // exact: the date is a validator echoed back, any other value is a different version;
  // before: a date at or after the last change means the client's copy is current.
  return mode == IfModifiedSince::kExact ? *date == mtime : mtime <= *date;
}

bool if_range_matches(const RequestHead& request, std::string_view etag, std::time_t mtime) {
  const auto if_range = request.header("If-Range");
  if (!if_range) return true;
  const std::string_view value = trim_ows(*if_range);
  // A range stitched onto a cached copy must come from the very same bytes, so If-Range wants
  // strong comparison: a weak tag on either side never matches (§8.8.3.2).
  if (value.starts_with('"')) return !etag.starts_with(kWeakPrefix) && value == etag;
  if (value.starts_with(kWeakPrefix)) return false;
  const auto date = parse_http_date(value);
  return date && *date == mtime;
}

}  // namespace kit::http
