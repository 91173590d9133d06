#include "net/listener.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <stdexcept>

#include "core/sys_error.hpp"

namespace kit {

Fd listen_tcp(const ListenOptions& options) {
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(options.port);
  if (::inet_pton(AF_INET, options.host.c_str(), &addr.sin_addr) != 1) {
    throw std::invalid_argument(
        fmt::format("listen address \"{}\" is not an IPv4 address", options.host));
  }
  const std::string where = fmt::format("{}:{}", options.host, options.port);

  int type = SOCK_STREAM | SOCK_CLOEXEC | (options.nonblocking ? SOCK_NONBLOCK : 0);
  Fd fd(::socket(AF_INET, type, 0));
  if (!fd) throw_sys_error("socket()");

  // A restarted server must be able to bind while old connections sit in TIME_WAIT.
  int on = 1;
  if (::setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &on, sizeof on) != 0) {
    throw_sys_error("setsockopt(SO_REUSEADDR)");
  }
  if (options.reuseport && ::setsockopt(fd.get(), SOL_SOCKET, SO_REUSEPORT, &on, sizeof on) != 0) {
    throw_sys_error("setsockopt(SO_REUSEPORT)");
  }
  if (::bind(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    throw_sys_error(fmt::format("bind({})", where));
  }
  if (::listen(fd.get(), options.backlog) != 0) throw_sys_error(fmt::format("listen({})", where));
  return fd;
}

uint16_t local_port(int fd) {
  sockaddr_in addr{};
  socklen_t len = sizeof addr;
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    throw_sys_error("getsockname()");
  }
  return ntohs(addr.sin_port);
}

}  // namespace kit
