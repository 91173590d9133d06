#include "static/static_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "core/log.hpp"
#include "core/sys_error.hpp"
#include "http/http_date.hpp"
#include "http/response_head.hpp"
#include "http/status.hpp"
#include "static/mime_types.hpp"
#include "static/open_beneath.hpp"
#include "static/uri_path.hpp"

namespace kit::http {
namespace {

// The raw path part of the target (still percent-encoded) and its query, for a redirect.
std::pair<std::string_view, std::string_view> split_path_query(std::string_view target) {
  for (std::string_view scheme : {std::string_view("http://"), std::string_view("https://")}) {
    if (target.size() > scheme.size() && iequals(target.substr(0, scheme.size()), scheme)) {
      target.remove_prefix(scheme.size());
      const size_t slash = target.find_first_of("/?");
      target = slash == std::string_view::npos ? std::string_view{} : target.substr(slash);
      break;
    }
  }
  const size_t q = target.find('?');
  if (q == std::string_view::npos) return {target, {}};
  return {target.substr(0, q), target.substr(q)};
}

std::string html_page(int status) {
  const std::string title = std::to_string(status) + " " + std::string(reason_phrase(status));
  return "<html>\r\n<head><title>" + title + "</title></head>\r\n<body>\r\n<h1>" + title +
         "</h1>\r\n<hr><p>" + std::string(kServerName) + "</p>\r\n</body>\r\n</html>\r\n";
}

}  // namespace

StaticSite::StaticSite(const std::filesystem::path& root, std::string index)
    : root_(root), index_(std::move(index)) {
  root_fd_.reset(::open(root.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
  if (!root_fd_) throw_sys_error(fmt::format("open(root \"{}\")", root.string()));
}

std::optional<Response> check_static_request(const RequestHead& request, std::string_view date,
                                             NormalizedPath& target,
                                             std::pmr::memory_resource* mem) {
  const bool head_only = request.method == Method::kHead;
  if (request.method != Method::kGet && !head_only) {
    return error_response(405, request.keep_alive, date, false, mem);
  }
  target = normalize_target(request.target, mem);
  if (target.status != 0) {
    return error_response(target.status, request.keep_alive, date, head_only, mem);
  }
  return std::nullopt;
}

Response StaticSite::respond(const RequestHead& request, std::string_view date,
                             std::pmr::memory_resource* mem) const {
  const bool head_only = request.method == Method::kHead;
  const bool keep_alive = request.keep_alive;
  NormalizedPath target(mem);
  if (auto refused = check_static_request(request, date, target, mem)) return std::move(*refused);

  std::pmr::string relative(std::string_view(target.path).substr(1), mem);
  Fd file(open_beneath(root_fd_.get(), relative.c_str()));
  if (!file) {
    const int err = errno;
    const int status = status_for_open_error(err);
    if (status != 404) log_errno(LogLevel::kError, err, fmt::format("open(\"{}\")", relative));
    return error_response(status, keep_alive, date, head_only, mem);
  }
  struct stat st {};
  if (::fstat(file.get(), &st) != 0) {
    log_errno(LogLevel::kCrit, errno, fmt::format("fstat(\"{}\")", relative));
    return error_response(500, keep_alive, date, head_only, mem);
  }

  if (S_ISDIR(st.st_mode)) {
    if (!target.trailing_slash) {
      return directory_redirect(request, date, head_only, mem);
    }
    relative += index_;  // "" → "index.html", "docs/" → "docs/index.html"
    file.reset(open_beneath(root_fd_.get(), relative.c_str()));
    if (!file) {
      const int err = errno;
      // No index file: nginx answers 403 "directory index of ... is forbidden".
      const int status = err == ENOENT ? 403 : status_for_open_error(err);
      if (status != 403 || err != ENOENT) {
        log_errno(LogLevel::kError, err, fmt::format("open(\"{}\")", relative));
      }
      return error_response(status, keep_alive, date, head_only, mem);
    }
    if (::fstat(file.get(), &st) != 0) {
      log_errno(LogLevel::kCrit, errno, fmt::format("fstat(\"{}\")", relative));
      return error_response(500, keep_alive, date, head_only, mem);
    }
  }
  if (!S_ISREG(st.st_mode)) {
    // FIFOs, devices, sockets, a directory named like the index: never served.
    return error_response(403, keep_alive, date, head_only, mem);
  }

  Response r(mem);
  r.status = 200;
  r.keep_alive = keep_alive;
  const auto size = static_cast<uint64_t>(st.st_size);
  DateCache modified;  // formats into its own buffer: no allocation
  ResponseHead(r.head, 200, date)
      .field("Content-Type", mime_type_for(relative))
      .field("Content-Length", size)
      .field("Last-Modified", modified.at(st.st_mtim.tv_sec))
      .finish(keep_alive);
  if (!head_only && size > 0) r.file = FileBody{std::move(file), nullptr, 0, size};
  return r;
}

Response directory_redirect(const RequestHead& request, std::string_view date, bool head_only,
                            std::pmr::memory_resource* mem) {
  auto [raw_path, query] = split_path_query(request.target);
  std::string location = std::string(raw_path) + "/" + std::string(query);
  Response r(mem);
  r.status = 301;
  r.keep_alive = request.keep_alive;
  std::string page = html_page(301);
  ResponseHead(r.head, 301, date)
      .field("Content-Type", "text/html; charset=utf-8")
      .field("Content-Length", uint64_t{page.size()})
      .field("Location", location)
      .finish(r.keep_alive);
  if (!head_only) r.body = std::move(page);
  return r;
}

Response range_not_satisfiable(uint64_t size, bool keep_alive, std::string_view date,
                               std::pmr::memory_resource* mem) {
  Response r(mem);
  r.status = 416;
  r.keep_alive = keep_alive;
  std::string page = html_page(416);
  char range[40];
  const auto end = fmt::format_to_n(range, sizeof range, "bytes */{}", size).out;
  ResponseHead(r.head, 416, date)
      .field("Content-Type", "text/html; charset=utf-8")
      .field("Content-Length", uint64_t{page.size()})
      .field("Content-Range", std::string_view(range, static_cast<size_t>(end - range)))
      .finish(keep_alive);
  r.body = std::move(page);
  return r;
}

Response error_response(int status, bool keep_alive, std::string_view date, bool head_only,
                        std::pmr::memory_resource* mem) {
  Response r(mem);
  r.status = status;
  r.keep_alive = keep_alive;
  std::string page = html_page(status);
  ResponseHead head(r.head, status, date);
  head.field("Content-Type", "text/html; charset=utf-8").field("Content-Length", page.size());
  if (status == 405) head.field("Allow", "GET, HEAD");
  head.finish(keep_alive);
  if (!head_only) r.body = std::move(page);
  return r;
}

}  // namespace kit::http
