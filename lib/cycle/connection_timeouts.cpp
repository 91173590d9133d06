#include "cycle/connection_timeouts.hpp"

namespace kit {
namespace {

// nginx's NGX_TIMER_LAZY_DELAY: a restart that moves a deadline by less is not worth a tree
// operation.
constexpr Msec kLazyDelay = 300;

TimeoutPhase phase_of(const HttpConnection& c) {
  using State = HttpConnection::State;
  switch (c.state()) {
    case State::kKeepaliveWait:
      // A new connection waits for its first request under client_header_timeout (nginx's
      // post_accept_timeout); afterwards the wait is keep-alive.
      return c.requests() == 0 ? TimeoutPhase::kHeader : TimeoutPhase::kKeepalive;
    case State::kReadingRequestLine:
    case State::kReadingHeaders:
      return TimeoutPhase::kHeader;
    case State::kReadingBody:
      return TimeoutPhase::kBody;
    case State::kHandling:
    case State::kSendingHeaders:
    case State::kSendingBody:
      return TimeoutPhase::kSend;
    case State::kClose:
      break;
  }
  return TimeoutPhase::kNone;
}

Msec timeout_for(TimeoutPhase phase, const Timeouts& t) {
  switch (phase) {
    case TimeoutPhase::kHeader:
      return t.client_header;
    case TimeoutPhase::kBody:
      return t.client_body;
    case TimeoutPhase::kSend:
      return t.send;
    case TimeoutPhase::kKeepalive:
      return t.keepalive;
    case TimeoutPhase::kNone:
      break;
  }
  return 0;
}

}  // namespace

// ---- lesson: ch08 which timer, and when it restarts ----
void ConnectionTimeouts::after_event(const HttpConnection& c, const Timeouts& timeouts,
                                     TimerTree& tree, TimerTree::Timer& timer, Msec now) {
  const TimeoutPhase phase = phase_of(c);
  bool restart = phase != phase_;
  if (!restart) {
    switch (phase) {
      case TimeoutPhase::kBody:
        restart = c.bytes_received() != received_;
        break;
      case TimeoutPhase::kSend:
        restart = c.bytes_sent() != sent_;
        break;
      case TimeoutPhase::kKeepalive:
        restart = c.requests() != requests_;  // answered another request in this turn
        break;
      case TimeoutPhase::kHeader:  // not per byte: that is what a slowloris relies on
      case TimeoutPhase::kNone:
        break;
    }
  }
  if (!restart) return;
  const bool same_phase = phase == phase_;
  phase_ = phase;
  requests_ = c.requests();
  received_ = c.bytes_received();
  sent_ = c.bytes_sent();
  if (phase == TimeoutPhase::kNone) {
    tree.cancel(timer);
    return;
  }
  const Msec deadline = now + timeout_for(phase, timeouts);
  if (same_phase && timer.armed() && deadline < timer.deadline() + kLazyDelay) return;
  tree.add(timer, deadline);
}
// ---- end lesson ----

std::string_view ConnectionTimeouts::activity() const {
  switch (phase_) {
    case TimeoutPhase::kHeader:
      return "reading client request headers";
    case TimeoutPhase::kBody:
      return "reading client request body";
    case TimeoutPhase::kSend:
      return "sending response to client";
    case TimeoutPhase::kKeepalive:
      return "waiting for the next request (keepalive)";
    case TimeoutPhase::kNone:
      break;
  }
  return "idle";
}

}  // namespace kit
