// AcceptMutex: nginx's accept mutex — a lock word in memory shared by every worker process
// (process/shared_memory), taken only with a non-blocking try: a worker that gets it puts the
// listening socket into its epoll set and accepts; the others leave it out and look again
// within accept_mutex_delay. No worker ever sleeps on the lock, so it is a word compared and
// swapped, not a futex or a pthread mutex: the owner's pid, 0 when free. A worker that dies
// holding it would block accepting for ever, so the master, which reaps it, frees the lock
// in its name (force_unlock).
//
//   worker 1: try_lock(1201) → true   listener in its epoll, accepts, unlock(1201)
//   worker 2: try_lock(1202) → false  listener out of its epoll, waits ≤ 500 ms, tries again
//
// Lives in shared memory: trivially destructible, lock-free, no pointers. nginx counterpart:
// ngx_shmtx_t with ngx_shmtx_trylock / ngx_shmtx_unlock / ngx_shmtx_force_unlock
// (ngx_shmtx.c), used by ngx_trylock_accept_mutex (ngx_event_accept.c). Introduced in
// chapter 11.
#pragma once

#include <sys/types.h>

#include <atomic>
#include <cstdint>

namespace kit {

class AcceptMutex {
 public:
  // true if `self` holds the lock now (also when it already held it).
  bool try_lock(pid_t self) {
    int32_t expected = 0;
    if (owner_.compare_exchange_strong(expected, self, std::memory_order_acquire)) return true;
    return expected == self;
  }
  // Releases the lock if `self` holds it.
  void unlock(pid_t self) {
    int32_t expected = self;
    owner_.compare_exchange_strong(expected, 0, std::memory_order_release);
  }
  // The master, for a worker that exited: true if `dead` held the lock (now freed).
  bool force_unlock(pid_t dead) {
    int32_t expected = dead;
    return owner_.compare_exchange_strong(expected, 0, std::memory_order_release);
  }
  [[nodiscard]] pid_t owner() const { return owner_.load(std::memory_order_relaxed); }

 private:
  std::atomic<int32_t> owner_{0};
};
static_assert(std::atomic<int32_t>::is_always_lock_free, "shared across processes");

}  // namespace kit
