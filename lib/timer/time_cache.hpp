// TimeCache: the worker reads the clock once per loop iteration and everything in that
// iteration — timer deadlines, expiry, the Date header, log lines — uses the cached value.
// A loop turn takes microseconds, so one reading is as good as many, and a deadline computed
// from the cached time is never later than one computed from a fresh reading.
// Clock is the source it reads: SystemClock in servers, ManualClock in tests, which moves
// only when told — so expiry can be tested exactly, with no sleeping.
// Invariant: msec() never goes backwards (monotonic clock; wall time is for display only).
// nginx counterpart: ngx_time_update() filling ngx_current_msec and ngx_cached_time.
// Introduced in chapter 08. Alternative not taken: reading the clock at every use (a vDSO
// call is cheap, but "now" would differ between the timers set in one iteration).
#pragma once

#include <ctime>

#include "timer/timer_tree.hpp"

namespace kit {

class Clock {
 public:
  virtual ~Clock() = default;
  [[nodiscard]] virtual Msec monotonic_msec() const = 0;       // for timers
  [[nodiscard]] virtual std::time_t wall_seconds() const = 0;  // for Date and logs
};

class SystemClock final : public Clock {
 public:
  [[nodiscard]] Msec monotonic_msec() const override;
  [[nodiscard]] std::time_t wall_seconds() const override;
};

// A clock for tests: starts at `start` and moves only by advance().
class ManualClock final : public Clock {
 public:
  explicit ManualClock(Msec start = 1'000'000, std::time_t wall = 1'700'000'000)
      : msec_(start), wall_(wall) {}
  void advance(Msec ms) {
    msec_ += ms;
    wall_ = wall_start_ + static_cast<std::time_t>((msec_ - msec_start_) / 1000);
  }
  [[nodiscard]] Msec monotonic_msec() const override { return msec_; }
  [[nodiscard]] std::time_t wall_seconds() const override { return wall_; }

 private:
  Msec msec_;
  std::time_t wall_;
  const Msec msec_start_ = msec_;
  const std::time_t wall_start_ = wall_;
};

// Borrows the clock, which must outlive it.
class TimeCache {
 public:
  explicit TimeCache(const Clock& clock) : clock_(clock) { update(); }
  void update();  // ngx_time_update()
  [[nodiscard]] Msec msec() const { return msec_; }
  [[nodiscard]] std::time_t seconds() const { return seconds_; }

 private:
  const Clock& clock_;
  Msec msec_ = 0;
  std::time_t seconds_ = 0;
};

}  // namespace kit
