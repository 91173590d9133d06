// ServerProcess: one chapter server running as a child process for the length of a test.
// Owns the child (its whole process group: chapter 01 forks a child per connection), the read
// end of its stdout pipe and the memfd that collects its stderr. Construction returns only
// once the server printed its ready line ("<name>: listening on http://127.0.0.1:PORT/ ...")
// and throws — with the server's stderr — if it died or stayed silent for ready_timeout.
// Destruction always stops and reaps it: SIGTERM to the group, up to 2 s, then SIGKILL, so a
// failed REQUIRE (which unwinds) never leaves a server behind; PR_SET_PDEATHSIG covers the
// test binary itself being killed. Alternative not taken: posix_spawn, which cannot set the
// parent-death signal.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/fd.hpp"

namespace blackbox {

struct ServerSpec {
  std::string name;  // for messages: "ch04-select"
  std::filesystem::path executable;
  std::vector<std::string> args;  // argv[1..]
  std::chrono::milliseconds ready_timeout{10'000};
};

class ServerProcess {
 public:
  explicit ServerProcess(const ServerSpec& spec);
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  [[nodiscard]] uint16_t port() const { return port_; }
  [[nodiscard]] pid_t pid() const { return pid_; }
  [[nodiscard]] const std::string& ready_line() const { return ready_line_; }

  // Still running? Reaps it (and remembers how it ended) if it is not.
  [[nodiscard]] bool alive();
  // How it ended, e.g. "killed by signal 6", once alive() returned false.
  [[nodiscard]] const std::string& exit_description() const { return exit_description_; }

  // Everything the server wrote to stderr so far (its error_log).
  [[nodiscard]] std::string stderr_text() const;

 private:
  void spawn(const ServerSpec& spec);
  std::string read_ready_line(const ServerSpec& spec);
  void stop() noexcept;
  void note_exit(int wait_status);

  pid_t pid_ = -1;  // -1 once reaped
  kit::Fd stdout_;
  kit::Fd stderr_;  // a memfd: never fills up, so a chatty server cannot block on its log
  uint16_t port_ = 0;
  std::string ready_line_;
  std::string exit_description_;
};

}  // namespace blackbox
