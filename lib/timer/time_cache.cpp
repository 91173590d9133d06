#include "timer/time_cache.hpp"

#include <time.h>

namespace kit {

Msec SystemClock::monotonic_msec() const {
  timespec ts{};
  ::clock_gettime(CLOCK_MONOTONIC, &ts);  // cannot fail for a valid clock id
  return static_cast<Msec>(ts.tv_sec) * 1000 + static_cast<Msec>(ts.tv_nsec) / 1'000'000;
}

std::time_t SystemClock::wall_seconds() const {
  return std::time(nullptr);
}

void TimeCache::update() {
  const Msec now = clock_.monotonic_msec();
  if (now > msec_) msec_ = now;  // never backwards, whatever the source does
  seconds_ = clock_.wall_seconds();
}

}  // namespace kit
