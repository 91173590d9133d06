// Turning a request-target into a safe path below the document root (RFC 3986 §5.2.4):
// strip the query, percent-decode, reject NUL and malformed escapes, merge repeated slashes,
// remove "." and ".." segments, and refuse any ".." that would climb above "/".
// The result always starts with "/" and never contains a ".." segment, so appending it to
// the root cannot leave the root lexically (symlinks are handled at open time, see
// static_file.hpp). nginx counterpart: ngx_http_parse_complex_uri(). Introduced in chapter 00.
#pragma once

#include <memory_resource>
#include <string>
#include <string_view>

namespace kit::http {

struct NormalizedPath {
  NormalizedPath() = default;
  explicit NormalizedPath(std::pmr::memory_resource* mem) : path(mem) {}

  int status = 0;               // 0 on success, else the status to answer (400)
  std::pmr::string path;        // decoded, normalised, starts with "/"
  bool trailing_slash = false;  // the decoded path ended in "/" (a directory was asked for)
};

// Accepts origin-form ("/a/b?q") and absolute-form ("http://host/a/b"); anything else is 400.
// The path and the working copies are allocated from `mem` (chapter 09: the request pool).
[[nodiscard]] NormalizedPath normalize_target(
    std::string_view target, std::pmr::memory_resource* mem = std::pmr::get_default_resource());

}  // namespace kit::http
