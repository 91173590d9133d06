#include "cycle/event_cycle.hpp"

#include <unistd.h>

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

EventCycle::EventCycle(Fd listener, const http::Handler& handler, CycleOptions options,
                       const Clock& clock)
    : listener_(std::move(listener)),
      handler_(handler),
      options_(options),
      time_(clock),
      accept_pause_(timers_, kListenerToken),
      pid_(::getpid()),
      connections_(options.worker_connections),
      poller_(make_poller("epoll")),
      events_(kEventsPerWait) {
  // keepalive_timeout 0 turns keep-alive off: every response says "Connection: close".
  options_.connection.keepalive_requests =
      options_.timeouts.keepalive == 0 ? 1 : options_.timeouts.keepalive_requests;
  if (options_.recycle_buffers) {
    // Pools of blocks up to 16 KiB: the 8 KiB read buffers and 4 KiB request-pool blocks.
    buffers_.emplace(std::pmr::pool_options{64, 16 * 1024});
    options_.connection.buffers = &*buffers_;
  }
  choose_accepting();  // the listener joins epoll now (or, with the accept mutex, when won)
}

void EventCycle::run() {
  for (;;)
    process_events_and_timers();
}

// ---- lesson: ch08 one iteration of the worker loop ----
void EventCycle::process_events_and_timers(int max_wait_ms) {
  choose_accepting();  // chapter 11: is the listener in this worker's epoll set this time?
  // Sleep until the earliest deadline — or not at all while posted work waits.
  int timeout = posted_.empty() ? timers_.wait_timeout(time_.msec()) : 0;
  if (options_.accept.mutex != nullptr && !mutex_held_ && listener_) {
    // Another worker accepts; try for the lock again within accept_mutex_delay.
    const int delay = static_cast<int>(options_.accept.delay);
    if (timeout < 0 || timeout > delay) timeout = delay;
  }
  if (max_wait_ms >= 0 && (timeout < 0 || timeout > max_wait_ms)) timeout = max_wait_ms;
  const size_t n = poller_->wait(events_, timeout);

  // One clock reading for everything this iteration does (ngx_time_update).
  time_.update();
  dates_.update(time_.seconds());
  set_log_time(time_.seconds());

  // New connections first, then the lock goes back at once: the holder keeps it no longer
  // than its accepts take, not while it serves its connections (nginx: NGX_POST_EVENTS).
  for (size_t i = 0; i < n; ++i) {
    if (events_[i].token == kListenerToken) accept_ready();
  }
  if (mutex_held_) options_.accept.mutex->unlock(pid_);
  for (size_t i = 0; i < n; ++i) {
    if (events_[i].token != kListenerToken) drive(events_[i].token, events_[i].events);
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

// ---- lesson: ch11 which worker accepts ----
// Before each wait: should the listener be in this worker's epoll set? Not while accepting
// is paused (EMFILE) or every connection slot is taken; with the accept mutex, only while
// this worker holds the lock — and a worker with fewer than 1/8 of its slots free sits out
// a few turns without even trying (nginx: ngx_trylock_accept_mutex, ngx_accept_disabled).
void EventCycle::choose_accepting() {
  const AcceptOptions& a = options_.accept;
  bool want = listener_ && !accept_pause_.armed();
  if (want && a.pause && connections_.in_use() >= options_.worker_connections) want = false;
  if (a.mutex != nullptr) {
    mutex_held_ = false;  // released at the end of the last iteration
    if (want && accept_disabled_ > 0) {
      --accept_disabled_;
      want = false;
    } else if (want) {
      want = mutex_held_ = a.mutex->try_lock(pid_);
    }
  }
  if (want == listening_) return;  // epoll_ctl only when it changes
  if (!want) {
    poller_->remove(listener_.get());
    listening_ = false;
    return;
  }
  uint32_t interest = kEventRead;  // level-triggered, as nginx's listeners
  if (a.exclusive) interest |= kEventExclusive;
  if (!poller_->add(listener_.get(), interest, kListenerToken)) {
    throw_sys_error("adding the listener to epoll");
  }
  listening_ = true;
}

// The listener is readable: accept one connection, or all pending ones with multi_accept.
// A wake-up that finds nothing to accept was a wasted one: another worker was woken for the
// same connection and took it first (the thundering herd).
void EventCycle::accept_ready() {
  http::WorkerCounters* w = options_.worker;
  if (w != nullptr) w->wakeups.fetch_add(1, std::memory_order_relaxed);
  AcceptStatus s = accept_one();
  if (s == AcceptStatus::kAgain && w != nullptr) w->empty.fetch_add(1, std::memory_order_relaxed);
  while (s == AcceptStatus::kOk && options_.multi_accept)
    s = accept_one();
}

AcceptStatus EventCycle::accept_one() {
  if (!listener_) return AcceptStatus::kAgain;  // shutting down
  if (options_.accept.pause && connections_.in_use() >= options_.worker_connections) {
    return AcceptStatus::kExhausted;  // left in the backlog for another worker
  }
  Accepted a = accept_connection(listener_.get(), /*nonblocking=*/true);
  switch (a.status) {
    case AcceptStatus::kOk:
      break;
    case AcceptStatus::kAgain:
      return a.status;
    case AcceptStatus::kTransient:
      log_errno(LogLevel::kInfo, a.err, "accept4()");
      return a.status;
    case AcceptStatus::kExhausted:
      if (options_.accept.pause) {
        // nginx: stop accepting for accept_mutex_delay; the connection waits in the backlog
        // for another worker or for this one's next try, and nothing spins meanwhile.
        log_errno(LogLevel::kAlert, a.err,
                  fmt::format("accept4(), accepting again in {} ms", options_.accept.delay));
        timers_.add(accept_pause_, time_.msec() + options_.accept.delay);
      } else {
        log_errno(LogLevel::kAlert, a.err, "accept4()");
        acceptor_.shed(listener_.get());  // chapter 04's reserve fd
      }
      return a.status;
    case AcceptStatus::kError:
      throw_sys_error("accept4()", a.err);
  }
  const uint64_t free_slots = options_.worker_connections - connections_.in_use() - 1;
  accept_disabled_ =
      static_cast<int64_t>(options_.worker_connections / 8) - static_cast<int64_t>(free_slots);
  if (options_.status != nullptr) options_.status->accepted.fetch_add(1, std::memory_order_relaxed);
  if (options_.worker != nullptr) options_.worker->accepts.fetch_add(1, std::memory_order_relaxed);
  Fd client = std::move(a.fd);
  const int fd = client.get();
  auto token =
      connections_.emplace(std::move(client), handler_, dates_, options_.connection, timers_);
  if (!token) {
    log(LogLevel::kAlert, "{} worker_connections are not enough", options_.worker_connections);
    return AcceptStatus::kExhausted;  // the table is full: `client` was not taken and closes here
  }
  TimedConnection& c = *connections_.find(*token);
  c.timer.set_owner(*token);
  if (options_.worker != nullptr) options_.worker->active.fetch_add(1, std::memory_order_relaxed);
  if (options_.status != nullptr) {
    options_.status->handled.fetch_add(1, std::memory_order_relaxed);
    options_.status->active.fetch_add(1, std::memory_order_relaxed);
    count(c, false);
  }
  if (!poller_->add(fd, kConnectionEvents, *token)) {
    close(*token);
    return AcceptStatus::kOk;
  }
  // Armed now, so a client that connects and says nothing is timed out too.
  c.timeouts.after_event(c.http, options_.timeouts, timers_, c.timer, time_.msec());
  return AcceptStatus::kOk;
}
// ---- end lesson ----

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
    if (options_.worker != nullptr) {
      options_.worker->requests.fetch_add(requests - c.counted_requests, kRelaxed);
    }
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
  if (listening_) poller_->remove(listener_.get());
  listening_ = false;
  listener_.reset();    // the master and the other workers keep accepting
  mutex_held_ = false;  // released at the end of the last iteration
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
  if (token == kListenerToken) return;  // the EMFILE pause is over: choose_accepting() resumes
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
    if (options_.worker != nullptr) options_.worker->active.fetch_sub(1, std::memory_order_relaxed);
    poller_->remove(c->http.fd());
    connections_.erase(token);  // cancels the timer, closes the fd
  }
}

}  // namespace kit
