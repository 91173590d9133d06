// stub_status: nginx's basic status page, counted across all workers.
//
//   Active connections: 291
//   server accepts handled requests
//    16630948 16630948 31070465
//   Reading: 6 Writing: 179 Waiting: 106
//
// StatusCounters lives in memory the master maps shared before it forks (process/
// shared_memory), so every worker adds to the same numbers with atomic operations; the page
// is built from them on request. Reading: connections reading a request head; Writing:
// handling or sending a response (the status request itself is one); Waiting: idle keep-alive.
// nginx counterpart: ngx_http_stub_status_module and the ngx_stat_* counters (ngx_event.c).
// Introduced in chapter 10.
#pragma once

#include <sys/types.h>

#include <array>
#include <atomic>
#include <cstdint>
#include <memory_resource>
#include <string>
#include <string_view>

#include "http/response.hpp"

namespace kit::http {

// One worker's own numbers (chapter 11: how connections spread over the workers, and how often
// a worker is woken for a connection another one takes). A worker claims a free slot with its
// pid when it starts; the master zeroes and frees it when it reaps the worker.
struct WorkerCounters {
  std::atomic<int32_t> pid{0};        // 0: a free slot
  std::atomic<uint64_t> accepts{0};   // connections it accepted
  std::atomic<uint64_t> wakeups{0};   // epoll_wait returns that reported the listener to it
  std::atomic<uint64_t> empty{0};     // of those, with nothing to accept: another worker won
  std::atomic<int64_t> active{0};     // its connections open now
  std::atomic<uint64_t> requests{0};  // requests it answered
};
// worker_processes is at most 64; during a reload the old generation finishes beside the new.
constexpr size_t kMaxWorkerSlots = 128;

struct StatusCounters {
  std::atomic<uint64_t> accepted{0};  // connections accepted
  std::atomic<uint64_t> handled{0};   // of those, given a connection slot
  std::atomic<uint64_t> requests{0};  // requests answered
  std::atomic<int64_t> active{0};     // connections open now
  std::atomic<int64_t> reading{0};
  std::atomic<int64_t> writing{0};
  std::atomic<int64_t> waiting{0};
  std::array<WorkerCounters, kMaxWorkerSlots> workers;
};
static_assert(std::atomic<uint64_t>::is_always_lock_free, "shared across processes");

// The slot `pid` takes (nullptr when all are taken), and the master's release of it.
WorkerCounters* claim_worker_slot(StatusCounters& c, pid_t pid);
void release_worker_slot(StatusCounters& c, pid_t pid);

// Where the page is served: `location = /status { stub_status; }` (exact) or a prefix.
struct StatusLocation {
  std::string path;
  bool exact = true;
  const StatusCounters* counters = nullptr;
  [[nodiscard]] bool matches(std::string_view target) const;
};

// The page as text/plain, built in `mem`. With `per_worker` (the kit's addition, asked for as
// `/status?workers`) one line per live worker follows nginx's four:
//   worker 1201 accepts 5012 wakeups 5102 empty 90 active 50 requests 100231
[[nodiscard]] Response status_response(const StatusCounters& c, bool keep_alive,
                                       std::string_view date, bool head_only, bool per_worker,
                                       std::pmr::memory_resource* mem);

}  // namespace kit::http
