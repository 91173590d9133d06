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

#include <atomic>
#include <cstdint>
#include <memory_resource>
#include <string>
#include <string_view>

#include "http/response.hpp"

namespace kit::http {

struct StatusCounters {
  std::atomic<uint64_t> accepted{0};  // connections accepted
  std::atomic<uint64_t> handled{0};   // of those, given a connection slot
  std::atomic<uint64_t> requests{0};  // requests answered
  std::atomic<int64_t> active{0};     // connections open now
  std::atomic<int64_t> reading{0};
  std::atomic<int64_t> writing{0};
  std::atomic<int64_t> waiting{0};
};
static_assert(std::atomic<uint64_t>::is_always_lock_free, "shared across processes");

// Where the page is served: `location = /status { stub_status; }` (exact) or a prefix.
struct StatusLocation {
  std::string path;
  bool exact = true;
  const StatusCounters* counters = nullptr;
  [[nodiscard]] bool matches(std::string_view target) const;
};

// The page as text/plain, built in `mem`.
[[nodiscard]] Response status_response(const StatusCounters& c, bool keep_alive,
                                       std::string_view date, bool head_only,
                                       std::pmr::memory_resource* mem);

}  // namespace kit::http
