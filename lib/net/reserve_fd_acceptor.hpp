// ReserveFdAcceptor: accept4 on a non-blocking listener for level-triggered loops, with the
// "reserve fd" answer to EMFILE. When the process is out of descriptors the pending
// connection stays in the backlog, the listener stays readable, and a level-triggered loop
// would spin at 100% CPU retrying accept. So one spare descriptor is kept open; on EMFILE it
// is closed, the connection accepted and closed at once (the client sees a clean close, not a
// hang), and the spare reopened. nginx's answer is different — it stops accepting for 500 ms
// (ngx_event_accept(), ngx_disable_accept_events) — and needs timers (chapter 08); libev and
// muduo use this trick. Owns the spare fd. Introduced in chapter 04.
#pragma once

#include "core/fd.hpp"

namespace kit {

class ReserveFdAcceptor {
 public:
  ReserveFdAcceptor();  // opens the spare (/dev/null); throws if it cannot

  // The next connection (non-blocking), or an invalid Fd when there is none to serve right
  // now (nothing pending, a transient error, or one dropped for lack of fds). Throws
  // std::system_error if the listener itself is broken.
  Fd accept_next(int listen_fd);

  // After accept4 failed with EMFILE/ENFILE: closes the spare, accepts the pending connection
  // and closes it at once, reopens the spare (for callers that classify errors themselves).
  void shed(int listen_fd);

 private:
  Fd spare_;
};

}  // namespace kit
