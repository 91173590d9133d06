#include "process/master_process.hpp"

#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <thread>

#include "core/log.hpp"
#include "core/sys_error.hpp"
#include "process/signals.hpp"

namespace kit {
namespace {

// How long a fast shutdown waits for workers before SIGKILL (nginx escalates the same way).
constexpr auto kTerminateGrace = std::chrono::seconds(5);
// A worker that could not start (its set-up threw) exits with this code and is not respawned:
// a fresh copy would fail the same way, in a loop (nginx: "exited with fatal code 2 and cannot
// be respawned").
constexpr int kWorkerFatal = 2;

std::string describe_exit(int status) {
  if (WIFEXITED(status)) return "exited with code " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) return "exited on signal " + std::to_string(WTERMSIG(status));
  return "stopped";
}

bool same_address(const ListenOptions& a, const ListenOptions& b) {
  return a.host == b.host && a.port == b.port && a.reuseport == b.reuseport;
}

}  // namespace

MasterProcess::MasterProcess(Generation first, std::function<std::optional<Generation>()> reload,
                             std::string pid_file)
    : current_(std::move(first)), reload_(std::move(reload)), pid_file_(std::move(pid_file)) {
}

int MasterProcess::run(const std::function<void(int listen_fd)>& on_listening) {
  install_signal_handlers();
  const sigset_t handled = handled_signals();
  ::sigprocmask(SIG_BLOCK, &handled, nullptr);  // delivered only inside sigsuspend()

  current_.listen.nonblocking = true;
  open_listeners(current_, false);  // throws: nothing to keep at start
  if (!pid_file_.empty()) {
    std::ofstream(pid_file_) << ::getpid() << '\n';
    if (!std::ifstream(pid_file_)) throw_sys_error("writing the pid file " + pid_file_);
  }
  spawn_workers();
  on_listening(listeners_.front().get());  // after the fork: "ready" means the workers exist

  sigset_t wait_mask;
  sigemptyset(&wait_mask);
  SignalFlags& flags = signal_flags();
  for (;;) {
    ::sigsuspend(&wait_mask);  // returns after a handler ran
    if (flags.child) {
      flags.child = 0;
      reap();
    }
    if (flags.terminate) {
      log(LogLevel::kNotice, "exiting (fast shutdown)");
      terminate_workers();
      break;
    }
    if (flags.quit && !quitting_) {
      log(LogLevel::kNotice, "gracefully shutting down");
      quitting_ = true;
      listeners_.clear();  // the workers hold their own copies
      signal_workers(SIGQUIT);
    }
    if (quitting_ && workers_.empty()) break;
    if (flags.reconfigure && !quitting_) {
      flags.reconfigure = 0;
      reconfigure();
    }
    if (flags.reopen) {
      flags.reopen = 0;
      if (on_reopen_) on_reopen_();
      log(LogLevel::kNotice, "reopening logs");
      signal_workers(SIGUSR1);
    }
  }
  if (!pid_file_.empty()) ::unlink(pid_file_.c_str());
  log(LogLevel::kNotice, "exit");
  return 0;
}

void MasterProcess::spawn_workers() {
  ++generation_;
  for (int slot = 0; slot < current_.workers; ++slot) {
    const pid_t pid = spawn_worker(slot);
    log(LogLevel::kNotice, "start worker process {}", pid);
  }
}

pid_t MasterProcess::spawn_worker(int slot) {
  const pid_t pid = ::fork();
  if (pid < 0) throw_sys_error("fork() of a worker process");
  if (pid == 0) {
    // The worker: unblock the signals, run, and never return into the master's stack.
    ::prctl(PR_SET_PDEATHSIG, SIGTERM);  // a master killed by SIGKILL takes its workers along
    reset_signals_for_worker();
    // Only this slot's socket stays open here: with reuseport the others belong to the
    // other workers.
    Fd mine = std::move(listeners_[static_cast<size_t>(slot) % listeners_.size()]);
    listeners_.clear();
    int code = kWorkerFatal;
    try {
      code = current_.worker_main(mine.release());
    } catch (const std::exception& e) {
      log(LogLevel::kEmerg, "worker: {}", e.what());
    }
    std::_Exit(code);  // no atexit handlers or static destructors of the master's state
  }
  workers_.push_back({pid, generation_, slot});
  return pid;
}

// ngx_reap_children(): every worker that exited is forgotten; one of the current generation
// that exited while nobody asked it to is replaced at once.
void MasterProcess::reap() {
  for (;;) {
    int status = 0;
    const pid_t pid = ::waitpid(-1, &status, WNOHANG);
    if (pid <= 0) return;
    for (auto it = workers_.begin(); it != workers_.end(); ++it) {
      if (it->pid != pid) continue;
      const bool current = it->generation == generation_;
      const int slot = it->slot;
      workers_.erase(it);
      if (on_exit_) on_exit_(pid);
      const bool fatal = WIFEXITED(status) && WEXITSTATUS(status) == kWorkerFatal;
      if (current && fatal) {
        log(LogLevel::kAlert, "worker process {} exited with fatal code {} and cannot be respawned",
            pid, kWorkerFatal);
      } else if (current && !quitting_ && !signal_flags().terminate) {
        log(LogLevel::kAlert, "worker process {} {}: respawning", pid, describe_exit(status));
        const pid_t fresh = spawn_worker(slot);
        log(LogLevel::kNotice, "start worker process {}", fresh);
      } else {
        log(LogLevel::kNotice, "worker process {} {}", pid, describe_exit(status));
      }
      break;
    }
  }
}

// The sockets a generation accepts from: one, or one per worker slot with reuseport. With
// `keep_current` (a reload to the same address) the open ones are kept, so the connections
// queued in them are not lost, and only missing slots are opened. At start a failure throws;
// on reload it is logged, the old sockets stay and false says to keep the old generation.
bool MasterProcess::open_listeners(const Generation& next, bool keep_current) {
  const size_t wanted = next.listen.reuseport ? static_cast<size_t>(next.workers) : 1;
  const size_t kept = keep_current ? std::min(wanted, listeners_.size()) : 0;
  ListenOptions options = next.listen;
  // Port 0 (the tests): the kernel picks one for the first socket; the others join it there.
  if (options.port == 0 && kept > 0) options.port = local_port(listeners_.front().get());
  std::vector<Fd> opened;
  try {
    for (size_t i = kept; i < wanted; ++i) {
      opened.push_back(listen_tcp(options));
      if (options.port == 0) options.port = local_port(opened.back().get());
    }
  } catch (const std::exception& e) {
    if (listeners_.empty()) throw;
    log(LogLevel::kEmerg, "{}; keeping the old configuration", e.what());
    return false;
  }
  listeners_.resize(kept);  // sockets of removed slots close here (the old workers hold copies)
  for (Fd& fd : opened)
    listeners_.push_back(std::move(fd));
  return true;
}

void MasterProcess::reconfigure() {
  log(LogLevel::kNotice, "reconfiguring");
  std::optional<Generation> next = reload_();
  if (!next) return;  // the reason was logged; the old workers go on
  next->listen.nonblocking = true;
  if (!open_listeners(*next, same_address(next->listen, current_.listen))) return;
  const int old_generation = generation_;
  current_ = std::move(*next);
  spawn_workers();
  signal_workers(SIGQUIT, old_generation);
}

void MasterProcess::signal_workers(int sig, std::optional<int> generation) {
  for (const Worker& w : workers_) {
    if (generation && w.generation > *generation) continue;
    if (::kill(w.pid, sig) != 0) log_errno(LogLevel::kAlert, errno, "kill() of a worker");
  }
}

void MasterProcess::terminate_workers() {
  signal_workers(SIGTERM);
  const auto deadline = std::chrono::steady_clock::now() + kTerminateGrace;
  bool killed = false;
  while (!workers_.empty()) {
    int status = 0;
    const pid_t pid = ::waitpid(-1, &status, WNOHANG);
    if (pid > 0) {
      std::erase_if(workers_, [pid](const Worker& w) { return w.pid == pid; });
      continue;
    }
    if (pid < 0 && errno == ECHILD) break;
    if (!killed && std::chrono::steady_clock::now() > deadline) {
      log(LogLevel::kAlert, "workers did not exit within {} s: SIGKILL", kTerminateGrace.count());
      signal_workers(SIGKILL);
      killed = true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

}  // namespace kit
