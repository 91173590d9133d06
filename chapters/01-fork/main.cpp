// Chapter 01 — a process per connection.
//
// The parent only accepts; for each connection it fork()s a child that serves it and exits.
// An idle client now stalls only its own process. The price: a fork (page tables, copy-on-
// write faults) per connection and a process's memory per client. This is Apache's prefork
// model without the pre-: Apache keeps forked children around to avoid exactly that cost.
//
// New here: fork() per connection, and reaping children so none stays a zombie. From lib/:
// everything chapter 00 used.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>

#include "blocking/blocking_connection.hpp"
#include "chapter/chapter_cli.hpp"
#include "core/log.hpp"
#include "core/sys_error.hpp"
#include "net/acceptor.hpp"
#include "net/listener.hpp"
#include "static/static_file.hpp"

namespace {

// ---- lesson: reaping children ----
// A child that exits stays a zombie (its exit status kept for the parent) until the parent
// wait()s for it. SIGCHLD arrives when children exit; several exits may merge into one
// signal, so the handler reaps in a loop until none is left. waitpid() is async-signal-safe;
// errno is saved because the handler may interrupt code that is about to read it.
// (The shortcut would be SIGCHLD set to SIG_IGN, which makes the kernel reap for us — but
// then the parent can never learn how a child ended. nginx's master reaps the same way, in
// ngx_process_get_status().)
void reap_children(int /*signo*/) {
  const int saved_errno = errno;
  while (::waitpid(-1, nullptr, WNOHANG) > 0) {
  }
  errno = saved_errno;
}

void install_child_reaper() {
  struct sigaction sa {};
  sa.sa_handler = reap_children;
  sigemptyset(&sa.sa_mask);
  // SA_RESTART: an accept() interrupted by SIGCHLD restarts instead of failing with EINTR.
  sa.sa_flags = SA_RESTART | SA_NOCLDSTOP;
  if (::sigaction(SIGCHLD, &sa, nullptr) != 0) kit::throw_sys_error("sigaction(SIGCHLD)");
}
// ---- end lesson ----

}  // namespace

int main(int argc, char** argv) {
  kit::ChapterCli cli("ch01-fork",
                      "Chapter 01: a process per connection. The parent accepts and forks a "
                      "child per client; an idle client now blocks only its own process, at "
                      "the cost of a fork and a process's memory per connection.");
  if (auto exit_code = cli.parse(argc, argv)) return *exit_code;

  return kit::run_guarded(cli.name(), [&]() -> int {
    const kit::ServerOptions& options = cli.options();
    const kit::http::StaticSite site(options.root);
    kit::Fd listener = kit::listen_tcp({.host = options.host, .port = options.port});
    install_child_reaper();
    kit::announce_listening(cli.name(), listener.get(), options);

    // ---- lesson: fork per connection ----
    for (;;) {
      kit::Fd client = kit::accept_blocking(listener.get());
      const pid_t pid = ::fork();
      if (pid < 0) {
        // Out of processes or memory: drop this client (closing it), keep serving others.
        kit::log_errno(kit::LogLevel::kAlert, errno, "fork()");
        continue;
      }
      if (pid == 0) {
        // Child: it only serves, so it closes its copy of the listening socket at once, then
        // leaves with _exit() — exit() would run the parent's atexit handlers and flush the
        // parent's stdio buffers a second time.
        listener.reset();
        kit::serve_connection(std::move(client), site);
        ::_exit(0);
      }
      // Parent: `client` goes out of scope here and closes the parent's copy; the child's
      // copy keeps the connection open. Forgetting this is the classic fd leak of forking
      // servers (the client never sees EOF).
    }
    // ---- end lesson ----
  });
}
