// EventCycle: one worker's event loop with timers — chapter 07's edge-triggered loop plus
// the three things every long-running nginx worker needs: cached time, a timer tree whose
// earliest deadline bounds epoll_wait, and the posted queue. One iteration is one call of
// process_events_and_timers(), named and ordered after nginx's:
//
//   [chapter 11: listener in or out of epoll — accept mutex, pause] → timeout = earliest
//   timer (or 0 with posted work) → wait → update the cached time → accept [→ release the
//   accept mutex] → run ready connections → expire timers → run posted connections
//
// Owns the listening socket, the poller, the connection table (each connection with its
// timer) and the timer tree; borrows the handler (http/handler.hpp) and the clock. Single-threaded.
// nginx counterpart: ngx_process_events_and_timers() (ngx_event.c). Introduced in chapter
// 08. Alternative not taken: a timer thread or timerfd per connection (a second thread to
// synchronise with, or an fd and a syscall per timeout change).
#pragma once

#include <memory>
#include <memory_resource>
#include <optional>
#include <vector>

#include "core/fd.hpp"
#include "cycle/connection_timeouts.hpp"
#include "event/connection_table.hpp"
#include "event/http_connection.hpp"
#include "event/poller.hpp"
#include "http/handler.hpp"
#include "http/http_date.hpp"
#include "http/stub_status.hpp"
#include "net/acceptor.hpp"
#include "net/reserve_fd_acceptor.hpp"
#include "static/static_file.hpp"
#include "sync/accept_mutex.hpp"
#include "timer/time_cache.hpp"
#include "timer/timer_tree.hpp"

namespace kit {

// Chapter 11: which worker accepts. Chapters 08-10 leave all of it off.
struct AcceptOptions {
  // Out of descriptors (EMFILE) or of connection slots (worker_connections in use): take the
  // listener out of epoll — for `delay` after EMFILE, until a connection closes when full — so
  // that the other workers take the connections and this one does not spin. Off: chapter 04's
  // reserve-fd trick, and a connection that finds the table full is closed (nginx: "worker
  // connections are not enough").
  bool pause = false;
  bool exclusive = false;        // the listener joins epoll with EPOLLEXCLUSIVE
  AcceptMutex* mutex = nullptr;  // accept_mutex on: the lock shared by the workers
  Msec delay = 500;              // nginx accept_mutex_delay
};

struct CycleOptions {
  size_t worker_connections = 10240;  // nginx worker_connections
  bool multi_accept = false;          // nginx multi_accept
  Timeouts timeouts;
  ConnectionOptions connection;            // keepalive_requests is taken from `timeouts`
  http::StatusCounters* status = nullptr;  // chapter 10: counted for stub_status if set
  http::WorkerCounters* worker = nullptr;  // chapter 11: this worker's own counters
  AcceptOptions accept;                    // chapter 11
  // Chapter 12: read buffers and request-pool blocks come from a per-worker pool resource that
  // keeps what idle connections give back for the next busy one: an idle connection holds no
  // memory, and going idle and busy again costs no malloc (nginx mallocs and frees instead).
  bool recycle_buffers = false;
};

class EventCycle {
 public:
  // `listener` must be a non-blocking listening socket.
  EventCycle(Fd listener, const http::Handler& handler, CycleOptions options, const Clock& clock);

  // Serves forever.
  [[noreturn]] void run();
  // Graceful shutdown (chapter 10, nginx on SIGQUIT): stop accepting, let every connection
  // finish the request it is in with "Connection: close", and close idle ones within
  // `idle_grace`. The worker exits once connections() is 0.
  void shutdown_gracefully(Msec idle_grace);
  // One iteration. `max_wait_ms` (tests) caps the wait; -1 leaves it to the timers.
  void process_events_and_timers(int max_wait_ms = -1);

  [[nodiscard]] size_t connections() const { return connections_.in_use(); }
  [[nodiscard]] size_t timers() const { return timers_.size(); }

 private:
  // A connection and the timer that guards it (destroyed in reverse: the timer first).
  struct TimedConnection {
    TimedConnection(Fd fd, const http::Handler& handler, http::DateCache& dates,
                    ConnectionOptions options, TimerTree& tree)
        : http(std::move(fd), handler, dates, options), timer(tree) {}
    HttpConnection http;
    TimerTree::Timer timer;
    ConnectionTimeouts timeouts;
    int counted_as = -1;  // stub_status category last counted (see count())
    uint64_t counted_requests = 0;
  };

  void choose_accepting();
  void accept_ready();
  AcceptStatus accept_one();
  void drive(uint64_t token, uint32_t events);
  void expire(uint64_t token);
  void close(uint64_t token);
  void count(TimedConnection& c, bool closing);

  Fd listener_;
  ReserveFdAcceptor acceptor_;
  const http::Handler& handler_;
  CycleOptions options_;
  TimeCache time_;
  http::DateCache dates_;
  TimerTree timers_;  // declared before connections_: every Timer must die before its tree
  // Chapter 12 (CycleOptions::recycle_buffers); declared before connections_, which use it.
  std::optional<std::pmr::unsynchronized_pool_resource> buffers_;
  TimerTree::Timer accept_pause_;  // armed while accepting is paused after EMFILE (chapter 11)
  bool listening_ = false;         // the listener is in the epoll set
  bool mutex_held_ = false;        // this worker holds the accept mutex (chapter 11)
  int64_t accept_disabled_ = 0;    // nginx's ngx_accept_disabled
  pid_t pid_;
  ConnectionTable<TimedConnection> connections_;
  std::unique_ptr<Poller> poller_;
  std::vector<ReadyEvent> events_;
  std::vector<uint64_t> posted_, running_;
};

}  // namespace kit
