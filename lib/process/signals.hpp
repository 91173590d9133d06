// The process-wide signal flags — the kit's only mutable globals besides the logger's
// settings, all here: a handler only sets a volatile sig_atomic_t (the one thing it may
// safely do), and the loop of the master or worker reads them after sigsuspend() or after
// an interrupted epoll_wait().
//
//   SIGHUP  → reconfigure   SIGQUIT → quit (graceful)   SIGTERM, SIGINT → terminate (fast)
//   SIGUSR1 → reopen logs   SIGCHLD → a worker exited (reap)   SIGPIPE ignored
//
// nginx counterpart: ngx_signal_handler() and ngx_reconfigure / ngx_quit / ngx_terminate /
// ngx_reopen / ngx_reap (ngx_process.c). Introduced in chapter 10. Alternative not taken:
// signalfd (one more descriptor in every loop, and the master has no loop but sigsuspend).
#pragma once

#include <csignal>
#include <optional>
#include <string_view>

namespace kit {

struct SignalFlags {
  volatile std::sig_atomic_t reconfigure = 0;
  volatile std::sig_atomic_t quit = 0;
  volatile std::sig_atomic_t terminate = 0;
  volatile std::sig_atomic_t reopen = 0;
  volatile std::sig_atomic_t child = 0;
};

SignalFlags& signal_flags();

// Installs the handlers above (SA_RESTART off, so blocking calls see EINTR).
void install_signal_handlers();
// The set of the signals above: the master blocks it except inside sigsuspend().
sigset_t handled_signals();
// A forked worker starts with the master's mask: unblock, clear inherited flags.
void reset_signals_for_worker();

// "-s reload|quit|stop|reopen" → the signal nginx sends for it.
std::optional<int> signal_for_command(std::string_view command);

}  // namespace kit
