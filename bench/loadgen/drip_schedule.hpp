// DripSchedule: when each slowloris holder (--idle-drip) sends its next byte, and which byte.
// A holder sends the start of a request head, then one byte of a header that never ends every
// interval, so the server must keep it (and its partial head) until client_header_timeout.
//
// All holders drip at one interval, so one min-heap of (due, slot) serves them all: a drip
// costs O(log n), ~13 comparisons for 5,000 holders, and no thread or timer per holder. Holder
// k of n (from 0) drips first (k+1)/n of an interval after the drip starts, so the server sees
// a steady trickle rather than every holder's byte in one burst per interval — a burst would
// test how the server digests 5,000 events at once, which is not the question.
// The alternative not taken: a scan of every holder each tick (5,000 × 20 ticks/s for nothing).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <queue>
#include <vector>

namespace kit::bench {

class DripSchedule {
 public:
  using Clock = std::chrono::steady_clock;
  struct Due {
    Clock::time_point at;
    size_t slot;
    bool operator>(const Due& o) const { return at > o.at; }
  };

  explicit DripSchedule(Clock::duration interval) : interval_(interval) {}

  // Holder `slot`, the k-th of n (from 0), starts dripping at `now`: its first drip is due
  // (k+1)/n of an interval later.
  void add(size_t slot, size_t k, size_t n, Clock::time_point now);
  // Takes the earliest holder due at or before `now`, if any. The caller drips it and, if the
  // holder is still open, hands it back with next().
  std::optional<Due> pop_due(Clock::time_point now);
  // Schedules `d`'s holder one interval after its last due time; if the loop fell behind by a
  // whole interval, one interval from `now` instead (no burst of catch-up drips).
  void next(const Due& d, Clock::time_point now);
  // When the earliest drip is due (for the event loop's wait), if any holder is scheduled.
  [[nodiscard]] std::optional<Clock::time_point> earliest() const;
  [[nodiscard]] size_t size() const { return heap_.size(); }

  // The n-th byte (from 0) a holder drips after its head start: "X-a: b\r\n" over and over,
  // a header block that never reaches its empty line.
  [[nodiscard]] static char byte_at(uint64_t n);

 private:
  Clock::duration interval_;
  std::priority_queue<Due, std::vector<Due>, std::greater<>> heap_;
};

}  // namespace kit::bench
