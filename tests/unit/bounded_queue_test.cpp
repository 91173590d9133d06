// lib/sync/bounded_queue.hpp: FIFO order, blocking when full/empty. Also run under TSan.
#include "sync/bounded_queue.hpp"

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <numeric>
#include <thread>
#include <vector>

TEST_CASE("BoundedQueue is first in, first out", "[ch03][bounded_queue]") {
  kit::BoundedQueue<int> q(4);
  for (int i = 0; i < 4; ++i)
    q.push(i);
  CHECK(q.size() == 4);
  for (int i = 0; i < 4; ++i)
    CHECK(q.pop() == i);
  CHECK(q.size() == 0);
}

TEST_CASE("BoundedQueue push blocks while full until a pop makes room", "[ch03][bounded_queue]") {
  kit::BoundedQueue<int> q(1);
  q.push(1);
  std::atomic<bool> pushed{false};
  std::thread producer([&] {
    q.push(2);
    pushed = true;
  });
  // Not a timing assertion: whatever the scheduling, the push cannot finish before the pop.
  CHECK_FALSE(pushed.load());
  CHECK(q.pop() == 1);
  producer.join();
  CHECK(pushed.load());
  CHECK(q.pop() == 2);
}

TEST_CASE("BoundedQueue delivers every item exactly once to many consumers",
          "[ch03][bounded_queue]") {
  constexpr int kItems = 10000;
  constexpr int kConsumers = 4;
  kit::BoundedQueue<int> q(8);
  std::vector<long> sums(kConsumers, 0);
  std::vector<std::thread> consumers;
  for (int c = 0; c < kConsumers; ++c) {
    consumers.emplace_back([&, c] {
      for (;;) {
        int v = q.pop();
        if (v < 0) return;  // poison pill
        sums[static_cast<size_t>(c)] += v;
      }
    });
  }
  for (int i = 1; i <= kItems; ++i)
    q.push(i);
  for (int c = 0; c < kConsumers; ++c)
    q.push(-1);
  for (auto& t : consumers)
    t.join();
  CHECK(std::accumulate(sums.begin(), sums.end(), 0L) == long{kItems} * (kItems + 1) / 2);
}

TEST_CASE("BoundedQueue holds move-only items", "[ch03][bounded_queue]") {
  kit::BoundedQueue<std::unique_ptr<int>> q(2);
  q.push(std::make_unique<int>(7));
  CHECK(*q.pop() == 7);
}
