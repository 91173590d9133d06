// StaticHandler: chapter 12's complete static-file handler — chapter 00's StaticSite plus what
// an nginx operator expects of a static server:
//   locations   exact / longest prefix, each with root or alias and index (static_location.hpp)
//   validators  ETag ("mtime-size" in hex, as nginx) and Last-Modified on every file response
//   304         If-None-Match (weak comparison, "*"), else If-Modified-Since (if_modified_since
//               exact | before | off)
//   206 / 416   one `Range: bytes=` range (Content-Range), honoured only if If-Range, when
//               sent, names this version; unsatisfiable → 416 with `Content-Range: bytes */size`
//   HEAD        the GET head without the body (never a range)
//   cache       the open-file cache (open_file_cache.hpp): no open/fstat/close per request, and
//               small files answered from memory in one send with their head
// Owns the locations (their directory fds) and the open-file cache: one handler per worker.
// nginx counterpart: ngx_http_static_handler() + ngx_http_index_module + the not_modified and
// range filters. Introduced in chapter 12. Alternative not taken: growing StaticSite (chapters
// 00-11 keep serving exactly what they taught).
#pragma once

#include <optional>
#include <vector>

#include "http/conditional.hpp"
#include "http/handler.hpp"
#include "static/open_file_cache.hpp"
#include "static/static_location.hpp"

namespace kit::http {

struct StaticOptions {
  bool etag = true;                                             // nginx `etag on`
  IfModifiedSince if_modified_since = IfModifiedSince::kExact;  // nginx's default
  std::optional<OpenFileCacheOptions> cache;  // open_file_cache; none: off (open every time)
};

class StaticHandler : public Handler {
 public:
  // `server` answers the paths no location matches. Opens every location's directory
  // (throws std::system_error naming the one that cannot be opened).
  StaticHandler(StaticLocation server, std::vector<StaticLocation> locations,
                StaticOptions options);

  [[nodiscard]] Response respond(const RequestHead& request, std::string_view date,
                                 std::pmr::memory_resource* mem) const override;

 private:
  [[nodiscard]] OpenedFile open(int dir_fd, const char* relative) const;
  [[nodiscard]] Response file_response(const RequestHead& request, std::string_view date,
                                       OpenedFile file, std::string_view name,
                                       std::pmr::memory_resource* mem) const;

  StaticLocation server_;
  std::vector<StaticLocation> locations_;
  StaticOptions options_;
  // The handler's memo of open files: respond() is const to the event loop, the memo changes.
  mutable std::optional<OpenFileCache> cache_;
};

}  // namespace kit::http
