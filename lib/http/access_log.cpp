#include "http/access_log.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

#include "core/log.hpp"
#include "core/sys_error.hpp"

namespace kit::http {
namespace {

Fd open_append(const std::string& path) {
  return Fd(::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644));
}

}  // namespace

AccessLog::AccessLog(std::string path) : path_(std::move(path)), fd_(open_append(path_)) {
  if (!fd_) throw_sys_error("open(\"" + path_ + "\") for the access log");
}

void AccessLog::reopen() {
  Fd fresh = open_append(path_);
  if (!fresh) {
    log_errno(LogLevel::kAlert, errno, "open(\"" + path_ + "\") while reopening the access log");
    return;
  }
  fd_ = std::move(fresh);
}

std::string_view AccessLog::time_local(std::time_t now) {
  if (now != second_) {
    std::tm tm{};
    ::localtime_r(&now, &tm);
    time_length_ = std::strftime(time_, sizeof time_, "[%d/%b/%Y:%H:%M:%S %z]", &tm);
    second_ = now;
  }
  return {time_, time_length_};
}

void AccessLog::write(std::string_view line) const {
  // One write per line: O_APPEND makes each one atomic with respect to the other workers.
  if (::write(fd_.get(), line.data(), line.size()) < 0) {
    log_errno(LogLevel::kAlert, errno, "write() to the access log");
  }
}

}  // namespace kit::http
