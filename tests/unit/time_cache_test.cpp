// lib/timer/time_cache.hpp: the cached time moves only at update(), never backwards, and the
// Date header follows it.
#include "timer/time_cache.hpp"

#include <catch2/catch.hpp>

#include "http/http_date.hpp"

namespace {

// A source that jumps back, as a wall clock can (NTP): the cache must not follow it.
class BackwardsClock final : public kit::Clock {
 public:
  kit::Msec msec = 5000;
  [[nodiscard]] kit::Msec monotonic_msec() const override { return msec; }
  [[nodiscard]] std::time_t wall_seconds() const override { return 0; }
};

}  // namespace

TEST_CASE("the cached time changes only when updated", "[ch08][time_cache]") {
  kit::ManualClock clock(10'000, 1'700'000'000);
  kit::TimeCache time(clock);
  CHECK(time.msec() == 10'000);
  CHECK(time.seconds() == 1'700'000'000);
  clock.advance(2'500);
  CHECK(time.msec() == 10'000);  // not read again until update()
  time.update();
  CHECK(time.msec() == 12'500);
  CHECK(time.seconds() == 1'700'000'002);
}

TEST_CASE("the cached time never goes backwards", "[ch08][time_cache]") {
  BackwardsClock clock;
  kit::TimeCache time(clock);
  clock.msec = 4000;
  time.update();
  CHECK(time.msec() == 5000);
  clock.msec = 6000;
  time.update();
  CHECK(time.msec() == 6000);
}

TEST_CASE("the system clock's milliseconds are monotonic", "[ch08][time_cache]") {
  const kit::SystemClock clock;
  const kit::Msec a = clock.monotonic_msec();
  const kit::Msec b = clock.monotonic_msec();
  CHECK(b >= a);
  CHECK(clock.wall_seconds() > 1'600'000'000);
}

TEST_CASE("a DateCache given the cached time stops reading the clock", "[ch08][time_cache]") {
  kit::http::DateCache dates;
  dates.update(784111777);
  CHECK(dates.now() == "Sun, 06 Nov 1994 08:49:37 GMT");
  dates.update(784111778);
  CHECK(dates.now() == "Sun, 06 Nov 1994 08:49:38 GMT");
}
