// TimerTree: every timeout of a worker in one tree ordered by deadline, so the event loop
// needs no timer thread and no per-connection sleep: "time until the earliest deadline" is
// the epoll_wait timeout, and after the wait every timer whose deadline passed is popped in
// deadline order (FIFO among equal deadlines: std::multimap inserts an equal key last).
//
//   tree_: { 1200 → Timer@conn7, 1200 → Timer@conn3, 5000 → Timer@conn9, ... }   (msec)
//   Timer (embedded in its owner): armed → it_ points at its node; disarmed → spare_ holds
//   the node, so re-arming re-inserts it without allocating (C++17 node handles).
//
// A Timer is owned by the object it times (a connection) and must not move; its destructor
// cancels it. O(log n) add, cancel and re-arm; O(1) earliest. nginx counterpart:
// ngx_event_timer.c (ngx_event_add_timer, ngx_event_del_timer, ngx_event_find_timer,
// ngx_event_expire_timers) over ngx_rbtree. Introduced in chapter 08. Alternative not taken:
// an intrusive red-black tree like ngx_rbtree (no allocation at all, but 300 lines of tree
// code to teach before the lesson); std::multimap *is* a red-black tree in libstdc++, and the
// node handle recycling removes its one per-add allocation.
#pragma once

#include <cstdint>
#include <map>
#include <optional>

namespace kit {

using Msec = uint64_t;  // milliseconds of the monotonic clock (nginx: ngx_msec_t)

class TimerTree {
 public:
  class Timer;

 private:
  using Tree = std::multimap<Msec, Timer*>;

 public:
  class Timer {
   public:
    // `owner` is what pop_expired() returns for this timer (e.g. a connection token).
    explicit Timer(TimerTree& tree, uint64_t owner = 0) : tree_(tree), owner_(owner) {}
    ~Timer() { tree_.cancel(*this); }
    Timer(const Timer&) = delete;
    Timer& operator=(const Timer&) = delete;

    [[nodiscard]] bool armed() const { return armed_; }
    [[nodiscard]] Msec deadline() const { return armed_ ? it_->first : 0; }
    [[nodiscard]] uint64_t owner() const { return owner_; }
    void set_owner(uint64_t owner) { owner_ = owner; }

   private:
    friend class TimerTree;
    TimerTree& tree_;
    uint64_t owner_;
    bool armed_ = false;
    Tree::iterator it_;      // valid while armed_
    Tree::node_type spare_;  // the node, kept while disarmed
  };

  TimerTree() = default;
  TimerTree(const TimerTree&) = delete;
  TimerTree& operator=(const TimerTree&) = delete;

  // Arms `timer` for `deadline`, moving it if it was already armed (ngx_add_timer).
  void add(Timer& timer, Msec deadline);
  // Disarms `timer`; harmless when it is not armed (ngx_del_timer).
  void cancel(Timer& timer);

  // The epoll_wait timeout at `now`: -1 with no timers, 0 if one is due, else the
  // milliseconds until the earliest deadline (ngx_event_find_timer).
  [[nodiscard]] int wait_timeout(Msec now) const;
  // Disarms and returns the owner of the earliest timer due at `now` (deadline <= now), or
  // nullopt. The loop calls it until nullopt (ngx_event_expire_timers).
  std::optional<uint64_t> pop_expired(Msec now);

  [[nodiscard]] size_t size() const { return tree_.size(); }
  [[nodiscard]] bool empty() const { return tree_.empty(); }

 private:
  Tree tree_;
};

}  // namespace kit
