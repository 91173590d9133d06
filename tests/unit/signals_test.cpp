// lib/process/signals.hpp: each signal sets its flag, -s commands map to nginx's signals,
// and a worker starts with clear flags and unblocked signals.
#include "process/signals.hpp"

#include <catch2/catch.hpp>
#include <csignal>

TEST_CASE("each handled signal sets its own flag", "[ch10][signals]") {
  kit::install_signal_handlers();
  kit::reset_signals_for_worker();
  kit::SignalFlags& f = kit::signal_flags();
  REQUIRE(std::raise(SIGHUP) == 0);
  CHECK(f.reconfigure == 1);
  CHECK(f.quit == 0);
  REQUIRE(std::raise(SIGQUIT) == 0);
  CHECK(f.quit == 1);
  REQUIRE(std::raise(SIGUSR1) == 0);
  CHECK(f.reopen == 1);
  REQUIRE(std::raise(SIGINT) == 0);
  CHECK(f.terminate == 1);
  kit::reset_signals_for_worker();
  CHECK(f.reconfigure == 0);
  CHECK(f.quit == 0);
  CHECK(f.terminate == 0);
  CHECK(f.reopen == 0);
  // The master blocks them outside sigsuspend(); a worker must not inherit that mask.
  const sigset_t set = kit::handled_signals();
  sigprocmask(SIG_BLOCK, &set, nullptr);
  kit::reset_signals_for_worker();
  sigset_t now;
  sigprocmask(SIG_BLOCK, nullptr, &now);
  CHECK_FALSE(sigismember(&now, SIGQUIT));
  CHECK_FALSE(sigismember(&now, SIGHUP));
}

TEST_CASE("the -s commands are nginx's signals", "[ch10][signals]") {
  CHECK(kit::signal_for_command("reload") == SIGHUP);
  CHECK(kit::signal_for_command("quit") == SIGQUIT);
  CHECK(kit::signal_for_command("stop") == SIGTERM);
  CHECK(kit::signal_for_command("reopen") == SIGUSR1);
  CHECK_FALSE(kit::signal_for_command("restart").has_value());
}
