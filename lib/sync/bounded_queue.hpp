// BoundedQueue<T>: a fixed-capacity FIFO shared by threads. push() blocks while it is full and
// pop() blocks while it is empty — the capacity is what turns "more work than workers" into
// back-pressure instead of unbounded memory. In chapter 03 the acceptor pushes connections and
// the pool's workers pop them; when all workers are busy and the queue is full, the acceptor
// stops accepting and new clients wait in the kernel's listen backlog.
// Owns the queued items (moved in, moved out). nginx counterpart: ngx_thread_pool_t's task
// queue with `max_queue` (thread_pool directive, default 65536; nginx refuses a task when it
// is full rather than blocking). Introduced in chapter 03.
// Alternative not taken: a lock-free ring — faster, but the lesson is queueing, not locks.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>

namespace kit {

template <typename T>
class BoundedQueue {
 public:
  explicit BoundedQueue(size_t capacity) : capacity_(capacity == 0 ? 1 : capacity) {}

  void push(T item) {
    std::unique_lock lock(mutex_);
    not_full_.wait(lock, [&] { return items_.size() < capacity_; });
    items_.push_back(std::move(item));
    not_empty_.notify_one();
  }

  T pop() {
    std::unique_lock lock(mutex_);
    not_empty_.wait(lock, [&] { return !items_.empty(); });
    T item = std::move(items_.front());
    items_.pop_front();
    not_full_.notify_one();
    return item;
  }

  [[nodiscard]] size_t size() const {
    std::lock_guard lock(mutex_);
    return items_.size();
  }
  [[nodiscard]] size_t capacity() const { return capacity_; }

 private:
  const size_t capacity_;
  mutable std::mutex mutex_;
  std::condition_variable not_full_;
  std::condition_variable not_empty_;
  std::deque<T> items_;
};

}  // namespace kit
