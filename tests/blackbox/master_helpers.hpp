// Helpers for the tests of the master/worker chapters (10+): configuration files in a
// temporary directory, running the chapter as a command (-t, -s), and finding its workers.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace blackbox {

// A directory for configuration files, removed afterwards.
struct TempDir {
  std::filesystem::path dir;
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  // Writes `text` to dir/name; returns the path.
  std::string write(const std::string& name, const std::string& text) const;
};

// Runs the chapter with `args`; its exit code and everything it printed.
std::pair<int, std::string> run_chapter(const std::string& args);

// The master's children (its workers), from /proc.
std::vector<pid_t> workers_of(pid_t master);

// The workers, once there are `n` of them (a respawn or reload takes a moment).
std::vector<pid_t> wait_for_workers(pid_t master, size_t n);

// A free port now, below the kernel's ephemeral range (see the definition for why).
uint16_t free_port();

// A minimal nginx.conf serving `root` on 127.0.0.1:port.
std::string config_text(const std::string& root, uint16_t port, int workers);

// Four keep-alive clients request /hello.txt in a loop for 300 ms, while `during` runs, and for
// 300 ms after. A 200 counts as ok; anything else, or an error, as failed ("Connection: close"
// from an old worker leaving just means reconnect; so does a failure).
struct LoadResult {
  int ok = 0;
  int failed = 0;
  int ok_after = 0;                   // of `ok`: answered after `during` returned
  int most_failed_by_one = 0;         // the most failures one client saw
  std::vector<pid_t> workers_before;  // reload_under_load: the workers before the first reload
};
LoadResult load_while(uint16_t port, const std::function<void()>& during);

// load_while(), the master getting `reloads` SIGHUPs 400 ms apart.
LoadResult reload_under_load(pid_t master, uint16_t port, size_t workers, int reloads);

// CPU time (user + system) a process has used so far, in clock ticks (/proc/PID/stat).
long cpu_ticks(pid_t pid);

}  // namespace blackbox
