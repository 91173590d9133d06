// lib/timer/timer_tree.hpp: expiry order, equal deadlines, cancellation, re-arming and the
// wait timeout, all with explicit times (no clock, no sleeping).
#include "timer/timer_tree.hpp"

#include <catch2/catch.hpp>
#include <climits>
#include <memory>
#include <optional>
#include <vector>

namespace {

using kit::Msec;
using kit::TimerTree;

// Every owner due at `now`, in the order the tree pops them.
std::vector<uint64_t> expire_all(TimerTree& tree, Msec now) {
  std::vector<uint64_t> out;
  while (auto owner = tree.pop_expired(now))
    out.push_back(*owner);
  return out;
}

}  // namespace

TEST_CASE("timers expire in deadline order, only once due", "[ch08][timer_tree]") {
  TimerTree tree;
  TimerTree::Timer a(tree, 1), b(tree, 2), c(tree, 3);
  tree.add(a, 300);
  tree.add(b, 100);
  tree.add(c, 200);
  CHECK(tree.size() == 3);
  CHECK(expire_all(tree, 99).empty());
  CHECK(expire_all(tree, 100) == std::vector<uint64_t>{2});
  CHECK(expire_all(tree, 1000) == std::vector<uint64_t>{3, 1});
  CHECK(tree.empty());
  CHECK_FALSE(a.armed());
}

TEST_CASE("equal deadlines expire in the order they were armed", "[ch08][timer_tree]") {
  TimerTree tree;
  std::vector<std::unique_ptr<TimerTree::Timer>> timers;
  for (uint64_t i = 0; i < 8; ++i) {
    timers.push_back(std::make_unique<TimerTree::Timer>(tree, i));
    tree.add(*timers.back(), i % 2 == 0 ? 500 : 400);  // 1,3,5,7 at 400; 0,2,4,6 at 500
  }
  CHECK(expire_all(tree, 500) == std::vector<uint64_t>{1, 3, 5, 7, 0, 2, 4, 6});
}

TEST_CASE("a cancelled timer never fires, and cancelling twice is harmless", "[ch08][timer_tree]") {
  TimerTree tree;
  TimerTree::Timer a(tree, 1), b(tree, 2);
  tree.add(a, 100);
  tree.add(b, 100);
  tree.cancel(a);
  tree.cancel(a);
  CHECK_FALSE(a.armed());
  CHECK(expire_all(tree, 100) == std::vector<uint64_t>{2});
}

TEST_CASE("a timer's destructor cancels it", "[ch08][timer_tree]") {
  TimerTree tree;
  TimerTree::Timer keep(tree, 1);
  tree.add(keep, 50);
  {
    TimerTree::Timer gone(tree, 2);
    tree.add(gone, 10);
    CHECK(tree.size() == 2);
  }
  CHECK(tree.size() == 1);
  CHECK(expire_all(tree, 100) == std::vector<uint64_t>{1});
}

TEST_CASE("re-arming moves a timer instead of adding a second one", "[ch08][timer_tree]") {
  TimerTree tree;
  TimerTree::Timer a(tree, 1), b(tree, 2);
  tree.add(a, 100);
  tree.add(b, 150);
  tree.add(a, 200);  // later: b is now first
  CHECK(tree.size() == 2);
  CHECK(a.deadline() == 200);
  CHECK(expire_all(tree, 199) == std::vector<uint64_t>{2});
  tree.add(a, 120);  // earlier again: still one entry
  CHECK(tree.size() == 1);
  CHECK(expire_all(tree, 130) == std::vector<uint64_t>{1});
  // Re-armed after expiring (the kept node is reused) and after cancelling.
  tree.add(a, 300);
  tree.cancel(a);
  tree.add(a, 310);
  CHECK(expire_all(tree, 400) == std::vector<uint64_t>{1});
}

TEST_CASE("re-arming to the same deadline goes behind the timers already there",
          "[ch08][timer_tree]") {
  TimerTree tree;
  TimerTree::Timer a(tree, 1), b(tree, 2);
  tree.add(a, 100);
  tree.add(b, 100);
  tree.add(a, 100);
  CHECK(expire_all(tree, 100) == std::vector<uint64_t>{2, 1});
}

TEST_CASE("wait_timeout is the time until the earliest deadline", "[ch08][timer_tree]") {
  TimerTree tree;
  CHECK(tree.wait_timeout(1000) == -1);  // no timers: sleep until an event
  TimerTree::Timer a(tree, 1), b(tree, 2);
  tree.add(a, 1500);
  tree.add(b, 1200);
  CHECK(tree.wait_timeout(1000) == 200);
  CHECK(tree.wait_timeout(1200) == 0);
  CHECK(tree.wait_timeout(5000) == 0);  // overdue: do not sleep
  tree.cancel(b);
  CHECK(tree.wait_timeout(1000) == 500);
  tree.add(a, Msec{1} << 40);
  CHECK(tree.wait_timeout(0) == INT_MAX);  // clamped for epoll_wait's int
}

TEST_CASE("a thousand timers with random deadlines come out sorted", "[ch08][timer_tree]") {
  TimerTree tree;
  std::vector<std::unique_ptr<TimerTree::Timer>> timers;
  std::vector<Msec> deadline;
  uint64_t x = 88172645463325252ULL;  // xorshift: a fixed pseudo-random sequence
  for (uint64_t i = 0; i < 1000; ++i) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    deadline.push_back(x % 500);  // many equal deadlines among 1000 timers
    timers.push_back(std::make_unique<TimerTree::Timer>(tree, i));
    tree.add(*timers.back(), deadline.back());
  }
  const std::vector<uint64_t> order = expire_all(tree, 500);
  REQUIRE(order.size() == 1000);
  for (size_t i = 1; i < order.size(); ++i) {
    const Msec prev = deadline[order[i - 1]], cur = deadline[order[i]];
    REQUIRE(prev <= cur);
    if (prev == cur) REQUIRE(order[i - 1] < order[i]);  // FIFO among equals
  }
  CHECK(tree.empty());
}
