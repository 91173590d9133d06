#include "process/signals.hpp"

#include <cstring>

namespace kit {
namespace {

SignalFlags g_flags;

void on_signal(int sig) {
  switch (sig) {
    case SIGHUP:
      g_flags.reconfigure = 1;
      break;
    case SIGQUIT:
      g_flags.quit = 1;
      break;
    case SIGTERM:
    case SIGINT:
      g_flags.terminate = 1;
      break;
    case SIGUSR1:
      g_flags.reopen = 1;
      break;
    case SIGCHLD:
      g_flags.child = 1;
      break;
    default:
      break;
  }
}

constexpr int kSignals[] = {SIGHUP, SIGQUIT, SIGTERM, SIGINT, SIGUSR1, SIGCHLD};

}  // namespace

SignalFlags& signal_flags() {
  return g_flags;
}

void install_signal_handlers() {
  struct sigaction sa {};
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  for (int sig : kSignals)
    ::sigaction(sig, &sa, nullptr);
  std::signal(SIGPIPE, SIG_IGN);  // a peer that vanished is an EPIPE, not a dead process
}

sigset_t handled_signals() {
  sigset_t set;
  sigemptyset(&set);
  for (int sig : kSignals)
    sigaddset(&set, sig);
  return set;
}

void reset_signals_for_worker() {
  g_flags.reconfigure = 0;
  g_flags.quit = 0;
  g_flags.terminate = 0;
  g_flags.reopen = 0;
  g_flags.child = 0;
  struct sigaction sa {};
  sa.sa_handler = SIG_DFL;
  ::sigaction(SIGCHLD, &sa, nullptr);  // a worker has no children to reap
  const sigset_t set = handled_signals();
  ::sigprocmask(SIG_UNBLOCK, &set, nullptr);
}

std::optional<int> signal_for_command(std::string_view command) {
  if (command == "reload") return SIGHUP;
  if (command == "quit") return SIGQUIT;
  if (command == "stop") return SIGTERM;
  if (command == "reopen") return SIGUSR1;
  return std::nullopt;
}

}  // namespace kit
