// StaticSite::respond(): the static-file handler every chapter shares. Maps a parsed request
// to a Response: GET/HEAD only (else 405 with Allow), target normalised (uri_path.hpp), file
// opened *beneath* the root with openat2(RESOLVE_BENEATH) so neither ".." nor a symlink can
// lead outside it, directory → index file, directory without trailing slash → 301, missing
// → 404, unreadable or directory without index → 403. Headers: Content-Type,
// Content-Length, Last-Modified (+ Server, Date, Connection from ResponseHead).
// Owns the root directory's fd. nginx counterpart: ngx_http_static_handler() and
// ngx_http_index_module. Introduced in chapter 00.
#pragma once

#include <filesystem>
#include <memory_resource>
#include <optional>
#include <string>
#include <string_view>

#include "core/fd.hpp"
#include "http/handler.hpp"
#include "http/request_head.hpp"
#include "http/response.hpp"
#include "static/uri_path.hpp"

namespace kit::http {

class StaticSite : public Handler {
 public:
  // Opens the root directory; throws std::system_error if it cannot.
  explicit StaticSite(const std::filesystem::path& root, std::string index = "index.html");

  // `date` is the current HTTP date (DateCache). The Response's keep_alive starts from
  // request.keep_alive.
  // Everything built per request (paths, the response head) is allocated from `mem`
  // (chapter 09: the request pool).
  [[nodiscard]] Response respond(const RequestHead& request, std::string_view date,
                                 std::pmr::memory_resource* mem) const override;
  [[nodiscard]] Response respond(const RequestHead& request, std::string_view date) const {
    return respond(request, date, std::pmr::get_default_resource());
  }

  [[nodiscard]] const std::filesystem::path& root() const { return root_; }

 private:
  std::filesystem::path root_;
  std::string index_;
  Fd root_fd_;
};

// The start every static handler shares: GET and HEAD only (else 405 with Allow), and a target
// that normalises (else its 400). Returns the error to answer, or nullopt with `target` set.
[[nodiscard]] std::optional<Response> check_static_request(const RequestHead& request,
                                                           std::string_view date,
                                                           NormalizedPath& target,
                                                           std::pmr::memory_resource* mem);

// A directory asked for without its slash: relative links in its index would resolve against
// the parent, so 301 to the same target with "/" added (query kept). nginx:
// ngx_http_static_handler's 301.
[[nodiscard]] Response directory_redirect(
    const RequestHead& request, std::string_view date, bool head_only,
    std::pmr::memory_resource* mem = std::pmr::get_default_resource());

// Chapter 12: 416 for a Range beyond a file of `size` bytes, with "Content-Range: bytes */size".
[[nodiscard]] Response range_not_satisfiable(uint64_t size, bool keep_alive, std::string_view date,
                                             std::pmr::memory_resource* mem);

// An error response with a small HTML body ("<h1>404 Not Found</h1>"-style). `head_only`
// drops the body (answering HEAD) but keeps its Content-Length. 405 carries
// "Allow: GET, HEAD".
// The head is built in `mem` (chapter 09: the request pool); the page itself is small and rare.
[[nodiscard]] Response error_response(
    int status, bool keep_alive, std::string_view date, bool head_only = false,
    std::pmr::memory_resource* mem = std::pmr::get_default_resource());

}  // namespace kit::http
