// The C10K question in miniature: many idle keep-alive connections (each after one completed
// request) are held open while a fresh client asks for a page. From chapter 05 on it must be
// answered within 2 s; earlier chapters fail in the way they teach (see expectations.cpp).
#include <catch2/catch.hpp>
#include <chrono>
#include <memory>

#include "expectations.hpp"
#include "http_client.hpp"
#include "suite_config.hpp"

namespace blackbox {

using namespace std::chrono_literals;

namespace {

constexpr auto kStallWindow = 1s;
constexpr auto kAnswerWithin = 2s;

using Holders = std::vector<std::unique_ptr<HttpClient>>;

// Opens `n` connections, one completed GET each, all kept open.
Holders hold_idle_connections(uint16_t port, int n) {
  Holders held;
  held.reserve(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) {
    INFO("holder " << i);
    auto client = std::make_unique<HttpClient>(port);
    client->send(get("/hello.txt"));
    REQUIRE(client->read_response().status == 200);
    held.push_back(std::move(client));
  }
  return held;
}

void require_fresh_client_answered(uint16_t port) {
  HttpClient fresh(port);
  fresh.send(get("/"));
  REQUIRE(fresh.answered_within(kAnswerWithin));
  CHECK(fresh.read_response().status == 200);
}

void pass_variant(ServerProcess& server, int n) {
  Holders held = hold_idle_connections(server.port(), n);
  require_fresh_client_answered(server.port());
  // The idle ones were kept, not dropped: the oldest and the newest still work.
  for (HttpClient* c : {held.front().get(), held.back().get()}) {
    c->send(get("/hello.txt"));
    CHECK(c->read_response().status == 200);
  }
}

void stall_variant(ServerProcess& server, int n) {
  Holders held = hold_idle_connections(server.port(), n);
  HttpClient fresh(server.port());
  fresh.send(get("/"));
  REQUIRE_FALSE(fresh.answered_within(kStallWindow));
  held.clear();
  REQUIRE(fresh.answered_within(kAnswerWithin));
  CHECK(fresh.read_response().status == 200);
}

// select(): fds >= FD_SETSIZE cannot be watched. Every connection is either served (200) or
// refused cleanly — a 503, or closed without a response — never left hanging.
void refusal_variant(ServerProcess& server, int n) {
  Holders held;
  int refused = 0;
  for (int i = 0; i < n; ++i) {
    INFO("connection " << i);
    auto client = std::make_unique<HttpClient>(server.port());
    HttpResponse r;
    if (client->try_send(get("/hello.txt"))) r = client->read_response();
    if (r.status == 200) {
      held.push_back(std::move(client));
    } else {
      CHECK((r.status == 503 || r.status == 0));
      ++refused;
    }
  }
  INFO(held.size() << " served, " << refused << " refused");
  CHECK(held.size() > 900);  // the fds below 1024, less the server's own
  CHECK(refused > 0);        // the wall was reached
  REQUIRE(server.alive());
  // The connections below the wall are still served.
  for (HttpClient* c : {held.front().get(), held.back().get()}) {
    c->send(get("/hello.txt"));
    CHECK(c->read_response().status == 200);
  }
  held.clear();
  require_fresh_client_answered(server.port());
}

}  // namespace

TEST_CASE("Idle keep-alive connections do not stall a fresh client",
          "[idle-keepalive-crowd][ch05]") {
  const Expectation& e = expectation("idle-keepalive-crowd");
  INFO(e.why);
  ServerProcess server = start_chapter(server_args(e));
  switch (e.outcome) {
    case Outcome::kPass:
      pass_variant(server, e.clients);
      break;
    case Outcome::kStalls:
      stall_variant(server, e.clients);
      break;
    case Outcome::kRefusesPastLimit:
      refusal_variant(server, e.clients);
      break;
    case Outcome::kNoTimeout:
      FAIL("idle-keepalive-crowd has no kNoTimeout row");
      break;
  }
  require_healthy(server);
}

}  // namespace blackbox
