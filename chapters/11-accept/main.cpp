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
// nothing spins. The lesson code: lib/cycle/event_cycle.cpp (region "ch11"),
// lib/sync/accept_mutex.hpp, lib/process/master_process.cpp (open_listeners: reuseport).
// `/status?workers` shows how connections spread: per worker, accepts, wake-ups for the
// listener, and the empty ones (woken for a connection another worker took).
#include <string>

#include "config/server_config.hpp"
#include "process/master_main.hpp"
#include "process/shared_memory.hpp"

namespace {

using kit::config::ServerConfig;

// ---- lesson: ch11 the four ways ----
// What a configuration asks of a worker's accepting. Every mode pauses when full or out of
// fds; (d) needs nothing here: the master opened this worker a socket of its own.
void configure_accept(const ServerConfig& c, kit::AcceptOptions& accept, kit::AcceptMutex& mutex) {
  const kit::config::Listen& listen = c.servers[0].listens[0];
  accept.pause = true;
  if (listen.exclusive) {
    accept.exclusive = true;  // (c)
  } else if (c.accept_mutex && c.worker_processes > 1) {
    accept.mutex = &mutex;  // (b) — one worker needs no lock, as in nginx
  }
}
// ---- end lesson ----

}  // namespace

int main(int argc, char** argv) {
  // The accept mutex, mapped shared before the master forks: every worker sees this word.
  kit::SharedObject<kit::AcceptMutex> mutex;
  std::string mode = "none";

  kit::MasterChapter chapter;
  chapter.name = "ch11-accept";
  chapter.lesson =
      "Chapter 11: chapter 10's workers sharing the listening socket four ways — no "
      "coordination, nginx's accept mutex, EPOLLEXCLUSIVE, SO_REUSEPORT — measured by "
      "/status?workers; a full or fd-starved worker stops accepting.";
  chapter.add_options = [&](kit::ChapterCli& cli) {
    cli.add_choice("--accept", mode,
                   "without -c: none (accept_mutex off), mutex (accept_mutex on), exclusive "
                   "(listen ... exclusive), reuseport (listen ... reuseport)",
                   {"none", "mutex", "exclusive", "reuseport"});
  };
  chapter.apply_flags = [&](ServerConfig& c) {
    c.accept_mutex = mode == "mutex";
    c.servers[0].listens[0].exclusive = mode == "exclusive";
    c.servers[0].listens[0].reuseport = mode == "reuseport";
  };
  chapter.check_supported = [](const ServerConfig& c) {
    const kit::config::Listen& listen = c.servers[0].listens[0];
    if (c.accept_mutex && (listen.reuseport || listen.exclusive)) {
      throw kit::config::ConfigError(
          c.file, 0, "accept_mutex on and listen ... reuseport/exclusive exclude each other");
    }
  };
  chapter.configure_worker = [&](const ServerConfig& c, kit::CycleOptions& o) {
    configure_accept(c, o.accept, mutex.get());
  };
  // A worker killed while holding the lock would stop all accepting: free it in its name
  // (nginx: ngx_shmtx_force_unlock in ngx_reap_children).
  chapter.on_worker_exit = [&](pid_t pid) { mutex.get().force_unlock(pid); };
  return kit::master_main(argc, argv, chapter);
}
