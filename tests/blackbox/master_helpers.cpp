#include "master_helpers.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <exception>
#include <fstream>
#include <optional>
#include <random>
#include <sstream>
#include <thread>

#include "connection_count.hpp"
#include "http_client.hpp"
#include "net/listener.hpp"
#include "suite_config.hpp"

namespace blackbox {

using namespace std::chrono_literals;

TempDir::TempDir() {
  char name[] = "/tmp/kit-master-XXXXXX";
  REQUIRE(::mkdtemp(name) != nullptr);
  dir = name;
}

TempDir::~TempDir() {
  std::filesystem::remove_all(dir);
}

std::string TempDir::write(const std::string& name, const std::string& text) const {
  std::ofstream(dir / name) << text;
  return (dir / name).string();
}

std::pair<int, std::string> run_chapter(const std::string& args) {
  const std::string cmd = chapter_under_test().server.string() + " " + args + " 2>&1";
  FILE* p = ::popen(cmd.c_str(), "r");
  REQUIRE(p != nullptr);
  std::string out;
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0)
    out.append(buf, n);
  const int status = ::pclose(p);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

std::vector<pid_t> workers_of(pid_t master) {
  return children_of(master);
}

std::vector<pid_t> wait_for_workers(pid_t master, size_t n) {
  std::vector<pid_t> w;
  for (int i = 0; i < 100 && (w = workers_of(master)).size() != n; ++i)
    std::this_thread::sleep_for(20ms);
  return w;
}

uint16_t free_port() {
  // Below the kernel's ephemeral range: a port the kernel picked there could go to a parallel
  // test's outgoing connection (ctest runs several at once) between our close and the server's
  // bind. Random, so parallel tests rarely try the same one; bound once to see it is free.
  int ephemeral_low = 32768;
  std::ifstream("/proc/sys/net/ipv4/ip_local_port_range") >> ephemeral_low;
  static std::mt19937 rng(std::random_device{}());
  std::uniform_int_distribution<int> pick(10'000, std::max(ephemeral_low - 1, 10'001));
  for (int attempt = 0; attempt < 100; ++attempt) {
    const auto port = static_cast<uint16_t>(pick(rng));
    try {
      const kit::Fd probe = kit::listen_tcp({.host = "127.0.0.1", .port = port});
      return port;
    } catch (const std::exception&) {
      // in use: try another
    }
  }
  FAIL("no free port found below the ephemeral range");
  return 0;
}

std::string config_text(const std::string& root, uint16_t port, int workers) {
  return "worker_processes " + std::to_string(workers) +
         ";\nevents { worker_connections 1024; }\n" +
         "http {\n  server {\n    listen 127.0.0.1:" + std::to_string(port) + ";\n    root " +
         root + ";\n  }\n}\n";
}

long cpu_ticks(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  std::getline(in, line);
  // Fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15.
  std::istringstream rest(line.substr(line.rfind(')') + 2));
  std::string field;
  long utime = 0, stime = 0;
  for (int i = 3; rest >> field; ++i) {
    if (i == 14) utime = std::stol(field);
    if (i == 15) {
      stime = std::stol(field);
      break;
    }
  }
  return utime + stime;
}

LoadResult load_while(uint16_t port, const std::function<void()>& during) {
  constexpr int kClients = 4;
  std::atomic<bool> stop{false}, after{false};
  std::atomic<int> ok{0}, ok_after{0};
  std::vector<int> failures(kClients, 0);  // each client counts its own
  std::vector<std::thread> clients;
  for (int i = 0; i < kClients; ++i) {
    clients.emplace_back([&, i] {
      std::optional<HttpClient> c;
      while (!stop) {
        try {
          if (!c) c.emplace(port);
          c->send(get("/hello.txt"));
          const HttpResponse r = c->read_response();
          if (r.status == 200) {
            ++ok;
            if (after) ++ok_after;
            if (r.closed || r.header("Connection").value_or("") == "close") c.reset();
            continue;
          }
        } catch (const std::exception&) {
        }
        ++failures[static_cast<size_t>(i)];
        c.reset();
      }
    });
  }
  // The clients stop and are joined however `during` ends (a failed REQUIRE throws).
  std::exception_ptr error;
  try {
    std::this_thread::sleep_for(300ms);
    during();
    after = true;
    std::this_thread::sleep_for(300ms);
  } catch (...) {
    error = std::current_exception();
  }
  stop = true;
  for (auto& t : clients)
    t.join();
  if (error) std::rethrow_exception(error);
  LoadResult result;
  result.ok = ok;
  result.ok_after = ok_after;
  for (int f : failures) {
    result.failed += f;
    result.most_failed_by_one = std::max(result.most_failed_by_one, f);
  }
  return result;
}

LoadResult reload_under_load(pid_t master, uint16_t port, size_t workers, int reloads) {
  std::vector<pid_t> before;
  LoadResult result = load_while(port, [&] {
    before = wait_for_workers(master, workers);
    for (int i = 0; i < reloads; ++i) {
      REQUIRE(::kill(master, SIGHUP) == 0);
      std::this_thread::sleep_for(400ms);
    }
  });
  result.workers_before = std::move(before);
  return result;
}

}  // namespace blackbox
