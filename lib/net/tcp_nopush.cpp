#include "net/tcp_nopush.hpp"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <cerrno>

#include "core/log.hpp"

namespace kit {
namespace {

bool set_cork(int fd, int on) {
  if (::setsockopt(fd, IPPROTO_TCP, TCP_CORK, &on, sizeof on) == 0) return true;
  // ENOTSUP/EOPNOTSUPP on a Unix socket (the unit tests' socketpairs): nothing to cork.
  if (errno != EOPNOTSUPP && errno != ENOTSUP) {
    log_errno(LogLevel::kCrit, errno,
              on ? "setsockopt(TCP_CORK) failed" : "setsockopt(TCP_CORK, 0) failed");
  }
  return false;
}

}  // namespace

bool tcp_nopush(int fd) {
  return set_cork(fd, 1);
}
bool tcp_push(int fd) {
  return set_cork(fd, 0);
}

}  // namespace kit
