#include "net/acceptor.hpp"

#include <sys/socket.h>

#include <cerrno>

namespace kit {

Accepted accept_connection(int listen_fd, bool nonblocking) {
  Accepted out;
  socklen_t len = sizeof out.peer;
  const int flags = SOCK_CLOEXEC | (nonblocking ? SOCK_NONBLOCK : 0);
  int fd;
  do {
    fd = ::accept4(listen_fd, reinterpret_cast<sockaddr*>(&out.peer), &len, flags);
  } while (fd < 0 && errno == EINTR);
  if (fd >= 0) {
    out.status = AcceptStatus::kOk;
    out.fd.reset(fd);
    return out;
  }
  out.err = errno;
  switch (out.err) {
    case EAGAIN:
      out.status = AcceptStatus::kAgain;
      break;
    // accept(2), "Error handling": Linux passes already-pending network errors of the new
    // socket through accept; they concern that one connection only.
    case ECONNABORTED:
    case EPROTO:
    case EPERM:
    case ENETDOWN:
    case ENOPROTOOPT:
    case EHOSTDOWN:
    case ENONET:
    case EHOSTUNREACH:
    case EOPNOTSUPP:
    case ENETUNREACH:
      out.status = AcceptStatus::kTransient;
      break;
    case EMFILE:
    case ENFILE:
    case ENOBUFS:
    case ENOMEM:
      out.status = AcceptStatus::kExhausted;
      break;
    default:
      out.status = AcceptStatus::kError;
  }
  return out;
}

}  // namespace kit
