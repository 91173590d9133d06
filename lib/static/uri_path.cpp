#include "static/uri_path.hpp"

#include <vector>

namespace kit::http {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool starts_with_icase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    char c = s[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
    if (c != prefix[i]) return false;
  }
  return true;
}

NormalizedPath bad() {
  NormalizedPath result;
  result.status = 400;
  return result;
}

}  // namespace

NormalizedPath normalize_target(std::string_view target, std::pmr::memory_resource* mem) {
  // absolute-form (RFC 9112 §3.2.2): "http://host[:port]/path" — keep only the path.
  for (std::string_view scheme : {std::string_view("http://"), std::string_view("https://")}) {
    if (starts_with_icase(target, scheme)) {
      target.remove_prefix(scheme.size());
      const size_t slash = target.find_first_of("/?");
      if (slash == std::string_view::npos) {
        target = "/";
      } else if (target[slash] == '?') {
        target = "/";  // "http://host?q": the path is empty, i.e. "/"
      } else {
        target.remove_prefix(slash);
      }
      break;
    }
  }
  if (target.empty() || target.front() != '/') return bad();  // also "*" (asterisk-form)

  // The query and a fragment (clients should not send one) are not part of the path.
  target = target.substr(0, target.find_first_of("?#"));

  // Decode, then split into segments: "%2e%2e" is ".." and "%2F" is "/" once decoded, so
  // dot-segments must be removed after decoding, not before (the classic traversal bug).
  std::pmr::string decoded(mem);
  decoded.reserve(target.size());
  for (size_t i = 0; i < target.size(); ++i) {
    char c = target[i];
    if (c == '%') {
      if (i + 2 >= target.size()) return bad();  // "%" or "%4" at the end
      const int hi = hex_value(target[i + 1]);
      const int lo = hex_value(target[i + 2]);
      if (hi < 0 || lo < 0) return bad();
      c = static_cast<char>(hi * 16 + lo);
      i += 2;
    }
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) return bad();  // NUL would truncate the path at open()
    decoded.push_back(c);
  }

  // remove_dot_segments (RFC 3986 §5.2.4), with empty segments ("//") merged like nginx's
  // merge_slashes, and ".." above the root refused instead of silently clamped.
  std::pmr::vector<std::string_view> segments(mem);
  std::string_view rest = decoded;
  bool trailing = false;
  while (!rest.empty()) {
    const size_t slash = rest.find('/');
    const std::string_view seg = rest.substr(0, slash);
    rest = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash + 1);
    const bool last = slash == std::string_view::npos;
    if (seg.empty()) {
      trailing = last || trailing;
      if (last) break;
      continue;
    }
    trailing = false;
    if (seg == ".") {
      trailing = last;
    } else if (seg == "..") {
      if (segments.empty()) return bad();
      segments.pop_back();
      trailing = last;
    } else {
      segments.push_back(seg);
    }
  }
  if (!decoded.empty() && decoded.back() == '/') trailing = true;

  NormalizedPath result(mem);
  result.path = "/";
  for (size_t i = 0; i < segments.size(); ++i) {
    if (i > 0) result.path.push_back('/');
    result.path.append(segments[i]);
  }
  if (trailing && !segments.empty()) result.path.push_back('/');
  result.trailing_slash = trailing || segments.empty();
  return result;
}

}  // namespace kit::http
