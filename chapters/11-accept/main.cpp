// Chapter 11 — who accepts: the thundering herd, measured, and four ways to share a socket.
//
// In chapter 10 every worker has the one listening socket in its epoll set. A connection
// arrives and the kernel wakes every worker waiting on it; one accept4() wins, the others get
// EAGAIN and go back to sleep — the thundering herd — and which worker wins is luck, so the
// connections may pile up on one worker while another idles. Four answers, chosen in
// nginx.conf (or with --accept when there is no file):
//
//   (a) none       accept_mutex off;            every worker watches the socket (chapter 10)
//   (b) mutex      accept_mutex on;             nginx's accept mutex: a lock in shared memory;
//                                               only its holder watches the socket, the
//                                               others try again within 500 ms, and a worker
//                                               with < 1/8 of its slots free sits out turns
//   (c) exclusive  listen 8080 exclusive;       EPOLLEXCLUSIVE: the kernel wakes one waiter
//                                               (what nginx does by default since 1.11.3)
//   (d) reuseport  listen 8080 reuseport;       SO_REUSEPORT: a socket per worker; the kernel
//                                               picks the worker by hashing the connection
//
// In every mode a worker whose worker_connections are all in use, or that is out of
// descriptors (EMFILE), takes the socket out of its epoll set — for 500 ms after EMFILE,
// until a connection closes when full — so the other workers take the connections and
// nothing spins. The lesson code: lib/process/accept_modes.cpp (region "ch11": a configuration
// → a mode), lib/cycle/event_cycle.cpp (region "ch11"), lib/sync/accept_mutex.hpp,
// lib/process/master_process.cpp (open_listeners: reuseport).
// `/status?workers` shows how connections spread: per worker, accepts, wake-ups for the
// listener, and the empty ones (woken for a connection another worker took).
#include "process/accept_modes.hpp"
#include "process/master_main.hpp"

int main(int argc, char** argv) {
  kit::AcceptModes accept;  // before the master forks: the accept mutex is shared memory
  kit::MasterChapter chapter;
  chapter.name = "ch11-accept";
  chapter.lesson =
      "Chapter 11: chapter 10's workers sharing the listening socket four ways — no "
      "coordination, nginx's accept mutex, EPOLLEXCLUSIVE, SO_REUSEPORT — measured by "
      "/status?workers; a full or fd-starved worker stops accepting.";
  kit::use_accept_modes(chapter, accept);
  return kit::master_main(argc, argv, chapter);
}
