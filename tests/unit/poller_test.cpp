// lib/event/*_poller: the same behaviour from every backend behind the Poller interface.
#include "event/poller.hpp"

#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <catch2/catch.hpp>
#include <cerrno>
#include <string>
#include <vector>

#include "core/fd.hpp"

namespace {

struct Pair {
  kit::Fd a, b;
};

Pair nonblocking_pair() {
  int fds[2];
  REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, fds) == 0);
  return {kit::Fd(fds[0]), kit::Fd(fds[1])};
}

std::vector<kit::ReadyEvent> wait_for(kit::Poller& p, int timeout_ms) {
  std::array<kit::ReadyEvent, 16> out{};
  const size_t n = p.wait(out, timeout_ms);
  return {out.begin(), out.begin() + static_cast<long>(n)};
}

}  // namespace

TEST_CASE("every poller reports readability with the caller's token", "[ch06][poller]") {
  for (const char* name : {"select", "poll", "epoll"}) {
    INFO(name);
    auto poller = kit::make_poller(name);
    auto [a, b] = nonblocking_pair();
    REQUIRE(poller->add(b.get(), kit::kEventRead, 0xabcdef0012345678u));
    CHECK(wait_for(*poller, 0).empty());  // nothing written yet
    REQUIRE(::write(a.get(), "x", 1) == 1);
    auto ready = wait_for(*poller, 1000);
    REQUIRE(ready.size() == 1);
    CHECK(ready[0].token == 0xabcdef0012345678u);
    CHECK((ready[0].events & kit::kEventRead) != 0);
  }
}

TEST_CASE("every poller switches interest with modify and forgets with remove", "[ch06][poller]") {
  for (const char* name : {"select", "poll", "epoll"}) {
    INFO(name);
    auto poller = kit::make_poller(name);
    auto [a, b] = nonblocking_pair();
    REQUIRE(poller->add(b.get(), kit::kEventRead, 1));
    CHECK(wait_for(*poller, 0).empty());
    REQUIRE(poller->modify(b.get(), kit::kEventWrite, 2));  // an empty socket is writable
    auto ready = wait_for(*poller, 1000);
    REQUIRE(ready.size() == 1);
    CHECK(ready[0].token == 2);
    CHECK((ready[0].events & kit::kEventWrite) != 0);
    poller->remove(b.get());
    CHECK(wait_for(*poller, 0).empty());
  }
}

TEST_CASE("level-triggered pollers report undrained data again, edge-triggered once",
          "[ch07][poller]") {
  for (const char* name : {"select", "poll", "epoll"}) {
    INFO(name);
    auto poller = kit::make_poller(name);
    auto [a, b] = nonblocking_pair();
    REQUIRE(poller->add(b.get(), kit::kEventRead, 1));
    REQUIRE(::write(a.get(), "xy", 2) == 2);
    CHECK(wait_for(*poller, 1000).size() == 1);
    CHECK(wait_for(*poller, 0).size() == 1);  // still unread: reported again
  }
  auto et = kit::make_poller("epoll");
  auto [a, b] = nonblocking_pair();
  REQUIRE(et->add(b.get(), kit::kEventRead | kit::kEventEdge, 1));
  REQUIRE(::write(a.get(), "xy", 2) == 2);
  CHECK(wait_for(*et, 1000).size() == 1);
  CHECK(wait_for(*et, 0).empty());  // no new arrival, no new edge
  REQUIRE(::write(a.get(), "z", 1) == 1);
  CHECK(wait_for(*et, 1000).size() == 1);
}

TEST_CASE("a closed peer is reported as readable (and as an error where the backend can)",
          "[ch06][poller]") {
  for (const char* name : {"select", "poll", "epoll"}) {
    INFO(name);
    auto poller = kit::make_poller(name);
    auto [a, b] = nonblocking_pair();
    REQUIRE(poller->add(b.get(), kit::kEventRead, 7));
    a.reset();
    auto ready = wait_for(*poller, 1000);
    REQUIRE(ready.size() == 1);
    CHECK((ready[0].events & kit::kEventRead) != 0);
  }
}

TEST_CASE("select refuses descriptors at or above FD_SETSIZE instead of corrupting memory",
          "[ch04][poller]") {
  auto poller = kit::make_poller("select");
  CHECK_FALSE(poller->add(FD_SETSIZE, kit::kEventRead, 1));
  CHECK_FALSE(poller->add(FD_SETSIZE + 500, kit::kEventRead, 1));
}

TEST_CASE("an unknown poller name is a clear error", "[ch06][poller]") {
  CHECK_THROWS_WITH(kit::make_poller("kqueue"), Catch::Contains("unknown poller"));
}

TEST_CASE("select and poll refuse edge-triggered interest instead of silently ignoring it",
          "[ch07][poller]") {
  for (const char* name : {"select", "poll"}) {
    INFO(name);
    auto poller = kit::make_poller(name);
    auto [a, b] = nonblocking_pair();
    errno = 0;
    CHECK_FALSE(poller->add(b.get(), kit::kEventRead | kit::kEventEdge, 1));
    CHECK(errno == EINVAL);
    REQUIRE(poller->add(b.get(), kit::kEventRead, 1));
    CHECK_FALSE(poller->modify(b.get(), kit::kEventRead | kit::kEventEdge, 1));
  }
}
