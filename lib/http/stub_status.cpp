#include "http/stub_status.hpp"

#include <fmt/format.h>

#include "http/response_head.hpp"

namespace kit::http {

bool StatusLocation::matches(std::string_view target) const {
  target = target.substr(0, target.find('?'));
  return exact ? target == path : target.starts_with(path);
}

Response status_response(const StatusCounters& c, bool keep_alive, std::string_view date,
                         bool head_only, std::pmr::memory_resource* mem) {
  constexpr auto kRelaxed = std::memory_order_relaxed;  // a snapshot, not a synchronisation
  const int64_t active = c.active.load(kRelaxed);
  const int64_t reading = c.reading.load(kRelaxed);
  const int64_t writing = c.writing.load(kRelaxed);
  std::string page = fmt::format(
      "Active connections: {} \nserver accepts handled requests\n {} {} {} \n"
      "Reading: {} Writing: {} Waiting: {} \n",
      active, c.accepted.load(kRelaxed), c.handled.load(kRelaxed), c.requests.load(kRelaxed),
      reading, writing, c.waiting.load(kRelaxed));
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
