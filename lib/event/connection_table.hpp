// ConnectionTable<T>: every connection object lives in one preallocated table, found by
// index, recycled through a free list — no allocation per connection and no shared_ptr.
// A slot's generation counter is bumped each time it is freed; the token handed to the
// poller is (generation << 32 | index), so an event that was already queued for a connection
// closed earlier in the same batch carries an old generation and is ignored instead of being
// delivered to whichever new connection reuses the slot.
//
//   slots_: [ T | gen 7 | in use ] [ empty | gen 3 ] [ T | gen 1 | in use ] ...
//   free_:  stack of empty slot indexes
//
// Owns the T objects (std::optional in each slot). nginx counterpart: cycle->connections
// with ngx_cycle->free_connections, ngx_get_connection() / ngx_free_connection(), and the
// `instance` bit stored in the epoll data pointer. Introduced in chapter 06.
#pragma once

#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

namespace kit {

template <typename T>
class ConnectionTable {
 public:
  explicit ConnectionTable(size_t capacity) : slots_(capacity) {
    free_.reserve(capacity);
    for (size_t i = capacity; i-- > 0;)
      free_.push_back(static_cast<uint32_t>(i));
  }

  // Constructs a T in a free slot; returns its token, or nullopt when the table is full
  // (nginx: "worker_connections are not enough").
  template <typename... Args>
  std::optional<uint64_t> emplace(Args&&... args) {
    if (free_.empty()) return std::nullopt;
    const uint32_t index = free_.back();
    free_.pop_back();
    Slot& s = slots_[index];
    s.value.emplace(std::forward<Args>(args)...);
    return (uint64_t{s.generation} << 32) | index;
  }

  // The object a token names, or nullptr if that connection has since been freed (stale).
  T* find(uint64_t token) {
    const auto index = static_cast<uint32_t>(token);
    if (index >= slots_.size()) return nullptr;
    Slot& s = slots_[index];
    if (!s.value || s.generation != static_cast<uint32_t>(token >> 32)) return nullptr;
    return &*s.value;
  }

  // Destroys the object (closing what it owns) and makes the slot reusable.
  void erase(uint64_t token) {
    const auto index = static_cast<uint32_t>(token);
    if (find(token) == nullptr) return;
    Slot& s = slots_[index];
    s.value.reset();
    ++s.generation;
    free_.push_back(index);
  }

  // Calls fn(token, object) for every live object (chapter 10: a graceful shutdown visits them).
  template <typename Fn>
  void for_each(Fn&& fn) {
    for (size_t i = 0; i < slots_.size(); ++i) {
      Slot& s = slots_[i];
      if (s.value) fn((uint64_t{s.generation} << 32) | i, *s.value);
    }
  }

  [[nodiscard]] size_t in_use() const { return slots_.size() - free_.size(); }
  [[nodiscard]] size_t capacity() const { return slots_.size(); }

 private:
  struct Slot {
    std::optional<T> value;
    uint32_t generation = 0;
  };
  std::vector<Slot> slots_;
  std::vector<uint32_t> free_;
};

}  // namespace kit
