#include "connection_count.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include "http_client.hpp"

namespace blackbox {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

size_t own_sockets(pid_t pid) {
  size_t n = 0;
  std::error_code ec;  // the process may exit while we look: count what was there
  const std::filesystem::path fds = "/proc/" + std::to_string(pid) + "/fd";
  for (const auto& fd : std::filesystem::directory_iterator(fds, ec)) {
    std::error_code link_ec;
    if (std::filesystem::read_symlink(fd.path(), link_ec).string().starts_with("socket:")) ++n;
  }
  return n;
}

}  // namespace

std::vector<pid_t> children_of(pid_t pid) {
  // Every thread's children: a process may fork from any thread; the list is short anyway.
  std::vector<pid_t> out;
  std::error_code ec;
  const std::filesystem::path tasks = "/proc/" + std::to_string(pid) + "/task";
  for (const auto& task : std::filesystem::directory_iterator(tasks, ec)) {
    std::ifstream in(task.path() / "children");
    for (pid_t child; in >> child;)
      out.push_back(child);
  }
  return out;
}

size_t open_sockets(pid_t pid) {
  size_t n = own_sockets(pid);
  for (pid_t child : children_of(pid))
    n += open_sockets(child);
  return n;
}

size_t idle_sockets(ServerProcess& server) {
  REQUIRE(fetch(server.port(), get("/hello.txt")).status == 200);
  size_t last = open_sockets(server.pid());
  for (int i = 0; i < 40; ++i) {
    std::this_thread::sleep_for(50ms);
    const size_t now = open_sockets(server.pid());
    if (now == last) return now;
    last = now;
  }
  FAIL("the server's socket count never settled (last " << last << ")");
  return last;
}

void require_sockets_back(ServerProcess& server, size_t baseline,
                          std::chrono::milliseconds within) {
  const auto deadline = Clock::now() + within;
  size_t now = open_sockets(server.pid());
  while (now != baseline && Clock::now() < deadline) {
    std::this_thread::sleep_for(20ms);
    now = open_sockets(server.pid());
  }
  INFO("sockets held by the server: " << now << ", before the test: " << baseline);
  REQUIRE(now == baseline);
}

}  // namespace blackbox
