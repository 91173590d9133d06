#include "drip_schedule.hpp"

#include <string_view>

namespace kit::bench {

void DripSchedule::add(size_t slot, size_t k, size_t n, Clock::time_point now) {
  const double share = n > 0 ? static_cast<double>(k % n + 1) / static_cast<double>(n) : 1.0;
  heap_.push({now + std::chrono::duration_cast<Clock::duration>(interval_ * share), slot});
}

std::optional<DripSchedule::Due> DripSchedule::pop_due(Clock::time_point now) {
  if (heap_.empty() || heap_.top().at > now) return std::nullopt;
  Due d = heap_.top();
  heap_.pop();
  return d;
}

void DripSchedule::next(const Due& d, Clock::time_point now) {
  Clock::time_point at = d.at + interval_;
  if (at <= now) at = now + interval_;
  heap_.push({at, d.slot});
}

std::optional<DripSchedule::Clock::time_point> DripSchedule::earliest() const {
  if (heap_.empty()) return std::nullopt;
  return heap_.top().at;
}

char DripSchedule::byte_at(uint64_t n) {
  // One short header line, repeated: a server that limits the header count, not only the
  // head's size, meets its limit too, as it would under slowloris.py's "X-a: b" lines.
  constexpr std::string_view kPiece = "X-a: b\r\n";
  return kPiece[n % kPiece.size()];
}

}  // namespace kit::bench
