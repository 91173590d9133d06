// Turning a request-target into a safe path below the document root (RFC 3986 §5.2.4):
// strip the query, percent-decode, reject NUL and malformed escapes, merge repeated slashes,
// remove "." and ".." segments, and refuse any ".." that would climb above "/".
// The result always starts with "/" and never contains a ".." segment, so appending it to
// the root cannot leave the root lexically (symlinks are handled at open time, see
// static_file.hpp). nginx counterpart: ngx_http_parse_complex_uri(). Introduced in chapter 00.
#pragma once

#include <string>
#include <string_view>

namespace kit::http {

struct NormalizedPath {
  int status = 0;               // 0 on success, else the status to answer (400)
  std::string path;             // decoded, normalised, starts with "/"
  bool trailing_slash = false;  // the decoded path ended in "/" (a directory was asked for)
};

// Accepts origin-form ("/a/b?q") and absolute-form ("http://host/a/b"); anything else is 400.
[[nodiscard]] NormalizedPath normalize_target(std::string_view target);

}  // namespace kit::http
