// Chapter 06 — epoll, level-triggered, behind one Poller interface.
//
// select() and poll() hand the kernel the whole interest set on every call and scan it all.
// epoll keeps the interest set inside the kernel (epoll_ctl once per change) and epoll_wait
// returns only the descriptors that are ready: with 8,000 idle connections and 50 busy ones,
// each wake-up costs in proportion to the 50. Level-triggered, as select and poll are: a
// ready fd is reported again every round until it is drained, so HttpSession works unchanged.
//
// New here: the Poller interface with its three backends (event/poller, select_poller,
// poll_poller, epoll_poller — pick one with --poller, so the three can be benchmarked on the
// same loop) and the connection table with generation-checked tokens (event/connection_table).
// From lib/: everything chapter 05 used.
#include <array>
#include <limits>

#include "chapter/chapter_cli.hpp"
#include "core/log.hpp"
#include "core/sys_error.hpp"
#include "event/connection_table.hpp"
#include "event/http_session.hpp"
#include "event/poller.hpp"
#include "net/listener.hpp"
#include "net/reserve_fd_acceptor.hpp"
#include "static/static_file.hpp"

namespace {

// The listener's token: never produced by ConnectionTable (its indexes are < capacity).
constexpr uint64_t kListenerToken = std::numeric_limits<uint64_t>::max();
// Events taken per wait (nginx: NGX_EPOLL events array, 512 by default).
constexpr size_t kEventsPerWait = 512;

uint32_t to_interest(kit::SessionWants want) {
  return want == kit::SessionWants::kWrite ? kit::kEventWrite : kit::kEventRead;
}

}  // namespace

int main(int argc, char** argv) {
  kit::ChapterCli cli("ch06-epoll-lt",
                      "Chapter 06: the event loop over epoll (level-triggered) behind one Poller "
                      "interface; --poller select|poll|epoll swaps the backend.");
  std::string poller_name = "epoll";
  size_t worker_connections = 0;
  cli.add_choice("--poller", poller_name, "readiness backend", {"select", "poll", "epoll"});
  cli.add_worker_connections(worker_connections);  // nginx's worker_connections
  if (auto exit_code = cli.parse(argc, argv)) return *exit_code;

  return kit::run_guarded(cli.name(), [&]() -> int {
    const kit::ServerOptions& options = cli.options();
    const kit::http::StaticSite site(options.root);
    kit::Fd listener =
        kit::listen_tcp({.host = options.host, .port = options.port, .nonblocking = true});
    kit::ReserveFdAcceptor acceptor;
    kit::http::DateCache dates;
    kit::ConnectionTable<kit::HttpSession> connections(worker_connections);
    std::unique_ptr<kit::Poller> poller = kit::make_poller(poller_name);
    if (!poller->add(listener.get(), kit::kEventRead, kListenerToken)) {
      kit::throw_sys_error("adding the listener to the poller");
    }
    kit::log(kit::LogLevel::kNotice, "using the \"{}\" event method", poller->name());
    kit::announce_listening(cli.name(), listener.get(), options);

    // ---- lesson: the event loop over a Poller ----
    std::array<kit::ReadyEvent, kEventsPerWait> events;
    for (;;) {
      const size_t n = poller->wait(events, -1);
      for (size_t i = 0; i < n; ++i) {
        const kit::ReadyEvent& ev = events[i];
        if (ev.token == kListenerToken) {
          kit::Fd client = acceptor.accept_next(listener.get());
          if (!client) continue;
          const int fd = client.get();
          auto token = connections.emplace(std::move(client), site, dates);
          if (!token) {
            kit::log(kit::LogLevel::kAlert, "{} worker_connections are not enough",
                     worker_connections);
            continue;  // the table is full: emplace took nothing, and `client` closes here
          }
          if (!poller->add(fd, kit::kEventRead, *token)) connections.erase(*token);
          continue;
        }
        // A connection closed earlier in this batch has a newer generation: skip its event.
        kit::HttpSession* s = connections.find(ev.token);
        if (s == nullptr) continue;
        // Whatever was reported (readable, writable, error), the session acts on what it is
        // doing: reading a request, or sending a response (where an error shows as a failed send).
        kit::SessionWants want = s->sending() ? s->on_writable() : s->on_readable();
        if (want == kit::SessionWants::kClose) {
          poller->remove(s->fd());
          connections.erase(ev.token);  // closes the fd
        } else if (!poller->modify(s->fd(), to_interest(want), ev.token)) {
          connections.erase(ev.token);
        }
      }
    }
    // ---- end lesson ----
  });
}
