// Fuzz target for lib/static/uri_path.hpp (libFuzzer). Input: a request-target, any bytes.
// Property: normalize_target() answers 400 or a path that cannot leave the document root —
// it starts with "/", has no "." or ".." segment (so no "/../" and no "/.." at the end), no
// "//", no NUL, and ends in "/" exactly when trailing_slash is set. And it is a fixed point:
// the path, with the bytes that mean something in a target re-escaped ("%" "?" "#": once
// decoded they are data), normalises to itself. Re-normalising it raw would not be one:
// "/%2525" is the file "/%25", and "/%25" names the file "/%".
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_failure.hpp"
#include "static/uri_path.hpp"

namespace {

using kit::http::normalize_target;
using kit::http::NormalizedPath;

// The decoded path as a request-target that decodes back to it.
std::string reescaped(std::string_view path) {
  std::string out;
  for (const char c : path) {
    if (c == '%') {
      out += "%25";
    } else if (c == '?') {
      out += "%3F";
    } else if (c == '#') {
      out += "%23";
    } else {
      out += c;
    }
  }
  return out;
}

// Empty when the path keeps every promise, else the first one broken.
std::string broken_promise(const NormalizedPath& n) {
  const std::string_view p = n.path;
  if (p.empty() || p.front() != '/') return "does not start with \"/\"";
  if (p.find('\0') != std::string_view::npos) return "contains NUL";
  if (p.find("//") != std::string_view::npos) return "contains \"//\"";
  if (n.trailing_slash != (p.back() == '/')) return "trailing_slash does not match the path";
  std::string_view rest = p.substr(1);
  while (!rest.empty()) {
    const size_t slash = rest.find('/');
    const std::string_view segment = rest.substr(0, slash);
    if (segment == "." || segment == "..") return "has a \"" + std::string(segment) + "\" segment";
    rest = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash + 1);
  }
  return "";
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view target(reinterpret_cast<const char*>(data), size);
  const NormalizedPath n = normalize_target(target);
  if (n.status != 0) {
    if (n.status != 400) {
      kit::fuzz::property_failed("uri_path: a refusal other than 400", target,
                                 "status " + std::to_string(n.status));
    }
    return 0;
  }
  if (const std::string broken = broken_promise(n); !broken.empty()) {
    kit::fuzz::property_failed("uri_path: the path " + broken, target,
                               "path: \"" + kit::fuzz::escaped(n.path) + "\"");
  }
  const std::string again_target = reescaped(n.path);
  const NormalizedPath again = normalize_target(again_target);
  if (again.status != 0 || again.path != n.path || again.trailing_slash != n.trailing_slash) {
    kit::fuzz::property_failed("uri_path: normalising the result again changes it", target,
                               "first:  \"" + kit::fuzz::escaped(n.path) +
                                   "\" trailing_slash=" + std::to_string(n.trailing_slash) +
                                   "\nagain:  status " + std::to_string(again.status) + " \"" +
                                   kit::fuzz::escaped(again.path) +
                                   "\" trailing_slash=" + std::to_string(again.trailing_slash) +
                                   " (from \"" + kit::fuzz::escaped(again_target) + "\")");
  }
  return 0;
}
