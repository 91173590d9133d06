// Chapter 11+: how the workers share the listening socket — the four accept modes (none,
// the accept mutex, EPOLLEXCLUSIVE, SO_REUSEPORT) all serve, and the per-worker counters of
// /status?workers add up; a worker whose worker_connections are in use leaves the connections
// to the other worker instead of dropping them; a worker out of descriptors (EMFILE) pauses
// accepting instead of spinning and serves again once descriptors free; a worker killed while
// holding the accept mutex does not stop accepting; reloads keep the reuseport sockets.
// Tagged [accept]: registered for chapters 11 and later (tests/blackbox/CMakeLists.txt).
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <csignal>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "http_client.hpp"
#include "master_helpers.hpp"
#include "suite_config.hpp"

namespace blackbox {

using namespace std::chrono_literals;

namespace {

struct WorkerLine {
  pid_t pid = 0;
  uint64_t accepts = 0, wakeups = 0, empty = 0, active = 0, requests = 0;
};

// The per-worker lines of /status?workers:
//   worker 1201 accepts 5012 wakeups 5102 empty 90 active 50 requests 100231
std::vector<WorkerLine> worker_lines(uint16_t port) {
  const HttpResponse r = fetch(port, get("/status?workers"));
  REQUIRE(r.status == 200);
  std::vector<WorkerLine> out;
  std::istringstream in(r.body);
  for (std::string line; std::getline(in, line);) {
    if (!line.starts_with("worker ")) continue;
    std::istringstream f(line);
    WorkerLine w;
    std::string word;
    f >> word >> w.pid >> word >> w.accepts >> word >> w.wakeups >> word >> w.empty >> word >>
        w.active >> word >> w.requests;
    REQUIRE(f);
    out.push_back(w);
  }
  return out;
}

// nginx.conf for the chapter's root on 127.0.0.1:port with the accept mode's directives.
std::string accept_config(uint16_t port, const std::string& mode, int workers,
                          const std::string& more_events = "", const std::string& more_main = "") {
  std::string listen_flags = mode == "exclusive"   ? " exclusive"
                             : mode == "reuseport" ? " reuseport"
                                                   : "";
  return "worker_processes " + std::to_string(workers) + ";\n" + more_main +
         "events {\n  accept_mutex " + (mode == "mutex" ? "on" : "off") + ";\n" + more_events +
         "}\nhttp {\n  server {\n    listen 127.0.0.1:" + std::to_string(port) + listen_flags +
         ";\n    root " + chapter_under_test().root.string() +
         ";\n    location = /status { stub_status; }\n  }\n}\n";
}

}  // namespace

TEST_CASE("Each accept mode serves, and the per-worker accepts add up to the connections",
          "[accept][ch11]") {
  const std::string mode = GENERATE(as<std::string>{}, "none", "mutex", "exclusive", "reuseport");
  INFO("accept mode " << mode);
  TempDir tmp;
  const uint16_t port = free_port();
  ServerProcess server = start_chapter({"-c", tmp.write("kit.conf", accept_config(port, mode, 2))});
  std::vector<pid_t> workers = wait_for_workers(server.pid(), 2);
  REQUIRE(workers.size() == 2);
  std::sort(workers.begin(), workers.end());

  constexpr int kConnections = 100;
  for (int i = 0; i < kConnections; ++i)
    REQUIRE(fetch(port, get("/hello.txt")).status == 200);
  const std::vector<WorkerLine> lines = worker_lines(port);
  REQUIRE(lines.size() == 2);
  std::vector<pid_t> listed{lines[0].pid, lines[1].pid};
  std::sort(listed.begin(), listed.end());
  CHECK(listed == workers);
  // Every connection was accepted by exactly one worker: the 100, and the status request's.
  CHECK(lines[0].accepts + lines[1].accepts == kConnections + 1);
  CHECK(lines[0].requests + lines[1].requests == kConnections);  // the page counts when done
  // Each accept came from a wake-up for the listener (one wake-up may accept several).
  CHECK(lines[0].wakeups + lines[1].wakeups >= kConnections);
  if (mode == "reuseport") {
    // The kernel hashes each connection (its ports) to a socket: both get some, with
    // overwhelming odds (all 101 on one socket: 2^-100).
    CHECK(lines[0].accepts > 0);
    CHECK(lines[1].accepts > 0);
  }
  require_healthy(server);
}

TEST_CASE("A worker with all worker_connections in use leaves new connections to the other",
          "[accept][ch11]") {
  // Not for reuseport: there the kernel assigns a connection to a worker's own socket before
  // any worker sees it, and a full worker's connections wait for it (nginx alike).
  const std::string mode = GENERATE(as<std::string>{}, "none", "mutex", "exclusive");
  INFO("accept mode " << mode);
  TempDir tmp;
  const uint16_t port = free_port();
  ServerProcess server = start_chapter(
      {"-c", tmp.write("kit.conf", accept_config(port, mode, 2, "  worker_connections 16;\n"))});
  REQUIRE(wait_for_workers(server.pid(), 2).size() == 2);

  // 24 connections at once: more than one worker may hold, fewer than both together.
  std::vector<std::unique_ptr<HttpClient>> clients;
  for (int i = 0; i < 24; ++i)
    clients.push_back(std::make_unique<HttpClient>(port));
  for (auto& c : clients)
    c->send(get("/hello.txt"));
  int ok = 0;
  for (auto& c : clients) {
    try {
      if (c->read_response().status == 200) ++ok;
    } catch (const std::exception& e) {
      INFO(e.what());
    }
  }
  INFO(server.stderr_text());
  CHECK(ok == 24);
  const std::vector<WorkerLine> lines = worker_lines(port);
  REQUIRE(lines.size() == 2);
  for (const WorkerLine& w : lines)
    CHECK(w.active <= 16);
  CHECK(lines[0].active + lines[1].active == 25);  // the 24, and the status request's
  require_healthy(server);
}

TEST_CASE("Out of descriptors, a worker pauses accepting without spinning and recovers",
          "[accept][ch11]") {
  TempDir tmp;
  const uint16_t port = free_port();
  // 32 descriptors: stdio, the log, the listener, epoll and the spare leave about 25 for
  // connections; 40 clients exhaust them.
  ServerProcess server = start_chapter(
      {"-c",
       tmp.write("kit.conf", accept_config(port, "none", 1, "", "worker_rlimit_nofile 32;\n"))});
  const std::vector<pid_t> workers = wait_for_workers(server.pid(), 1);
  REQUIRE(workers.size() == 1);

  HttpClient first(port);
  first.send(get("/hello.txt"));
  REQUIRE(first.read_response().status == 200);
  std::vector<std::unique_ptr<HttpClient>> holders;
  for (int i = 0; i < 40; ++i)
    holders.push_back(std::make_unique<HttpClient>(port));
  std::this_thread::sleep_for(300ms);  // the worker has met EMFILE by now

  // Paused, the worker sleeps: a level-triggered listener it kept retrying would take a
  // whole CPU (100 ticks a second).
  const long before = cpu_ticks(workers[0]);
  std::this_thread::sleep_for(1500ms);
  const long used = cpu_ticks(workers[0]) - before;
  INFO("worker CPU ticks in 1.5 s: " << used);
  CHECK(used < 40);
  // The connection it already had is answered at once — with 503, as opening the file needs
  // a descriptor too (nginx answers 500 there).
  first.send(get("/hello.txt"));
  CHECK(first.read_response().status == 503);
  const std::string log = server.stderr_text();
  CHECK(log.find("Too many open files") != std::string::npos);
  CHECK(log.find("512 worker_connections exceed open file resource limit: 32") !=
        std::string::npos);

  // Descriptors free: a new client is served (the pause lasts 500 ms).
  holders.clear();
  HttpClient late(port);
  late.send(get("/hello.txt"));
  CHECK(late.read_response().status == 200);
  require_healthy(server);
}

TEST_CASE("Workers killed while one holds the accept mutex do not stop accepting",
          "[accept][ch11]") {
  TempDir tmp;
  const uint16_t port = free_port();
  ServerProcess server =
      start_chapter({"-c", tmp.write("kit.conf", accept_config(port, "mutex", 2))});
  const std::vector<pid_t> before = wait_for_workers(server.pid(), 2);
  REQUIRE(before.size() == 2);
  REQUIRE(fetch(port, get("/hello.txt")).status == 200);
  // One of the two holds the lock while it waits for connections: kill both, so the holder
  // is among them. The fresh workers can take the lock only if the master freed it.
  for (pid_t p : before)
    REQUIRE(::kill(p, SIGKILL) == 0);
  std::vector<pid_t> after;
  for (int i = 0; i < 100; ++i) {
    after = workers_of(server.pid());
    if (after.size() == 2 && std::find(after.begin(), after.end(), before[0]) == after.end() &&
        std::find(after.begin(), after.end(), before[1]) == after.end()) {
      break;
    }
    std::this_thread::sleep_for(20ms);
  }
  CHECK(after.size() == 2);  // both replaced
  for (int i = 0; i < 5; ++i)
    CHECK(fetch(port, get("/hello.txt")).status == 200);
  require_healthy(server);
}

TEST_CASE("Reloads with reuseport keep every worker's socket and fail no request",
          "[accept][ch11]") {
  TempDir tmp;
  const uint16_t port = free_port();
  ServerProcess server =
      start_chapter({"-c", tmp.write("kit.conf", accept_config(port, "reuseport", 2))});
  const LoadResult load = reload_under_load(server.pid(), port, 2, 3);
  INFO("ok " << load.ok << ", failed " << load.failed << "\n" << server.stderr_text());
  CHECK(load.failed == 0);
  CHECK(load.ok > 100);
  require_healthy(server);
}

}  // namespace blackbox
