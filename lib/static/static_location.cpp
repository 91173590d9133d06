#include "static/static_location.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>

#include <filesystem>

#include "core/sys_error.hpp"

namespace kit::http {

void StaticLocation::open() {
  struct stat st {};
  if (::stat(dir.c_str(), &st) == 0 && !S_ISDIR(st.st_mode) && alias && exact) {
    const std::filesystem::path file(dir);
    file_ = file.filename();
    dir_fd_.reset(::open(file.parent_path().c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
  } else {
    dir_fd_.reset(::open(dir.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
  }
  if (!dir_fd_) throw_sys_error(fmt::format("open({} \"{}\")", alias ? "alias" : "root", dir));
}

std::string_view StaticLocation::relative(std::string_view request_path) const {
  if (!file_.empty()) return file_;
  if (alias) request_path.remove_prefix(path.size());  // the matched prefix is replaced
  while (!request_path.empty() && request_path.front() == '/')
    request_path.remove_prefix(1);
  return request_path;
}

const StaticLocation* find_location(std::span<const StaticLocation> locations,
                                    std::string_view path) {
  const StaticLocation* best = nullptr;
  for (const StaticLocation& l : locations) {
    if (l.exact) {
      if (path == l.path) return &l;
    } else if (path.starts_with(l.path) && (best == nullptr || l.path.size() > best->path.size())) {
      best = &l;
    }
  }
  return best;
}

}  // namespace kit::http
