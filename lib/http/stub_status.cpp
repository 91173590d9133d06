#include "http/stub_status.hpp"

#include <fmt/format.h>

#include <iterator>

#include "http/response_head.hpp"

namespace kit::http {
namespace {
constexpr auto kRelaxed = std::memory_order_relaxed;  // a snapshot, not a synchronisation
}  // namespace

WorkerCounters* claim_worker_slot(StatusCounters& c, pid_t pid) {
  for (WorkerCounters& w : c.workers) {
    int32_t free = 0;
    if (w.pid.compare_exchange_strong(free, pid)) return &w;
  }
  return nullptr;
}

void release_worker_slot(StatusCounters& c, pid_t pid) {
  for (WorkerCounters& w : c.workers) {
    if (w.pid.load() != pid) continue;
    w.accepts = 0;
    w.wakeups = 0;
    w.empty = 0;
    w.active = 0;
    w.requests = 0;
    w.pid.store(0);  // last: a worker claiming it finds zeroes
    return;
  }
}

bool StatusLocation::matches(std::string_view target) const {
  target = target.substr(0, target.find('?'));
  return exact ? target == path : target.starts_with(path);
}

Response status_response(const StatusCounters& c, bool keep_alive, std::string_view date,
                         bool head_only, bool per_worker, std::pmr::memory_resource* mem) {
  const int64_t active = c.active.load(kRelaxed);
  const int64_t reading = c.reading.load(kRelaxed);
  const int64_t writing = c.writing.load(kRelaxed);
  std::string page = fmt::format(
      "Active connections: {} \nserver accepts handled requests\n {} {} {} \n"
      "Reading: {} Writing: {} Waiting: {} \n",
      active, c.accepted.load(kRelaxed), c.handled.load(kRelaxed), c.requests.load(kRelaxed),
      reading, writing, c.waiting.load(kRelaxed));
  if (per_worker) {
    for (const WorkerCounters& w : c.workers) {
      const int32_t pid = w.pid.load(kRelaxed);
      if (pid == 0) continue;
      fmt::format_to(std::back_inserter(page),
                     "worker {} accepts {} wakeups {} empty {} active {} requests {}\n", pid,
                     w.accepts.load(kRelaxed), w.wakeups.load(kRelaxed), w.empty.load(kRelaxed),
                     w.active.load(kRelaxed), w.requests.load(kRelaxed));
    }
  }
  Response r(mem);
  r.status = 200;
  r.keep_alive = keep_alive;
  ResponseHead(r.head, 200, date)
      .field("Content-Type", "text/plain")
      .field("Content-Length", uint64_t{page.size()})
      .field("Cache-Control", "no-cache")
      .finish(keep_alive);
  if (!head_only) r.body = std::move(page);
  return r;
}

}  // namespace kit::http
