#include "process/accept_modes.hpp"

namespace kit {

using config::ServerConfig;

// ---- lesson: ch11 the four ways ----
// What a configuration asks of a worker's accepting. Every mode pauses when full or out of
// fds; (d) needs nothing here: the master opened this worker a socket of its own.
void configure_accept(const ServerConfig& c, AcceptOptions& accept, AcceptMutex& mutex) {
  const config::Listen& listen = c.servers[0].listens[0];
  accept.pause = true;
  if (listen.exclusive) {
    accept.exclusive = true;  // (c)
  } else if (c.accept_mutex && c.worker_processes > 1) {
    accept.mutex = &mutex;  // (b) — one worker needs no lock, as in nginx
  }
}
// ---- end lesson ----

void use_accept_modes(MasterChapter& chapter, AcceptModes& modes) {
  chapter.add_options = [&modes](ChapterCli& cli) {
    cli.add_choice("--accept", modes.mode,
                   "without -c: none (accept_mutex off), mutex (accept_mutex on), exclusive "
                   "(listen ... exclusive), reuseport (listen ... reuseport)",
                   {"none", "mutex", "exclusive", "reuseport"});
  };
  chapter.apply_flags = [&modes](ServerConfig& c) {
    c.accept_mutex = modes.mode == "mutex";
    c.servers[0].listens[0].exclusive = modes.mode == "exclusive";
    c.servers[0].listens[0].reuseport = modes.mode == "reuseport";
  };
  chapter.check_supported = [](const ServerConfig& c) {
    const config::Listen& listen = c.servers[0].listens[0];
    if (c.accept_mutex && (listen.reuseport || listen.exclusive)) {
      throw config::ConfigError(
          c.file, 0, "accept_mutex on and listen ... reuseport/exclusive exclude each other");
    }
  };
  chapter.configure_worker = [&modes](const ServerConfig& c, CycleOptions& o) {
    configure_accept(c, o.accept, modes.mutex.get());
  };
  // A worker killed while holding the lock would stop all accepting: free it in its name
  // (nginx: ngx_shmtx_force_unlock in ngx_reap_children).
  chapter.on_worker_exit = [&modes](pid_t pid) { modes.mutex.get().force_unlock(pid); };
}

}  // namespace kit
