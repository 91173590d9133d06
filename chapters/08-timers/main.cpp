// Chapter 08 — timers: timeouts reclaim connections, with no timer thread.
//
// Chapter 07 keeps a connection for as long as the client likes: a client that connects and
// says nothing, drips a request one byte every few seconds (slowloris), stops reading its
// response, or idles on keep-alive holds a descriptor and a table slot forever. Here every
// connection carries one timer in a tree ordered by deadline, chosen by its state (nginx's
// client_header_timeout, client_body_timeout, send_timeout, keepalive_timeout), and the loop
// sleeps in epoll_wait only until the earliest deadline; keepalive_requests caps the requests
// per connection. The loop also reads the clock once per iteration and every deadline, Date
// header and log line of that iteration uses the cached value.
//
// New here (the lesson, in lib/ because chapter 09 runs the same loop):
//   timer/timer_tree        the tree: add, cancel, wait_timeout, pop_expired
//   timer/time_cache        cached time (ngx_time_update) over an injectable clock
//   cycle/connection_timeouts  which timer guards which state, and when it restarts
//   cycle/event_cycle       process_events_and_timers(), nginx's loop iteration
// From lib/: chapter 07's HttpConnection state machine, the poller, the connection table.
#include "chapter/chapter_cli.hpp"
#include "cycle/event_cycle.hpp"
#include "cycle/timeout_options.hpp"
#include "net/listener.hpp"
#include "static/static_file.hpp"
#include "timer/time_cache.hpp"

int main(int argc, char** argv) {
  kit::ChapterCli cli("ch08-timers",
                      "Chapter 08: chapter 07's edge-triggered loop with a timer tree, cached "
                      "time and posted events; nginx's timeouts close slow, silent and idle "
                      "clients.");
  kit::CycleOptions cycle;
  cli.add_worker_connections(cycle.worker_connections);  // nginx's worker_connections
  cli.add_flag("--multi-accept", cycle.multi_accept,
               "accept every pending connection per wake-up, not one (nginx multi_accept)");
  // ---- lesson: nginx's timeout directives ----
  kit::add_timeout_options(cli.app(), cycle.timeouts);
  // ---- end lesson ----
  if (auto exit_code = cli.parse(argc, argv)) return *exit_code;

  return kit::run_guarded(cli.name(), [&]() -> int {
    const kit::ServerOptions& options = cli.options();
    const kit::http::StaticSite site(options.root);
    kit::Fd listener =
        kit::listen_tcp({.host = options.host, .port = options.port, .nonblocking = true});
    const int listen_fd = listener.get();
    const kit::SystemClock clock;
    kit::EventCycle worker(std::move(listener), site, cycle, clock);
    kit::announce_listening(cli.name(), listen_fd, options);
    // ---- lesson: the worker loop ----
    // Each iteration: wait until the earliest timer, update the cached time, run ready
    // connections, expire timers, run posted connections (ngx_process_events_and_timers).
    worker.run();
    // ---- end lesson ----
  });
}
