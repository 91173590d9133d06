// Chapter 04 — one thread, non-blocking sockets, select().
//
// No thread or process per connection any more: one thread watches every socket and serves
// whichever is ready, so an idle client costs a descriptor and a small HttpSession, not a
// stack. select() has two limits this chapter shows on purpose: fd_set is a fixed bitmap of
// FD_SETSIZE (1024) bits, so no descriptor at or above 1024 can be watched at all; and every
// call copies the sets in and out and scans every fd up to the highest, ready or not — O(n).
//
// New here: the select loop, written out. From lib/: the non-blocking accept with the reserve-
// fd answer to EMFILE (net/reserve_fd_acceptor), the level-triggered HTTP session that never
// blocks (event/http_session), and everything chapter 00 used.
#include <sys/select.h>

#include <memory>
#include <vector>

#include "chapter/chapter_cli.hpp"
#include "core/log.hpp"
#include "core/sys_error.hpp"
#include "event/http_session.hpp"
#include "http/response_sender.hpp"
#include "net/listener.hpp"
#include "net/reserve_fd_acceptor.hpp"
#include "static/static_file.hpp"

namespace {

// A connection whose fd select() cannot watch is answered 503 and closed — never FD_SET:
// FD_SET(1024, &set) writes past the end of the bitmap and corrupts memory.
void refuse_beyond_fd_setsize(kit::Fd client, kit::http::DateCache& dates) {
  kit::log(kit::LogLevel::kWarn, "fd {} is beyond select's FD_SETSIZE ({}): answered 503",
           client.get(), FD_SETSIZE);
  kit::http::ResponseSender refusal(kit::http::error_response(503, false, dates.now()));
  static_cast<void>(refusal.send(client.get()));  // one try: the socket buffer is empty
}

}  // namespace

int main(int argc, char** argv) {
  kit::ChapterCli cli("ch04-select",
                      "Chapter 04: one thread serves every connection with non-blocking "
                      "sockets and select(). No thread per client, but at most FD_SETSIZE "
                      "(1024) descriptors, and each call scans them all.");
  if (auto exit_code = cli.parse(argc, argv)) return *exit_code;

  return kit::run_guarded(cli.name(), [&]() -> int {
    const kit::ServerOptions& options = cli.options();
    const kit::http::StaticSite site(options.root);
    kit::Fd listener =
        kit::listen_tcp({.host = options.host, .port = options.port, .nonblocking = true});
    kit::ReserveFdAcceptor acceptor;
    kit::http::DateCache dates;
    kit::announce_listening(cli.name(), listener.get(), options);

    // ---- lesson: the select loop ----
    std::vector<std::unique_ptr<kit::HttpSession>> sessions(FD_SETSIZE);  // by fd
    fd_set want_read, want_write;
    FD_ZERO(&want_read);
    FD_ZERO(&want_write);
    FD_SET(listener.get(), &want_read);
    int max_fd = listener.get();

    for (;;) {
      // select() overwrites its arguments with the result, so it gets copies every round.
      fd_set readable = want_read, writable = want_write;
      if (::select(max_fd + 1, &readable, &writable, nullptr, nullptr) < 0) {
        if (errno == EINTR) continue;
        kit::throw_sys_error("select()");
      }
      if (FD_ISSET(listener.get(), &readable)) {
        if (kit::Fd client = acceptor.accept_next(listener.get())) {
          const int fd = client.get();
          if (fd >= FD_SETSIZE) {
            refuse_beyond_fd_setsize(std::move(client), dates);
          } else {
            sessions[fd] = std::make_unique<kit::HttpSession>(std::move(client), site, dates);
            FD_SET(fd, &want_read);
            if (fd > max_fd) max_fd = fd;
          }
        }
      }
      // The O(n) scan: every descriptor up to the highest is checked, ready or not.
      for (int fd = 0; fd <= max_fd; ++fd) {
        if (!sessions[fd]) continue;
        kit::SessionWants want;
        if (FD_ISSET(fd, &readable)) {
          want = sessions[fd]->on_readable();
        } else if (FD_ISSET(fd, &writable)) {
          want = sessions[fd]->on_writable();
        } else {
          continue;
        }
        FD_CLR(fd, &want_read);
        FD_CLR(fd, &want_write);
        if (want == kit::SessionWants::kRead) FD_SET(fd, &want_read);
        if (want == kit::SessionWants::kWrite) FD_SET(fd, &want_write);
        if (want == kit::SessionWants::kClose) sessions[fd].reset();  // closes the fd
      }
    }
    // ---- end lesson ----
  });
}
