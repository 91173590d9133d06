#include "core/sys_error.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>

namespace kit {

std::string errno_text(int err) {
  char buf[256];
  // GNU strerror_r returns the message pointer, which may or may not point into buf.
  const char* msg = ::strerror_r(err, buf, sizeof buf);
  return std::string(msg);
}

void throw_sys_error(std::string_view what, int err) {
  throw std::system_error(err, std::generic_category(),
                          fmt::format("{} failed (errno {})", what, err));
}

void throw_sys_error(std::string_view what) {
  throw_sys_error(what, errno);
}

}  // namespace kit
