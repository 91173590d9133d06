// bench/loadgen/client_loop.hpp against a real server: the kit's blocking connection loop
// (lib/blocking, chapter 02's thread per connection) in threads of the test.
#include "client_loop.hpp"

#include <sys/socket.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "blocking/blocking_connection.hpp"
#include "net/acceptor.hpp"
#include "net/listener.hpp"
#include "static/static_file.hpp"

namespace {

// A thread per connection over lib/'s serve_connection(); every thread is joined on
// destruction (loadgen closes its connections before run_load() returns).
class TestServer {
 public:
  TestServer() {
    char name[] = "/tmp/kit-loadgen-XXXXXX";
    REQUIRE(::mkdtemp(name) != nullptr);
    root_ = name;
    std::ofstream(root_ / "index.html") << std::string(612, 'x');
    site_ = std::make_unique<kit::http::StaticSite>(root_);
    listener_ = kit::listen_tcp({.host = "127.0.0.1", .port = 0});
    port = kit::local_port(listener_.get());
    acceptor_ = std::thread([this] {
      for (;;) {
        kit::Accepted a = kit::accept_connection(listener_.get(), /*nonblocking=*/false);
        if (a.status != kit::AcceptStatus::kOk) return;  // shutdown() below ends accept
        ++accepted;
        std::lock_guard lock(mutex_);
        workers_.emplace_back(
            [this, fd = a.fd.release()] { kit::serve_connection(kit::Fd(fd), *site_); });
      }
    });
  }
  ~TestServer() {
    ::shutdown(listener_.get(), SHUT_RDWR);
    acceptor_.join();
    for (auto& t : workers_)
      t.join();
    std::filesystem::remove_all(root_);
  }
  uint16_t port = 0;
  std::atomic<int> accepted{0};

 private:
  std::filesystem::path root_;
  std::unique_ptr<kit::http::StaticSite> site_;
  kit::Fd listener_;
  std::mutex mutex_;
  std::vector<std::thread> workers_;
  std::thread acceptor_;
};

// Accepts `n` connections, one at a time, reads from each until a dripped header byte arrives,
// keeps what it read and closes it: a server that cuts slowloris clients off.
class ClosingServer {
 public:
  explicit ClosingServer(int n) {
    listener_ = kit::listen_tcp({.host = "127.0.0.1", .port = 0});
    port = kit::local_port(listener_.get());
    thread_ = std::thread([this, n] {
      for (int i = 0; i < n; ++i) {
        kit::Accepted a = kit::accept_connection(listener_.get(), /*nonblocking=*/false);
        if (a.status != kit::AcceptStatus::kOk) return;
        std::string in;
        char buf[256];
        while (in.find("X-a") == std::string::npos) {
          const ssize_t got = ::recv(a.fd.get(), buf, sizeof buf, 0);
          if (got <= 0) break;
          in.append(buf, static_cast<size_t>(got));
        }
        std::lock_guard lock(mutex_);
        heads_.push_back(in);
      }
    });
  }
  ~ClosingServer() {
    ::shutdown(listener_.get(), SHUT_RDWR);
    thread_.join();
  }
  std::vector<std::string> heads() {
    std::lock_guard lock(mutex_);
    return heads_;
  }
  uint16_t port = 0;

 private:
  kit::Fd listener_;
  std::mutex mutex_;
  std::vector<std::string> heads_;
  std::thread thread_;
};

kit::bench::LoadOptions options_for(uint16_t port) {
  kit::bench::LoadOptions o;
  o.port = port;
  o.path = "/index.html";
  o.connections = 4;
  o.warmup_s = 0;
  o.requests = 400;
  o.timeout_s = 10;
  return o;
}

}  // namespace

TEST_CASE("keep-alive: the requested count, no errors, one connect per connection",
          "[bench][client_loop]") {
  TestServer server;
  const auto r = kit::bench::run_load(options_for(server.port), {});
  CHECK(r.responses == 400);
  CHECK(r.errors() == 0);
  CHECK(r.non_2xx == 0);
  CHECK(r.body_bytes == 400 * 612);
  CHECK(server.accepted == 4);
  CHECK(r.latency.count() == 400);
}

TEST_CASE("pipelined and short connections", "[bench][client_loop]") {
  TestServer server;
  auto o = options_for(server.port);
  o.mode = kit::bench::LoadMode::kPipeline;
  o.depth = 8;
  auto r = kit::bench::run_load(o, {});
  CHECK(r.responses == 400);
  CHECK(r.errors() == 0);

  o.mode = kit::bench::LoadMode::kShort;
  o.requests = 100;
  r = kit::bench::run_load(o, {});
  CHECK(r.responses == 100);
  CHECK(r.errors() == 0);
  CHECK(r.connects >= 100);
}

TEST_CASE("idle holders are opened first and reported", "[bench][client_loop]") {
  TestServer server;
  auto o = options_for(server.port);
  o.idle = 50;
  o.idle_request = true;
  bool ready_called = false;
  const auto r = kit::bench::run_load(o, [&] {
    ready_called = true;
    CHECK(server.accepted == 50);
  });
  CHECK(ready_called);
  CHECK(r.idle_open == 50);
  CHECK(r.idle_lost == 0);
  CHECK(r.responses == 400);
}

TEST_CASE("non-2xx answers and refused connects are counted, not hidden", "[bench][client_loop]") {
  TestServer server;
  auto o = options_for(server.port);
  o.path = "/missing";
  o.requests = 50;
  auto r = kit::bench::run_load(o, {});
  CHECK(r.responses == 50);
  CHECK(r.non_2xx == 50);

  // A port nobody listens on: every connect fails; the run still ends on time.
  kit::Fd probe = kit::listen_tcp({.host = "127.0.0.1", .port = 0});
  o.port = kit::local_port(probe.get());
  probe.reset();
  o.requests = 0;
  o.duration_s = 0.5;
  r = kit::bench::run_load(o, {});
  CHECK(r.responses == 0);
  CHECK(r.connect_errors > 0);
}

TEST_CASE("dripping holders are held beside the load and drip all along", "[bench][client_loop]") {
  TestServer server;
  auto o = options_for(server.port);
  o.idle = 20;
  o.idle_drip_s = 0.01;
  o.requests = 0;
  o.duration_s = 0.3;
  bool ready_called = false;
  const auto r = kit::bench::run_load(o, [&] { ready_called = true; });
  CHECK(ready_called);
  // Holders count as open once connected; the server's accept() may still be behind (under
  // ThreadSanitizer it was): wait for it rather than race it.
  for (int i = 0; i < 200 && server.accepted < 20 + 4; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  CHECK(server.accepted >= 20 + 4);
  CHECK(r.idle_open == 20);
  CHECK(r.idle_lost == 0);
  CHECK(r.errors() == 0);
  CHECK(r.responses > 0);
  // 20 holders, a byte every 10 ms each, over 0.3 s: about 600; allow a slow, shared machine.
  CHECK(r.drips >= 100);
  CHECK(r.drips <= 700);
}

TEST_CASE("dripping holders the server closes are counted as lost", "[bench][client_loop]") {
  ClosingServer server(5);
  auto o = options_for(server.port);
  o.connections = 0;
  o.idle = 5;
  o.idle_drip_s = 0.01;
  o.requests = 0;
  o.hold_s = 0.3;
  const auto r = kit::bench::run_load(o, {});
  CHECK(r.idle_open == 0);
  CHECK(r.idle_lost == 5);
  const auto heads = server.heads();
  REQUIRE(heads.size() == 5);
  for (const std::string& head : heads) {
    INFO(head);
    CHECK(head.starts_with("GET /index.html HTTP/1.1\r\nHost: 127.0.0.1:"));
    CHECK(head.find("\r\nX-a") != std::string::npos);
    CHECK(head.find("\r\n\r\n") == std::string::npos);  // the head never ends
  }
}
