// Accepting one connection with accept4(2), errno classified once (STYLE rule 12):
// EINTR retries; EAGAIN is "nothing pending"; ECONNABORTED, EPROTO, EPERM and the network
// errors Linux passes through from the new socket are survived (the next accept works);
// EMFILE/ENFILE/ENOBUFS/ENOMEM mean "out of resources" and the caller must back off rather
// than spin. nginx counterpart: ngx_event_accept(). Introduced in chapter 00.
// Alternative not taken: accept(2) + fcntl — two syscalls and a window without CLOEXEC.
#pragma once

#include <netinet/in.h>

#include "core/fd.hpp"

namespace kit {

enum class AcceptStatus {
  kOk,         // fd holds the new connection
  kAgain,      // nothing pending (non-blocking listener)
  kTransient,  // this connection failed before we got it; just accept again
  kExhausted,  // out of fds or memory: back off (err says which)
  kError,      // the listener itself is broken
};

struct Accepted {
  AcceptStatus status = AcceptStatus::kError;
  Fd fd;
  sockaddr_in peer{};
  int err = 0;
};

// `nonblocking` sets O_NONBLOCK on the new connection (event-driven chapters).
Accepted accept_connection(int listen_fd, bool nonblocking);

// For the blocking chapters (00–03): waits for the next connection. Transient errors are
// logged at info and accepting goes on; when out of fds it logs and sleeps 100 ms before
// trying again instead of spinning (nginx disables accept events for 500 ms in that case,
// ngx_event_accept(): "accept() failed ... Too many open files"); a broken listener throws.
Fd accept_blocking(int listen_fd);

}  // namespace kit
