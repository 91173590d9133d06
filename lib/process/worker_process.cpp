#include "process/worker_process.hpp"

#include "core/log.hpp"
#include "process/signals.hpp"

namespace kit {
namespace {

// The longest a worker sleeps in epoll_wait without looking at its signal flags: bounds the
// delay of a signal that arrived between the check and the wait (epoll_pwait would close
// that window, but the Poller interface has no signal mask).
constexpr int kSignalCheckMs = 500;
// A graceful shutdown gives idle keep-alive connections this long to send one more request
// (answered with "Connection: close") before they are closed.
constexpr Msec kIdleGrace = 1000;

}  // namespace

int run_worker(EventCycle& cycle, const std::function<void()>& reopen) {
  SignalFlags& flags = signal_flags();
  bool exiting = false;
  for (;;) {
    cycle.process_events_and_timers(kSignalCheckMs);
    if (flags.terminate) {
      log(LogLevel::kNotice, "exiting (fast shutdown), {} connections dropped",
          cycle.connections());
      return 0;
    }
    if (flags.quit && !exiting) {
      exiting = true;
      log(LogLevel::kNotice, "gracefully shutting down, {} connections open", cycle.connections());
      cycle.shutdown_gracefully(kIdleGrace);
    }
    if (exiting && cycle.connections() == 0) {
      log(LogLevel::kNotice, "exiting");
      return 0;
    }
    if (flags.reopen) {
      flags.reopen = 0;
      if (reopen) reopen();  // the error log is the inherited stderr: nothing to reopen
    }
  }
}

}  // namespace kit
