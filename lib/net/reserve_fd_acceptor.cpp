#include "net/reserve_fd_acceptor.hpp"

#include <fcntl.h>

#include "core/log.hpp"
#include "core/sys_error.hpp"
#include "net/acceptor.hpp"

namespace kit {
namespace {

Fd open_spare() {
  return Fd(::open("/dev/null", O_RDONLY | O_CLOEXEC));
}

}  // namespace

ReserveFdAcceptor::ReserveFdAcceptor() : spare_(open_spare()) {
  if (!spare_) throw_sys_error("open(/dev/null) for the reserve fd");
}

Fd ReserveFdAcceptor::accept_next(int listen_fd) {
  Accepted a = accept_connection(listen_fd, /*nonblocking=*/true);
  switch (a.status) {
    case AcceptStatus::kOk:
      return std::move(a.fd);
    case AcceptStatus::kAgain:
      return Fd();
    case AcceptStatus::kTransient:
      log_errno(LogLevel::kInfo, a.err, "accept4()");
      return Fd();
    case AcceptStatus::kExhausted: {
      log_errno(LogLevel::kAlert, a.err, "accept4()");
      shed(listen_fd);
      return Fd();
    }
    case AcceptStatus::kError:
      break;
  }
  throw_sys_error("accept4()", a.err);
}

void ReserveFdAcceptor::shed(int listen_fd) {
  // Free one descriptor, take the connection off the backlog, and close it at once.
  spare_.reset();
  Accepted dropped = accept_connection(listen_fd, /*nonblocking=*/true);
  dropped.fd.reset();
  spare_ = open_spare();
}

}  // namespace kit
