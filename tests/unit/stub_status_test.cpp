// lib/http/stub_status.hpp: nginx's page from the shared counters, and the per-worker slots
// of chapter 11 (claimed by pid, zeroed and freed by the master, listed with ?workers).
#include "http/stub_status.hpp"

#include <catch2/catch.hpp>
#include <memory>
#include <memory_resource>

namespace {

std::string page(const kit::http::StatusCounters& c, bool per_worker) {
  return std::string(kit::http::status_response(c, true, "Thu, 26 Nov 2026 00:00:00 GMT", false,
                                                per_worker, std::pmr::new_delete_resource())
                         .body);
}

}  // namespace

TEST_CASE("the page has nginx's four lines, and one per live worker with ?workers", "[ch10]") {
  auto c = std::make_unique<kit::http::StatusCounters>();
  c->active = 3;
  c->accepted = 10;
  c->handled = 10;
  c->requests = 20;
  c->reading = 1;
  c->writing = 1;
  c->waiting = 1;
  const std::string nginx_page =
      "Active connections: 3 \nserver accepts handled requests\n 10 10 20 \n"
      "Reading: 1 Writing: 1 Waiting: 1 \n";
  CHECK(page(*c, false) == nginx_page);
  CHECK(page(*c, true) == nginx_page);  // no worker has claimed a slot

  kit::http::WorkerCounters* a = kit::http::claim_worker_slot(*c, 1201);
  kit::http::WorkerCounters* b = kit::http::claim_worker_slot(*c, 1202);
  REQUIRE(a != nullptr);
  REQUIRE(b != nullptr);
  CHECK(a != b);
  a->accepts = 7;
  a->wakeups = 9;
  a->empty = 2;
  a->active = 1;
  a->requests = 12;
  b->accepts = 3;
  CHECK(page(*c, false) == nginx_page);
  CHECK(page(*c, true) == nginx_page +
                              "worker 1201 accepts 7 wakeups 9 empty 2 active 1 requests 12\n"
                              "worker 1202 accepts 3 wakeups 0 empty 0 active 0 requests 0\n");
}

TEST_CASE("a released slot is zeroed and taken again, when all are taken, none", "[ch10]") {
  auto c = std::make_unique<kit::http::StatusCounters>();
  kit::http::WorkerCounters* a = kit::http::claim_worker_slot(*c, 1201);
  REQUIRE(a != nullptr);
  a->accepts = 5;
  kit::http::release_worker_slot(*c, 1999);  // not a worker's: nothing happens
  CHECK(a->pid == 1201);
  kit::http::release_worker_slot(*c, 1201);
  CHECK(a->pid == 0);
  CHECK(a->accepts == 0);
  CHECK(kit::http::claim_worker_slot(*c, 1301) == a);  // the first free slot again

  for (size_t i = 1; i < kit::http::kMaxWorkerSlots; ++i)
    REQUIRE(kit::http::claim_worker_slot(*c, static_cast<pid_t>(2000 + i)) != nullptr);
  CHECK(kit::http::claim_worker_slot(*c, 3000) == nullptr);
}
