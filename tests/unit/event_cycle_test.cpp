// lib/cycle/event_cycle.hpp and connection_timeouts.hpp: the worker loop with timers, run in
// the test's own thread on a ManualClock — the test connects clients, runs loop iterations
// and moves the clock, so every timeout is checked to the millisecond without sleeping.
#include "cycle/event_cycle.hpp"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cerrno>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "net/listener.hpp"

namespace {

using kit::Msec;

struct TempRoot {
  std::filesystem::path dir;
  TempRoot() {
    char name[] = "/tmp/kit-cycle-XXXXXX";
    REQUIRE(::mkdtemp(name) != nullptr);
    dir = name;
    std::ofstream(dir / "a.txt") << "hello\n";
    std::ofstream big(dir / "big.bin", std::ios::binary);
    for (int i = 0; i < 4 * 1024 * 1024; ++i)
      big.put(static_cast<char>('a' + i % 26));
  }
  ~TempRoot() { std::filesystem::remove_all(dir); }
};

// A server cycle on a free loopback port, driven by hand.
struct Server {
  TempRoot root;
  kit::http::StaticSite site{root.dir};
  kit::ManualClock clock;
  uint16_t port = 0;
  std::optional<kit::EventCycle> cycle;

  explicit Server(kit::Timeouts timeouts = {},
                  const std::function<void(kit::CycleOptions&)>& tune = {}) {
    kit::Fd listener = kit::listen_tcp({.host = "127.0.0.1", .port = 0, .nonblocking = true});
    sockaddr_in addr{};
    socklen_t len = sizeof addr;
    REQUIRE(::getsockname(listener.get(), reinterpret_cast<sockaddr*>(&addr), &len) == 0);
    port = ntohs(addr.sin_port);
    kit::CycleOptions options;
    options.worker_connections = 4096;
    options.multi_accept = true;  // the tests connect many clients between iterations
    options.timeouts = timeouts;
    if (tune) tune(options);
    cycle.emplace(std::move(listener), site, options, clock);
  }

  // Loop iterations that do not wait: enough for loopback bytes to be handled.
  void turn(int iterations = 3) {
    for (int i = 0; i < iterations; ++i)
      cycle->process_events_and_timers(i == 0 ? 10 : 0);
  }
  void advance(Msec ms) {
    clock.advance(ms);
    turn();
  }
};

// A non-blocking client socket connected to the server.
kit::Fd connect_client(uint16_t port, int rcvbuf = 0) {
  kit::Fd fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  REQUIRE(fd);
  if (rcvbuf > 0) ::setsockopt(fd.get(), SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::connect(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  return fd;
}

void send_all(const kit::Fd& fd, std::string_view bytes) {
  REQUIRE(::send(fd.get(), bytes.data(), bytes.size(), MSG_NOSIGNAL) ==
          static_cast<ssize_t>(bytes.size()));
}

// What is waiting on the client socket, without blocking; `closed` is set on EOF or reset.
std::string receive(const kit::Fd& fd, bool* closed = nullptr) {
  std::string out;
  char buf[65536];
  for (;;) {
    const ssize_t n = ::recv(fd.get(), buf, sizeof buf, MSG_DONTWAIT);
    if (n > 0) {
      out.append(buf, static_cast<size_t>(n));
      continue;
    }
    if (closed != nullptr) *closed = n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK);
    return out;
  }
}

bool is_closed(const kit::Fd& fd) {
  bool closed = false;
  receive(fd, &closed);
  return closed;
}

constexpr std::string_view kGet = "GET /a.txt HTTP/1.1\r\nHost: t\r\n\r\n";

}  // namespace

TEST_CASE("a client that says nothing is closed at client_header_timeout, not before",
          "[ch08][event_cycle]") {
  kit::Timeouts t;
  t.client_header = 60'000;
  Server s(t);
  kit::Fd client = connect_client(s.port);
  s.turn();
  REQUIRE(s.cycle->connections() == 1);
  CHECK(s.cycle->timers() == 1);
  s.advance(59'999);
  CHECK_FALSE(is_closed(client));
  s.advance(1);
  CHECK(is_closed(client));
  CHECK(s.cycle->connections() == 0);
  CHECK(s.cycle->timers() == 0);
}

TEST_CASE("slowloris: dripping a header byte every 10 s does not restart the header timer",
          "[ch08][event_cycle]") {
  kit::Timeouts t;
  t.client_header = 60'000;
  Server s(t);
  kit::Fd client = connect_client(s.port);
  s.turn();
  const std::string request = "GET /a.txt HTTP/1.1\r\nHost: t\r\nX-Slow: aaaaaaaaaaaa\r\n";
  Msec elapsed = 0;
  for (char byte : request) {
    if (elapsed + 10'000 >= 60'000) break;
    send_all(client, std::string_view(&byte, 1));
    s.advance(10'000);
    elapsed += 10'000;
    REQUIRE_FALSE(is_closed(client));
  }
  s.advance(60'000 - elapsed);  // exactly client_header_timeout after connecting
  CHECK(is_closed(client));
  CHECK(s.cycle->connections() == 0);
}

TEST_CASE("an idle keep-alive connection is closed at keepalive_timeout", "[ch08][event_cycle]") {
  kit::Timeouts t;
  t.keepalive = 75'000;
  Server s(t);
  kit::Fd client = connect_client(s.port);
  s.advance(5'000);  // some time passes before the request: it must not count
  send_all(client, kGet);
  s.turn();
  CHECK(receive(client).find("hello") != std::string::npos);
  s.advance(74'999);
  CHECK_FALSE(is_closed(client));
  // A second request restarts the keep-alive wait.
  send_all(client, kGet);
  s.turn();
  CHECK(receive(client).find("200 OK") != std::string::npos);
  s.advance(74'999);
  CHECK_FALSE(is_closed(client));
  s.advance(1);
  CHECK(is_closed(client));
}

TEST_CASE("keepalive_requests: the last response says Connection: close, then it closes",
          "[ch08][event_cycle]") {
  kit::Timeouts t;
  t.keepalive_requests = 3;
  Server s(t);
  kit::Fd client = connect_client(s.port);
  for (int i = 1; i <= 3; ++i) {
    send_all(client, kGet);
    s.turn();
    bool closed = false;
    const std::string response = receive(client, &closed);
    INFO("request " << i << ": " << response);
    CHECK(response.find("200 OK") != std::string::npos);
    CHECK((response.find("Connection: close") != std::string::npos) == (i == 3));
    CHECK(closed == (i == 3));
  }
}

TEST_CASE("keepalive_timeout 0 turns keep-alive off", "[ch08][event_cycle]") {
  kit::Timeouts t;
  t.keepalive = 0;
  Server s(t);
  kit::Fd client = connect_client(s.port);
  send_all(client, kGet);
  s.turn();
  bool closed = false;
  CHECK(receive(client, &closed).find("Connection: close") != std::string::npos);
  CHECK(closed);
}

TEST_CASE("a client that stops reading is closed at send_timeout, one that reads is not",
          "[ch08][event_cycle]") {
  kit::Timeouts t;
  t.send = 60'000;
  t.keepalive = 600'000;  // the reader, once it has the whole file, must not idle out here
  Server s(t);
  kit::Fd stuck = connect_client(s.port, 4096);
  kit::Fd reader = connect_client(s.port, 4096);
  const std::string get_big = "GET /big.bin HTTP/1.1\r\nHost: t\r\n\r\n";
  send_all(stuck, get_big);
  send_all(reader, get_big);
  s.turn();
  size_t got = receive(reader).size();
  // Every 30 s the reader takes what it can, the stuck client nothing. The stuck connection's
  // last write may fall in the first turns (the request may be read only then), so 120 s: at
  // least 60 s without progress whichever turn it was.
  for (int i = 0; i < 4; ++i) {
    s.advance(30'000);
    got += receive(reader).size();
    s.turn();  // the room the reader just made is written into at once: progress every step
    got += receive(reader).size();
  }
  CHECK(got > 0);
  CHECK(s.cycle->connections() == 1);  // the stuck one is closed, the reader is not
  CHECK_FALSE(is_closed(reader));
  // The close is graceful: the bytes the server had queued still reach the stuck client as it
  // drains them, then the EOF.
  bool closed = false;
  for (int i = 0; i < 300 && !closed; ++i) {
    receive(stuck, &closed);
    if (!closed) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  CHECK(closed);
}

TEST_CASE("1,000 idle connections are reaped on time", "[ch08][event_cycle]") {
  kit::Timeouts t;
  t.client_header = 10'000;
  t.keepalive = 20'000;
  Server s(t);
  std::vector<kit::Fd> silent, idle;
  for (int i = 0; i < 500; ++i) {
    silent.push_back(connect_client(s.port));
    idle.push_back(connect_client(s.port));
    send_all(idle.back(), kGet);
    if (i % 50 == 49) s.turn(1);  // accept before the listen backlog fills
  }
  for (int i = 0; i < 50 && s.cycle->connections() < 1000; ++i)
    s.turn();
  REQUIRE(s.cycle->connections() == 1000);
  s.turn(5);  // the last ones accepted still have their request to answer
  for (const kit::Fd& c : idle)
    REQUIRE(receive(c).find("200 OK") != std::string::npos);
  CHECK(s.cycle->timers() == 1000);

  s.advance(9'999);
  CHECK(s.cycle->connections() == 1000);
  s.advance(1);  // the silent ones' client_header_timeout
  CHECK(s.cycle->connections() == 500);
  for (const kit::Fd& c : silent)
    REQUIRE(is_closed(c));
  s.advance(9'999);
  CHECK(s.cycle->connections() == 500);
  s.advance(1);  // the idle ones' keepalive_timeout
  CHECK(s.cycle->connections() == 0);
  CHECK(s.cycle->timers() == 0);
  for (const kit::Fd& c : idle)
    REQUIRE(is_closed(c));
}

TEST_CASE("chapter 11: a full worker leaves new connections in the backlog, not closed",
          "[ch11][event_cycle]") {
  const bool pause = GENERATE(true, false);
  Server s({}, [&](kit::CycleOptions& o) {
    o.worker_connections = 2;
    o.accept.pause = pause;
  });
  std::vector<kit::Fd> clients;
  for (int i = 0; i < 3; ++i) {
    clients.push_back(connect_client(s.port));
    send_all(clients.back(), kGet);
  }
  s.turn(5);
  CHECK(s.cycle->connections() == 2);
  CHECK(receive(clients[0]).find("200 OK") != std::string::npos);
  CHECK(receive(clients[1]).find("200 OK") != std::string::npos);
  bool third_closed = false;
  CHECK(receive(clients[2], &third_closed).empty());
  if (!pause) {
    // Chapters 08-10: accepted and closed at once ("worker_connections are not enough").
    CHECK(third_closed);
    return;
  }
  CHECK_FALSE(third_closed);  // still queued: another worker, or this one later, takes it
  clients[0].reset();         // a slot frees...
  s.turn(5);
  CHECK(s.cycle->connections() == 2);  // ...and the waiting connection takes it
  CHECK(receive(clients[2]).find("200 OK") != std::string::npos);
}

TEST_CASE("chapter 11: with the accept mutex a worker accepts only while it holds the lock",
          "[ch11][event_cycle]") {
  kit::AcceptMutex mutex;
  REQUIRE(mutex.try_lock(1));  // another worker (pid 1) holds it
  Server s({}, [&](kit::CycleOptions& o) {
    o.accept.pause = true;
    o.accept.mutex = &mutex;
  });
  kit::Fd client = connect_client(s.port);
  send_all(client, kGet);
  s.turn(3);
  CHECK(s.cycle->connections() == 0);  // the listener is not in this worker's epoll set
  CHECK(receive(client).empty());
  mutex.unlock(1);
  s.turn(3);
  CHECK(s.cycle->connections() == 1);
  CHECK(receive(client).find("200 OK") != std::string::npos);
  // The lock goes back after the accepts of each iteration, not when the worker is done.
  CHECK(mutex.owner() == 0);
}
