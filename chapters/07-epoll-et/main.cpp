// Chapter 07 — epoll edge-triggered, and the connection as an explicit state machine.
//
// Level-triggered epoll (chapter 06) reports a ready fd on every epoll_wait until it is
// drained, and chapter 06 re-registers interest (epoll_ctl) after every request. Edge-triggered
// epoll (EPOLLET) reports a change once: each connection is registered once, for reading, and
// must then read or write until EAGAIN and remember whether it may go on — nginx's ev->ready.
// EPOLLOUT is added only while a response does not fit the socket buffer. The listener stays
// level-triggered, as in nginx, so taking one connection per wake-up loses none; --multi-accept
// takes all that are waiting (nginx's multi_accept).
//
// New here: the per-connection HTTP state machine (event/http_connection: READING_REQUEST_LINE
// → READING_HEADERS → READING_BODY → HANDLING → SENDING_HEADERS → SENDING_BODY →
// KEEPALIVE_WAIT | CLOSE), resumable at every EAGAIN, with keep-alive and pipelining, and
// per-fd edge triggering in the poller (kEventEdge). From lib/: everything chapter 06 used.
#include <array>
#include <limits>
#include <vector>

#include "chapter/chapter_cli.hpp"
#include "core/log.hpp"
#include "core/sys_error.hpp"
#include "event/connection_table.hpp"
#include "event/http_connection.hpp"
#include "event/poller.hpp"
#include "net/listener.hpp"
#include "net/reserve_fd_acceptor.hpp"
#include "static/static_file.hpp"

namespace {

// The listener's token: never produced by ConnectionTable (its indexes are < capacity).
constexpr uint64_t kListenerToken = std::numeric_limits<uint64_t>::max();
// Events taken per wait (nginx: NGX_EPOLL events array, 512 by default).
constexpr size_t kEventsPerWait = 512;
// A connection is watched for input edges always, for output edges only while armed.
constexpr uint32_t kConnectionEvents = kit::kEventRead | kit::kEventEdge;

}  // namespace

int main(int argc, char** argv) {
  kit::ChapterCli cli("ch07-epoll-et",
                      "Chapter 07: edge-triggered epoll; each connection is a resumable HTTP "
                      "state machine that reads and writes until EAGAIN (keep-alive, "
                      "pipelining).");
  size_t worker_connections = 0;
  bool multi_accept = false;
  cli.add_worker_connections(worker_connections);  // nginx's worker_connections
  cli.add_flag("--multi-accept", multi_accept,
               "accept every pending connection per wake-up, not one (nginx multi_accept)");
  if (auto exit_code = cli.parse(argc, argv)) return *exit_code;

  return kit::run_guarded(cli.name(), [&]() -> int {
    const kit::ServerOptions& options = cli.options();
    const kit::http::StaticSite site(options.root);
    kit::Fd listener =
        kit::listen_tcp({.host = options.host, .port = options.port, .nonblocking = true});
    kit::ReserveFdAcceptor acceptor;
    kit::http::DateCache dates;
    kit::ConnectionTable<kit::HttpConnection> connections(worker_connections);
    std::unique_ptr<kit::Poller> poller = kit::make_poller("epoll");
    if (!poller->add(listener.get(), kit::kEventRead, kListenerToken)) {  // level-triggered
      kit::throw_sys_error("adding the listener to epoll");
    }
    kit::announce_listening(cli.name(), listener.get(), options);

    auto accept_one = [&]() -> bool {
      kit::Fd client = acceptor.accept_next(listener.get());
      if (!client) return false;
      const int fd = client.get();
      auto token = connections.emplace(std::move(client), site, dates);
      if (!token) {
        kit::log(kit::LogLevel::kAlert, "{} worker_connections are not enough", worker_connections);
        return false;  // the table is full: `client` was not taken and closes here
      }
      // Registered once, for input edges; any bytes that arrived before this are reported
      // by the add itself.
      if (!poller->add(fd, kConnectionEvents, *token)) connections.erase(*token);
      return true;
    };

    // ---- lesson: the edge-triggered loop ----
    // One turn of one connection: run its state machine, then apply what it asks of the
    // poller. A connection that yielded after a response (posted()) is queued for another
    // turn once every other ready connection had one.
    std::vector<uint64_t> posted, running;
    auto drive = [&](uint64_t token, uint32_t events) {
      // A connection closed earlier in this batch has a newer generation: skip its event.
      kit::HttpConnection* c = connections.find(token);
      if (c == nullptr) return;
      // The state machine runs until it needs an edge it has not had (EAGAIN).
      bool ok = true;
      switch (c->on_event(events)) {
        case kit::ConnectionAction::kNone:
          break;
        case kit::ConnectionAction::kArmWrite:  // a response did not fit: wait for room
          ok = poller->modify(c->fd(), kConnectionEvents | kit::kEventWrite, token);
          break;
        case kit::ConnectionAction::kDisarmWrite:  // sent: no more wake-ups for free space
          ok = poller->modify(c->fd(), kConnectionEvents, token);
          break;
        case kit::ConnectionAction::kClose:
          poller->remove(c->fd());
          ok = false;
          break;
      }
      if (!ok) {
        connections.erase(token);  // closes the fd
      } else if (c->posted()) {
        posted.push_back(token);
      }
    };

    std::array<kit::ReadyEvent, kEventsPerWait> events;
    for (;;) {
      // With posted work waiting, only look for new events; do not sleep.
      const size_t n = poller->wait(events, posted.empty() ? -1 : 0);
      for (size_t i = 0; i < n; ++i) {
        const kit::ReadyEvent& ev = events[i];
        if (ev.token == kListenerToken) {
          while (accept_one() && multi_accept) {
          }
          continue;
        }
        drive(ev.token, ev.events);
      }
      // Then the posted connections, each for one more request (nginx:
      // ngx_event_process_posted()). No new edge will come for them: they are still readable.
      running.swap(posted);
      for (uint64_t token : running)
        drive(token, 0);
      running.clear();
    }
    // ---- end lesson ----
  });
}
