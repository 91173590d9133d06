// SharedObject<T>: one T in an anonymous shared mapping, made by the master before it forks
// so that every worker sees the same object (the stub_status counters). T must be usable
// from several processes at once: lock-free atomics, no pointers into one process's heap.
// Owns the mapping (munmap on destruction). nginx counterpart: ngx_shm_alloc() (mmap with
// MAP_ANON|MAP_SHARED) for the ngx_stat_* counters. Introduced in chapter 10; chapter 14's
// limits need a shared slab on top of it.
#pragma once

#include <sys/mman.h>

#include <new>
#include <type_traits>

#include "core/sys_error.hpp"

namespace kit {

template <typename T>
class SharedObject {
  static_assert(std::is_trivially_destructible_v<T>, "no process runs T's destructor for all");

 public:
  SharedObject() {
    void* p = ::mmap(nullptr, sizeof(T), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) throw_sys_error("mmap(MAP_SHARED) of the shared counters");
    object_ = ::new (p) T();
  }
  ~SharedObject() { ::munmap(object_, sizeof(T)); }
  SharedObject(const SharedObject&) = delete;
  SharedObject& operator=(const SharedObject&) = delete;

  T& get() { return *object_; }

 private:
  T* object_;
};

}  // namespace kit
