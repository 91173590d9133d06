// Chapter 05 — poll().
//
// The same one-thread loop as chapter 04 with select() replaced by poll(): the interest set
// is an array of struct pollfd, as long as it needs to be, so the FD_SETSIZE wall is gone and
// the process's descriptor limit (ulimit -n) is the only cap. What remains: every call hands
// the whole array to the kernel, which checks every entry, and the loop scans every entry
// for revents — the cost of a wake-up still grows with idle connections, not ready ones.
//
// New here: the poll loop, written out. From lib/: everything chapter 04 used.
#include <poll.h>

#include <algorithm>
#include <memory>
#include <vector>

#include "chapter/chapter_cli.hpp"
#include "core/sys_error.hpp"
#include "event/http_session.hpp"
#include "net/listener.hpp"
#include "net/reserve_fd_acceptor.hpp"
#include "static/static_file.hpp"

namespace {

short to_poll_events(kit::SessionWants want) {
  return want == kit::SessionWants::kWrite ? POLLOUT : POLLIN;
}

}  // namespace

int main(int argc, char** argv) {
  kit::ChapterCli cli("ch05-poll",
                      "Chapter 05: the one-thread loop with poll(). No FD_SETSIZE cap, but each "
                      "call passes and scans every watched descriptor, idle or not.");
  if (auto exit_code = cli.parse(argc, argv)) return *exit_code;

  return kit::run_guarded(cli.name(), [&]() -> int {
    const kit::ServerOptions& options = cli.options();
    const kit::http::StaticSite site(options.root);
    kit::Fd listener =
        kit::listen_tcp({.host = options.host, .port = options.port, .nonblocking = true});
    kit::ReserveFdAcceptor acceptor;
    kit::http::DateCache dates;
    kit::announce_listening(cli.name(), listener.get(), options);

    // ---- lesson: the poll loop ----
    std::vector<std::unique_ptr<kit::HttpSession>> sessions;   // by fd, grown on demand
    std::vector<pollfd> watched{{listener.get(), POLLIN, 0}};  // [0] is the listener

    for (;;) {
      if (::poll(watched.data(), watched.size(), -1) < 0) {
        if (errno == EINTR) continue;
        kit::throw_sys_error("poll()");
      }
      // The O(n) scan: the kernel marked revents somewhere in the array; look at every entry.
      // Entry 0 is the listener; closed sessions are marked fd = -1 and swept afterwards.
      for (size_t i = 1; i < watched.size(); ++i) {
        pollfd& p = watched[i];
        if (p.revents == 0) continue;
        kit::HttpSession& s = *sessions[static_cast<size_t>(p.fd)];
        // POLLERR/POLLHUP come without being asked for; the session finds out by its next read
        // or write which of the two it was doing.
        kit::SessionWants want = s.sending() ? s.on_writable() : s.on_readable();
        if (want == kit::SessionWants::kClose) {
          sessions[static_cast<size_t>(p.fd)].reset();  // closes the fd
          p.fd = -1;
        } else {
          p.events = to_poll_events(want);
        }
      }
      std::erase_if(watched, [](const pollfd& p) { return p.fd < 0; });
      if (watched[0].revents & POLLIN) {
        if (kit::Fd client = acceptor.accept_next(listener.get())) {
          const auto fd = static_cast<size_t>(client.get());
          if (fd >= sessions.size()) sessions.resize(fd + 1);
          watched.push_back({client.get(), POLLIN, 0});
          sessions[fd] = std::make_unique<kit::HttpSession>(std::move(client), site, dates);
        }
      }
    }
    // ---- end lesson ----
  });
}
