// bench/loadgen/drip_schedule.hpp: the slowloris holders' timing (staggered first drips,
// one interval apart afterwards, no catch-up burst) and the bytes they drip.
#include "drip_schedule.hpp"

#include <catch2/catch.hpp>
#include <chrono>
#include <string>
#include <vector>

using kit::bench::DripSchedule;
using std::chrono::milliseconds;

namespace {

// Every slot due at `now`, in the order the schedule gives them (none rescheduled).
std::vector<size_t> due_at(DripSchedule& s, DripSchedule::Clock::time_point now) {
  std::vector<size_t> slots;
  while (const auto d = s.pop_due(now))
    slots.push_back(d->slot);
  return slots;
}

}  // namespace

TEST_CASE("first drips are spread evenly over one interval", "[bench][drip_schedule]") {
  DripSchedule s(milliseconds(1000));
  const auto t0 = DripSchedule::Clock::time_point{} + std::chrono::hours(1);
  // Added out of order, as connects complete: slot k of 4 is due (k+1)/4 s after t0.
  for (const size_t k : std::vector<size_t>{2, 0, 3, 1})
    s.add(k, k, 4, t0);
  CHECK(s.size() == 4);
  CHECK(s.earliest() == t0 + milliseconds(250));
  CHECK(due_at(s, t0 + milliseconds(249)).empty());
  CHECK(due_at(s, t0 + milliseconds(250)) == std::vector<size_t>{0});
  CHECK(due_at(s, t0 + milliseconds(800)) == std::vector<size_t>{1, 2});
  CHECK(due_at(s, t0 + milliseconds(1000)) == std::vector<size_t>{3});
  CHECK(s.size() == 0);
  CHECK_FALSE(s.earliest().has_value());
}

TEST_CASE("a holder drips again one interval after its last due time", "[bench][drip_schedule]") {
  DripSchedule s(milliseconds(100));
  const auto t0 = DripSchedule::Clock::time_point{} + std::chrono::hours(1);
  s.add(7, 0, 1, t0);
  auto d = s.pop_due(t0 + milliseconds(130));  // due at 100 ms, handled 30 ms late
  REQUIRE(d.has_value());
  CHECK(d->slot == 7);
  CHECK(d->at == t0 + milliseconds(100));
  s.next(*d, t0 + milliseconds(130));
  CHECK(s.earliest() == t0 + milliseconds(200));  // the lateness is not carried over

  // A loop that fell behind by more than an interval does not owe a burst of drips.
  d = s.pop_due(t0 + milliseconds(450));
  REQUIRE(d.has_value());
  s.next(*d, t0 + milliseconds(450));
  CHECK(s.earliest() == t0 + milliseconds(550));
}

TEST_CASE("the drip never ends the request head", "[bench][drip_schedule]") {
  std::string dripped;
  for (uint64_t n = 0; n < 16; ++n)
    dripped += DripSchedule::byte_at(n);
  CHECK(dripped == "X-a: b\r\nX-a: b\r\n");
  // After a head start that ends in CRLF, no prefix of the drip adds the empty line.
  std::string head = "GET / HTTP/1.1\r\nHost: h\r\n";
  for (uint64_t n = 0; n < 10000; ++n) {
    head += DripSchedule::byte_at(n);
    REQUIRE(head.find("\r\n\r\n") == std::string::npos);
  }
}
