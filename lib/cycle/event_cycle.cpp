#include "cycle/event_cycle.hpp"

#include <algorithm>
#include <limits>

#include "core/log.hpp"
#include "core/sys_error.hpp"

namespace kit {
namespace {

// The listener's token: never produced by ConnectionTable (its indexes are < capacity).
constexpr uint64_t kListenerToken = std::numeric_limits<uint64_t>::max();
// Events taken per wait (nginx: NGX_EPOLL events array, 512 by default).
constexpr size_t kEventsPerWait = 512;
// As in chapter 07: input edges always, output edges only while a response waits for room.
constexpr uint32_t kConnectionEvents = kEventRead | kEventEdge;

}  // namespace

EventCycle::EventCycle(Fd listener, const http::StaticSite& site, CycleOptions options,
                       const Clock& clock)
    : listener_(std::move(listener)),
      site_(site),
      options_(options),
      time_(clock),
      connections_(options.worker_connections),
      poller_(make_poller("epoll")),
      events_(kEventsPerWait) {
  // keepalive_timeout 0 turns keep-alive off: every response says "Connection: close".
  options_.connection.keepalive_requests =
      options_.timeouts.keepalive == 0 ? 1 : options_.timeouts.keepalive_requests;
  if (!poller_->add(listener_.get(), kEventRead, kListenerToken)) {  // level-triggered
    throw_sys_error("adding the listener to epoll");
  }
}

void EventCycle::run() {
  for (;;)
    process_events_and_timers();
}

// ---- lesson: ch08 one iteration of the worker loop ----
void EventCycle::process_events_and_timers(int max_wait_ms) {
  // Sleep until the earliest deadline — or not at all while posted work waits.
  int timeout = posted_.empty() ? timers_.wait_timeout(time_.msec()) : 0;
  if (max_wait_ms >= 0 && (timeout < 0 || timeout > max_wait_ms)) timeout = max_wait_ms;
  const size_t n = poller_->wait(events_, timeout);

  // One clock reading for everything this iteration does (ngx_time_update).
  time_.update();
  dates_.update(time_.seconds());
  set_log_time(time_.seconds());

  for (size_t i = 0; i < n; ++i) {
    if (events_[i].token == kListenerToken) {
      while (accept_one() && options_.multi_accept) {
      }
    } else {
      drive(events_[i].token, events_[i].events);
    }
  }
  // Deadlines that passed while waiting or working (ngx_event_expire_timers).
  while (auto token = timers_.pop_expired(time_.msec()))
    expire(*token);
  // Connections that yielded after a response get their next turn (ngx_event_process_posted).
  running_.swap(posted_);
  for (uint64_t token : running_)
    drive(token, 0);
  running_.clear();
}
// ---- end lesson ----

bool EventCycle::accept_one() {
  if (!listener_) return false;  // shutting down
  Fd client = acceptor_.accept_next(listener_.get());
  if (!client) return false;
  if (options_.status != nullptr) options_.status->accepted.fetch_add(1, std::memory_order_relaxed);
  const int fd = client.get();
  auto token = connections_.emplace(std::move(client), site_, dates_, options_.connection, timers_);
  if (!token) {
    log(LogLevel::kAlert, "{} worker_connections are not enough", options_.worker_connections);
    return false;  // the table is full: `client` was not taken and closes here
  }
  TimedConnection& c = *connections_.find(*token);
  c.timer.set_owner(*token);
  if (options_.status != nullptr) {
    options_.status->handled.fetch_add(1, std::memory_order_relaxed);
    options_.status->active.fetch_add(1, std::memory_order_relaxed);
    count(c, false);
  }
  if (!poller_->add(fd, kConnectionEvents, *token)) {
    close(*token);
    return true;
  }
  // Armed now, so a client that connects and says nothing is timed out too.
  c.timeouts.after_event(c.http, options_.timeouts, timers_, c.timer, time_.msec());
  return true;
}

// One turn of one connection, as in chapter 07, then its timer follows its new state.
void EventCycle::drive(uint64_t token, uint32_t events) {
  TimedConnection* c = connections_.find(token);
  if (c == nullptr) return;  // closed earlier in this iteration
  bool ok = true;
  switch (c->http.on_event(events)) {
    case ConnectionAction::kNone:
      break;
    case ConnectionAction::kArmWrite:
      ok = poller_->modify(c->http.fd(), kConnectionEvents | kEventWrite, token);
      break;
    case ConnectionAction::kDisarmWrite:
      ok = poller_->modify(c->http.fd(), kConnectionEvents, token);
      break;
    case ConnectionAction::kClose:
      ok = false;
      break;
  }
  if (!ok) {
    close(token);
    return;
  }
  c->timeouts.after_event(c->http, options_.timeouts, timers_, c->timer, time_.msec());
  if (c->http.posted()) posted_.push_back(token);
  if (options_.status != nullptr) count(*c, false);
}

// stub_status: requests answered since the last count, and the connection moved between
// Reading, Writing and Waiting (or out of Active when it closes).
void EventCycle::count(TimedConnection& c, bool closing) {
  http::StatusCounters& s = *options_.status;
  constexpr auto kRelaxed = std::memory_order_relaxed;
  const uint64_t requests = c.http.requests();
  if (requests != c.counted_requests) {
    s.requests.fetch_add(requests - c.counted_requests, kRelaxed);
    c.counted_requests = requests;
  }
  using State = HttpConnection::State;
  int now = -1;  // 0 reading, 1 writing, 2 waiting
  if (!closing) {
    switch (c.http.state()) {
      case State::kReadingRequestLine:
      case State::kReadingHeaders:
      case State::kReadingBody:
        now = 0;
        break;
      case State::kHandling:
      case State::kSendingHeaders:
      case State::kSendingBody:
        now = 1;
        break;
      case State::kKeepaliveWait:
        now = 2;
        break;
      case State::kClose:
        break;
    }
  }
  if (now == c.counted_as) return;
  std::atomic<int64_t>* slot[] = {&s.reading, &s.writing, &s.waiting};
  if (c.counted_as >= 0) slot[c.counted_as]->fetch_sub(1, kRelaxed);
  if (now >= 0) slot[now]->fetch_add(1, kRelaxed);
  c.counted_as = now;
  if (closing) s.active.fetch_sub(1, kRelaxed);
}

void EventCycle::shutdown_gracefully(Msec idle_grace) {
  if (listener_) {
    poller_->remove(listener_.get());
    listener_.reset();  // the master and the other workers keep accepting
  }
  options_.timeouts.keepalive = std::min(options_.timeouts.keepalive, idle_grace);
  const Msec idle_deadline = time_.msec() + idle_grace;
  connections_.for_each([&](uint64_t, TimedConnection& c) {
    c.http.close_after_next_response();
    // Idle ones (between requests, or before the first) get at most the grace period: a
    // client may be sending a request right now, and "Connection: close" answers it cleanly.
    if (c.http.state() == HttpConnection::State::kKeepaliveWait &&
        (!c.timer.armed() || c.timer.deadline() > idle_deadline)) {
      timers_.add(c.timer, idle_deadline);
    }
  });
}

void EventCycle::expire(uint64_t token) {
  TimedConnection* c = connections_.find(token);
  if (c == nullptr) return;
  // nginx logs a timeout at info level: it is the client's doing, not a server error.
  log(LogLevel::kInfo, "client timed out (110: Connection timed out) while {}",
      c->timeouts.activity());
  close(token);
}

void EventCycle::close(uint64_t token) {
  if (TimedConnection* c = connections_.find(token)) {
    if (options_.status != nullptr) count(*c, true);
    poller_->remove(c->http.fd());
    connections_.erase(token);  // cancels the timer, closes the fd
  }
}

}  // namespace kit
