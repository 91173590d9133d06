#include "static/static_handler.hpp"

#include <cerrno>

#include "core/log.hpp"
#include "http/byte_range.hpp"
#include "http/http_date.hpp"
#include "http/response_head.hpp"
#include "static/mime_types.hpp"
#include "static/open_beneath.hpp"
#include "static/static_file.hpp"
#include "static/uri_path.hpp"

namespace kit::http {

StaticHandler::StaticHandler(StaticLocation server, std::vector<StaticLocation> locations,
                             StaticOptions options)
    : server_(std::move(server)), locations_(std::move(locations)), options_(options) {
  server_.open();
  if (options_.cache) cache_.emplace(*options_.cache);
  for (StaticLocation& l : locations_)
    l.open();
}

OpenedFile StaticHandler::open(int dir_fd, const char* relative) const {
  return cache_ ? cache_->open(dir_fd, relative) : open_uncached(dir_fd, relative);
}

Response StaticHandler::respond(const RequestHead& request, std::string_view date,
                                std::pmr::memory_resource* mem) const {
  const bool head_only = request.method == Method::kHead;
  const bool keep_alive = request.keep_alive;
  NormalizedPath target(mem);
  if (auto refused = check_static_request(request, date, target, mem)) return std::move(*refused);

  const StaticLocation* loc = find_location(locations_, target.path);
  if (loc == nullptr) loc = &server_;
  std::pmr::string relative(loc->relative(target.path), mem);
  OpenedFile file = open(loc->dir_fd(), relative.c_str());
  if (file.err == 0 && file.directory) {
    if (!target.trailing_slash) return directory_redirect(request, date, head_only, mem);
    relative += loc->index;  // "" → "index.html", "docs/" → "docs/index.html"
    file = open(loc->dir_fd(), relative.c_str());
    // No index file: nginx answers 403 "directory index of ... is forbidden".
    if (file.err == ENOENT) return error_response(403, keep_alive, date, head_only, mem);
  }
  if (file.err != 0) {
    const int status = status_for_open_error(file.err);
    if (status != 404) log_errno(LogLevel::kError, file.err, fmt::format("open(\"{}\")", relative));
    return error_response(status, keep_alive, date, head_only, mem);
  }
  // FIFOs, devices, sockets, a directory named like the index: never served.
  if (!file.regular) return error_response(403, keep_alive, date, head_only, mem);
  return file_response(request, date, std::move(file), relative, mem);
}

// ---- lesson: ch12 validators, 304, ranges ----
Response StaticHandler::file_response(const RequestHead& request, std::string_view date,
                                      OpenedFile file, std::string_view name,
                                      std::pmr::memory_resource* mem) const {
  const bool head_only = request.method == Method::kHead;
  const EntityTag tag = make_etag(file.mtime, file.size);
  const std::string_view etag = options_.etag ? tag.view() : std::string_view();
  DateCache modified;  // formats into its own buffer: no allocation
  const std::string_view last_modified = modified.at(file.mtime);
  Response r(mem);
  r.keep_alive = request.keep_alive;

  // The client's copy is current: head only (RFC 9110 §15.4.5; nginx's not_modified filter).
  if (not_modified(request, etag, file.mtime, options_.if_modified_since)) {
    r.status = 304;
    ResponseHead head(r.head, 304, date);
    head.field("Last-Modified", last_modified);
    if (!etag.empty()) head.field("ETag", etag);
    head.finish(r.keep_alive);
    return r;
  }

  // One range of a GET, unless If-Range says the client's partial copy is of another version.
  ByteRange range;
  if (!head_only) {
    if (auto value = request.header("Range");
        value && if_range_matches(request, etag, file.mtime)) {
      range = parse_range(*value, file.size);
    }
  }
  if (range.kind == RangeKind::kUnsatisfiable) {
    return range_not_satisfiable(file.size, r.keep_alive, date, mem);
  }
  const bool partial = range.kind == RangeKind::kSatisfiable;
  const uint64_t offset = partial ? range.offset : 0;
  const uint64_t length = partial ? range.length : file.size;
  r.status = partial ? 206 : 200;
  ResponseHead head(r.head, r.status, date);
  head.field("Content-Type", mime_type_for(name)).field("Content-Length", length);
  head.field("Last-Modified", last_modified);
  if (!etag.empty()) head.field("ETag", etag);
  if (partial) {
    char value[80];
    const auto end = fmt::format_to_n(value, sizeof value, "bytes {}-{}/{}", offset,
                                      offset + length - 1, file.size)
                         .out;
    head.field("Content-Range", std::string_view(value, static_cast<size_t>(end - value)));
  }
  head.field("Accept-Ranges", "bytes").finish(r.keep_alive);
  if (head_only || length == 0) return r;
  if (file.content && !partial) {
    r.cached_body = std::move(file.content);  // a small file: sent with the head, one syscall
  } else {
    r.file = FileBody{std::move(file.owned), std::move(file.shared), offset, length};
  }
  return r;
}
// ---- end lesson ----

}  // namespace kit::http
