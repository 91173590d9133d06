// loadgen: the kit's HTTP/1.1 load generator. An epoll client (client_loop.cpp) driving N
// keep-alive, pipelined or short connections against one server on loopback, optionally
// alongside idle holders (the C10K experiment) or slowloris holders that drip a request head
// that never ends, for a fixed time or request count.
// When the connections exceed what one process may open, it forks several processes and
// merges their counters and latency histograms.
//
//   loadgen --port 8080 -c 100 -d 5                     keep-alive, 100 connections, 5 s
//   loadgen --port 8080 -c 50 --idle 8000 --csv         50 active beside 8,000 idle holders
//   loadgen --port 8080 --mode short -c 50 -n 20000     20,000 one-request connections
//   loadgen --port 8080 -c 50 --idle 5000 --idle-drip 1  50 active beside 5,000 slowloris
#include <fcntl.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "client_loop.hpp"
#include "core/fd.hpp"
#include "core/sys_error.hpp"

namespace {

using kit::bench::LoadMode;
using kit::bench::LoadOptions;
using kit::bench::LoadResult;

// Descriptors one process may use for connections: the soft limit less a margin.
int connections_per_process() {
  rlimit rl{};
  ::getrlimit(RLIMIT_NOFILE, &rl);
  const auto limit = static_cast<long long>(rl.rlim_cur);
  return static_cast<int>(std::max<long long>(64, std::min<long long>(limit, 1 << 20) - 64));
}

void write_all(int fd, std::string_view s) {
  while (!s.empty()) {
    const ssize_t n = ::write(fd, s.data(), s.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    s.remove_prefix(static_cast<size_t>(n));
  }
}

// Part `k` of `n` of a total, as even as possible.
int share(int total, int k, int n) {
  return total / n + (k < total % n ? 1 : 0);
}

// Runs the load in `processes` children; each reports "ready\n" when its idle holders are
// open, then its serialized result. The parent writes the ready file when all are ready.
int run_processes(const LoadOptions& o, int processes, const std::string& ready_file,
                  LoadResult& total) {
  struct Child {
    pid_t pid;
    kit::Fd pipe;
    std::string text;
    bool ready = false;
  };
  std::vector<Child> children;
  int first_source = 0;
  for (int k = 0; k < processes; ++k) {
    LoadOptions part = o;
    part.connections = share(o.connections, k, processes);
    part.idle = share(o.idle, k, processes);
    part.first_source = first_source;
    first_source += part.connections + part.idle;
    if (o.requests > 0)
      part.requests = static_cast<uint64_t>(share(static_cast<int>(o.requests), k, processes));
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) kit::throw_sys_error("pipe2");
    const pid_t pid = ::fork();
    if (pid < 0) kit::throw_sys_error("fork");
    if (pid == 0) {
      ::close(fds[0]);
      int code = 0;
      try {
        const LoadResult r = kit::bench::run_load(part, [&] { write_all(fds[1], "ready\n"); });
        write_all(fds[1], r.serialize() + "\n");
      } catch (const std::exception& e) {
        std::fprintf(stderr, "loadgen[%d]: %s\n", k, e.what());
        code = 1;
      }
      ::_exit(code);
    }
    ::close(fds[1]);
    children.push_back({pid, kit::Fd(fds[0]), {}, false});
  }
  size_t open = children.size();
  bool announced = false;
  while (open > 0) {
    std::vector<pollfd> pfds;
    for (auto& c : children)
      pfds.push_back({c.pipe.get(), POLLIN, 0});
    if (::poll(pfds.data(), pfds.size(), -1) < 0 && errno != EINTR) kit::throw_sys_error("poll");
    for (size_t i = 0; i < children.size(); ++i) {
      if (!(pfds[i].revents & (POLLIN | POLLHUP)) || !children[i].pipe) continue;
      char buf[65536];
      const ssize_t n = ::read(children[i].pipe.get(), buf, sizeof buf);
      if (n <= 0) {
        children[i].pipe.reset();
        --open;
        continue;
      }
      children[i].text.append(buf, static_cast<size_t>(n));
      if (!children[i].ready && children[i].text.starts_with("ready\n")) {
        children[i].ready = true;
        children[i].text.erase(0, 6);
      }
    }
    if (!announced &&
        std::all_of(children.begin(), children.end(), [](const Child& c) { return c.ready; })) {
      announced = true;
      if (!ready_file.empty()) std::ofstream(ready_file) << "ready\n";
    }
  }
  int failures = 0;
  for (auto& c : children) {
    int status = 0;
    ::waitpid(c.pid, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || !total.merge_serialized(c.text))
      ++failures;
  }
  return failures;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "loadgen: HTTP/1.1 load generator of c10k-kit (loopback benchmarks of the chapters).\n"
      "Opens --idle holders first (silent, or dripping a request head with --idle-drip), then\n"
      "--connections active ones, warms up, measures for --duration (or until --requests\n"
      "responses) and prints req/s, latency percentiles and the errors, counted separately."};
  LoadOptions o;
  std::string mode = "keepalive";
  std::string ready_file;
  bool csv = false, csv_header = false;
  int processes = 0;
  app.add_option("--host", o.host, "server IPv4 address")->capture_default_str();
  app.add_option("-p,--port", o.port, "server port (required)");
  app.add_option("--path", o.path, "request target")->capture_default_str();
  app.add_option("-m,--mode", mode, "keepalive | pipeline | short")
      ->check(CLI::IsMember({"keepalive", "pipeline", "short"}))
      ->capture_default_str();
  app.add_option("-c,--connections", o.connections, "active connections")
      ->check(CLI::Range(0, 1000000))
      ->capture_default_str();
  app.add_option("--depth", o.depth, "requests in flight per connection (pipeline mode)")
      ->check(CLI::Range(1, 1024))
      ->capture_default_str();
  app.add_option("--idle", o.idle, "idle holders opened before the load, held silent")
      ->check(CLI::Range(0, 1000000))
      ->capture_default_str();
  auto* idle_request = app.add_flag(
      "--idle-request", o.idle_request,
      "each idle holder gets one response before going silent (an idle keep-alive client)");
  app.add_option("--idle-drip", o.idle_drip_s,
                 "SECONDS: each idle holder is a slowloris: once all are open, it sends a request\n"
                 "line and headers, then one byte of a header that never ends every SECONDS until\n"
                 "the run ends (holders the server closes count as lost; bytes dripped as drips)")
      ->check(CLI::Range(0.001, 3600.0))
      ->excludes(idle_request);
  app.add_option("-w,--warmup", o.warmup_s, "seconds of load not measured")
      ->check(CLI::Range(0.0, 600.0))
      ->capture_default_str();
  app.add_option("-d,--duration", o.duration_s, "measured seconds")
      ->check(CLI::Range(0.01, 3600.0))
      ->capture_default_str();
  app.add_option("-n,--requests", o.requests,
                 "stop after this many measured responses (0: use --duration)")
      ->capture_default_str();
  app.add_option("--timeout", o.timeout_s,
                 "seconds before a request or connect counts as a timeout")
      ->check(CLI::Range(0.01, 600.0))
      ->capture_default_str();
  app.add_option("--hold", o.hold_s, "with --connections 0: seconds to hold the idle holders")
      ->check(CLI::Range(0.0, 3600.0))
      ->capture_default_str();
  app.add_option("--source-addrs", o.source_addrs,
                 "spread connections over 127.0.0.1..127.0.0.N (more ephemeral ports)")
      ->check(CLI::Range(1, 250))
      ->capture_default_str();
  app.add_option("--processes", processes,
                 "client processes (0: as many as the open-file limit requires)")
      ->check(CLI::Range(0, 64));
  app.add_option("--ready-file", ready_file,
                 "create this file once the idle holders are open (for the harness to sample RSS)");
  app.add_flag("--csv", csv, "print one CSV row instead of the summary");
  app.add_flag("--csv-header", csv_header, "print the CSV header line and exit");
  CLI11_PARSE(app, argc, argv);

  if (csv_header) {
    std::puts(LoadResult::csv_header().c_str());
    return 0;
  }
  if (app.count("--port") == 0) {
    std::fprintf(stderr, "loadgen: --port is required\n");
    return 2;
  }
  if (o.host.rfind("127.", 0) != 0) {
    std::fprintf(stderr, "loadgen: refusing %s: the kit's load tests target loopback only\n",
                 o.host.c_str());
    return 2;
  }
  o.mode = mode == "pipeline" ? LoadMode::kPipeline
           : mode == "short"  ? LoadMode::kShort
                              : LoadMode::kKeepAlive;
  if (o.connections == 0 && o.idle == 0) {
    std::fprintf(stderr, "loadgen: nothing to do (--connections 0 and --idle 0)\n");
    return 2;
  }
  const int per_process = connections_per_process();
  const int needed = (o.connections + o.idle + per_process - 1) / per_process;
  if (processes == 0) processes = std::max(1, needed);
  if (processes < needed) {
    std::fprintf(stderr, "loadgen: %d connections need at least %d processes (open-file limit)\n",
                 o.connections + o.idle, needed);
    return 2;
  }

  try {
    LoadResult total;
    if (run_processes(o, processes, ready_file, total) != 0) {
      std::fprintf(stderr, "loadgen: a client process failed\n");
      return 1;
    }
    if (csv) {
      std::puts(total.csv_row().c_str());
    } else {
      std::fputs(total.summary().c_str(), stdout);
    }
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "loadgen: %s\n", e.what());
    return 1;
  }
}
