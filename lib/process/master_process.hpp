// MasterProcess: nginx's process model. The master binds the listening socket, forks the
// workers, and then only waits for signals (sigsuspend) — it never touches client traffic:
//
//   SIGHUP   build the next generation (re-read the configuration); if it is valid, fork its
//            workers, then ask the old ones to finish in-flight requests and exit (SIGQUIT):
//            zero downtime. If it is not, log why and keep the old workers.
//   SIGQUIT  graceful shutdown: workers stop accepting, finish, exit; then the master.
//   SIGTERM  fast shutdown (SIGINT too).
//   SIGUSR1  passed on to the workers (reopen their logs).
//   SIGCHLD  reap; a worker of the current generation that died is respawned at once —
//            unless it exited with code 2: its set-up failed, and a copy would fail alike.
//
// The listening socket survives reloads when the address is unchanged (the workers of both
// generations accept from the same queue, so no connection is refused in between). With
// `listen ... reuseport` (chapter 11) the master opens one socket per worker slot instead,
// all bound to the same address with SO_REUSEPORT: the kernel spreads new connections over
// them, and worker i (and whoever respawns it) accepts from socket i only. Slots that a
// reload removes lose the connections still queued in their socket when the old workers
// stop (nginx has the same limitation).
// Owns the listening socket, the pid file and the workers (their pids). nginx counterpart:
// ngx_master_process_cycle(), ngx_start_worker_processes(), ngx_reap_children(),
// ngx_signal_worker_processes() (ngx_process_cycle.c). Introduced in chapter 10.
#pragma once

#include <sys/types.h>

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/fd.hpp"
#include "net/listener.hpp"

namespace kit {

// What a configuration asks of the master: where to listen, how many workers, what they run.
struct Generation {
  ListenOptions listen;
  int workers = 1;
  // Runs in the forked worker with its (inherited) listening socket; returns the exit code.
  std::function<int(int listen_fd)> worker_main;
};

class MasterProcess {
 public:
  // `reload` is called on SIGHUP: the next generation, or nullopt (after logging why) to keep
  // the current one.
  MasterProcess(Generation first, std::function<std::optional<Generation>()> reload,
                std::string pid_file);
  MasterProcess(const MasterProcess&) = delete;
  MasterProcess& operator=(const MasterProcess&) = delete;

  // Called with the pid of every worker that exits (reaped), before it is replaced: what the
  // worker held in shared memory — an accept mutex, a counters slot — is freed in its name.
  void on_worker_exit(std::function<void(pid_t)> callback) { on_exit_ = std::move(callback); }
  // Called on SIGUSR1 before the workers get it: the master reopens its own log files.
  void on_reopen(std::function<void()> callback) { on_reopen_ = std::move(callback); }

  // Binds, writes the pid file, forks the workers, calls on_listening(fd), then runs the
  // master loop until shutdown. Returns the exit code.
  int run(const std::function<void(int listen_fd)>& on_listening);

 private:
  struct Worker {
    pid_t pid;
    int generation;
    int slot;  // 0 .. workers-1: which reuseport socket it accepts from
  };

  void spawn_workers();
  pid_t spawn_worker(int slot);
  bool open_listeners(const Generation& next, bool keep_current);
  void reap();
  void reconfigure();
  void signal_workers(int sig, std::optional<int> generation = std::nullopt);
  void terminate_workers();

  Generation current_;
  std::function<std::optional<Generation>()> reload_;
  std::string pid_file_;
  std::vector<Fd> listeners_;  // one, or one per worker slot with reuseport
  std::function<void(pid_t)> on_exit_;
  std::function<void()> on_reopen_;
  int generation_ = 0;
  std::vector<Worker> workers_;
  bool quitting_ = false;
};

}  // namespace kit
