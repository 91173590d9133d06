// bench/loadgen/client_loop.hpp against a real server: chapter 07's connection state machine
// on an epoll loop in a thread of the test (the same code as the chapter, smaller).
#include "client_loop.hpp"

#include <sys/epoll.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <thread>

#include "event/http_connection.hpp"
#include "event/poller.hpp"
#include "net/acceptor.hpp"
#include "net/listener.hpp"

namespace {

// A minimal edge-triggered server: accept, drive HttpConnections, stop when asked.
class TestServer {
 public:
  TestServer() {
    char name[] = "/tmp/kit-loadgen-XXXXXX";
    REQUIRE(::mkdtemp(name) != nullptr);
    root_ = name;
    std::ofstream(root_ / "index.html") << std::string(612, 'x');
    site_ = std::make_unique<kit::http::StaticSite>(root_);
    listener_ = kit::listen_tcp({.host = "127.0.0.1", .port = 0, .nonblocking = true});
    port = kit::local_port(listener_.get());
    thread_ = std::thread([this] { loop(); });
  }
  ~TestServer() {
    stop_ = true;
    thread_.join();
    std::filesystem::remove_all(root_);
  }
  uint16_t port = 0;
  std::atomic<int> accepted{0};

 private:
  void loop() {
    kit::Fd ep(::epoll_create1(EPOLL_CLOEXEC));
    epoll_event lev{EPOLLIN, {.u64 = 0}};
    ::epoll_ctl(ep.get(), EPOLL_CTL_ADD, listener_.get(), &lev);
    kit::http::DateCache dates;
    std::map<uint64_t, std::unique_ptr<kit::HttpConnection>> conns;
    uint64_t next = 1;
    epoll_event evs[64];
    while (!stop_) {
      const int n = ::epoll_wait(ep.get(), evs, 64, 20);
      std::vector<uint64_t> posted;
      auto drive = [&](uint64_t id, uint32_t bits) {
        auto it = conns.find(id);
        if (it == conns.end()) return;
        auto& c = *it->second;
        const auto action = c.on_event(bits);
        if (action == kit::ConnectionAction::kClose) {
          conns.erase(it);
          return;
        }
        if (action != kit::ConnectionAction::kNone) {
          epoll_event ev{
              EPOLLIN | EPOLLET | (action == kit::ConnectionAction::kArmWrite ? EPOLLOUT : 0u),
              {.u64 = id}};
          ::epoll_ctl(ep.get(), EPOLL_CTL_MOD, c.fd(), &ev);
        }
        if (c.posted()) posted.push_back(id);
      };
      for (int i = 0; i < n; ++i) {
        if (evs[i].data.u64 == 0) {
          kit::Accepted a = kit::accept_connection(listener_.get(), true);
          if (a.status != kit::AcceptStatus::kOk) continue;
          ++accepted;
          const uint64_t id = next++;
          const int fd = a.fd.get();
          conns[id] = std::make_unique<kit::HttpConnection>(std::move(a.fd), *site_, dates);
          epoll_event ev{EPOLLIN | EPOLLET, {.u64 = id}};
          ::epoll_ctl(ep.get(), EPOLL_CTL_ADD, fd, &ev);
          continue;
        }
        uint32_t bits = 0;
        if (evs[i].events & EPOLLIN) bits |= kit::kEventRead;
        if (evs[i].events & EPOLLOUT) bits |= kit::kEventWrite;
        if (evs[i].events & (EPOLLERR | EPOLLHUP)) bits |= kit::kEventError;
        drive(evs[i].data.u64, bits);
      }
      while (!posted.empty()) {
        auto now = std::move(posted);
        posted.clear();
        for (uint64_t id : now)
          drive(id, 0);
      }
    }
  }

  std::filesystem::path root_;
  std::unique_ptr<kit::http::StaticSite> site_;
  kit::Fd listener_;
  std::atomic<bool> stop_{false};
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
