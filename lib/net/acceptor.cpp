#include "net/acceptor.hpp"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <cerrno>
#include <chrono>
#include <thread>

#include "core/log.hpp"
#include "core/sys_error.hpp"

namespace kit {

// How long accept_blocking() waits when out of fds before trying again: long enough not to
// spin, short enough that a freed fd is used soon (nginx pauses accepting for 500 ms).
constexpr std::chrono::milliseconds kExhaustedBackoff{100};

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
    // A file response leaves as two writes (head, then file bytes): with Nagle on, the
    // second waits for the client's delayed ACK, ~40 ms per keep-alive request. nginx's
    // default is `tcp_nodelay on`; every chapter does the same. Not set_nodelay(): a failure
    // here concerns one connection (the peer may already be gone) and must not throw.
    const int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
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

Fd accept_blocking(int listen_fd) {
  for (;;) {
    Accepted a = accept_connection(listen_fd, /*nonblocking=*/false);
    switch (a.status) {
      case AcceptStatus::kOk:
        return std::move(a.fd);
      case AcceptStatus::kAgain:
      case AcceptStatus::kTransient:
        log_errno(LogLevel::kInfo, a.err, "accept4()");
        break;
      case AcceptStatus::kExhausted:
        log_errno(LogLevel::kAlert, a.err, "accept4()");
        std::this_thread::sleep_for(kExhaustedBackoff);
        break;
      case AcceptStatus::kError:
        throw_sys_error("accept4()", a.err);
    }
  }
}

}  // namespace kit
