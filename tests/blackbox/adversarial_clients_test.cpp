// The adversarial-client pack, run against every event-driven chapter (04 on): clients that
// pipeline a hundred requests at once, half-close, never read, or arrive by the thousand and
// vanish mid-request. One server holds all of them in one loop, so one mishandled client is
// a leaked connection for the life of the process. After each scenario the server must answer
// a normal request and hold exactly the sockets it held before (connection_count.hpp): no
// connection, descriptor, session or pool left behind.
#include <sys/socket.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "connection_count.hpp"
#include "expectations.hpp"
#include "http_client.hpp"
#include "suite_config.hpp"

namespace blackbox {

using namespace std::chrono_literals;

namespace {

// The end of every scenario: still serving, and nothing of the scenario left in the server.
void require_recovered(ServerProcess& server, size_t sockets_before) {
  REQUIRE(server.alive());
  CHECK(fetch(server.port(), get("/hello.txt")).status == 200);
  require_sockets_back(server, sockets_before);
  require_healthy(server);
}

}  // namespace

TEST_CASE("100 pipelined requests in one write are answered in order",
          "[adversarial][pipelined-100][ch04]") {
  const Expectation& e = expectation("pipelined-100");
  INFO(e.why);
  ServerProcess server = start_chapter();
  const size_t before = idle_sockets(server);
  // ~9 KiB of requests: more than one read buffer (8 KiB), so the parser resumes across reads
  // with a request cut anywhere. Every tenth asks for a missing file: a 404 keeps it alive.
  std::string burst;
  std::vector<std::string> expected;
  for (int i = 0; i < 100; ++i) {
    const bool missing = i % 10 == 9;
    const char* target = missing ? "/no-such-file" : (i % 2 == 0 ? "/hello.txt" : "/index.html");
    burst += get(target, "User-Agent: blackbox-pipeline-100\r\nAccept: */*\r\n");
    expected.push_back(missing ? "" : file_contents(target + 1));
  }
  HttpClient client(server.port());
  client.send(burst);
  const std::vector<HttpResponse> responses = client.read_responses(100);
  for (size_t i = 0; i < responses.size(); ++i) {
    INFO("response " << i);
    REQUIRE(responses[i].status == (expected[i].empty() ? 404 : 200));
    if (!expected[i].empty()) REQUIRE(responses[i].body == expected[i]);
  }
  // The connection is still good after the burst.
  client.send(get("/hello.txt"));
  CHECK(client.read_response().status == 200);
  client.close();
  require_recovered(server, before);
}

TEST_CASE("Requests followed by a half-close are answered before the server closes",
          "[adversarial][half-close][ch04]") {
  const Expectation& e = expectation("half-close");
  INFO(e.why);
  ServerProcess server = start_chapter();
  const size_t before = idle_sockets(server);
  // Two requests and the client's FIN, possibly in one segment: the server reads the end of
  // the stream together with the requests and must still answer both (RFC 9112 §9.6: a
  // half-closed client is waiting for its responses), then close.
  HttpClient client(server.port());
  client.send(get("/hello.txt") + get("/index.html"));
  client.shutdown_write();
  const std::vector<HttpResponse> responses = client.read_responses(2);
  REQUIRE(responses[0].status == 200);
  CHECK(responses[0].body == file_contents("hello.txt"));
  REQUIRE(responses[1].status == 200);
  CHECK(responses[1].body == file_contents("index.html"));
  CHECK(client.closed_within(2s));
  client.close();
  require_recovered(server, before);
}

TEST_CASE("A client that never reads is cut off by send_timeout",
          "[adversarial][never-reads][ch08]") {
  const Expectation& e = expectation("never-reads");
  INFO(e.why);
  ServerProcess server = start_chapter(server_args(e));
  const size_t before = idle_sockets(server);
  // Eight pipelined 1 MiB responses to a 16 KiB receive buffer: far more than loopback's
  // socket buffers hold (tcp_wmem's 4 MiB at most), so the server is stuck mid-response with
  // its send buffer full. The client keeps its socket open and reads nothing.
  HttpClient client(server.port(), {.receive_buffer = 16 * 1024});
  std::string requests;
  for (int i = 0; i < 8; ++i)
    requests += get("/1m.bin");
  client.send(requests);
  if (e.outcome == Outcome::kNoTimeout) {
    // No timers: the connection (and whatever it holds) stays for as long as the client likes.
    std::this_thread::sleep_for(1500ms);
    CHECK(open_sockets(server.pid()) == before + 1);
    client.reset();  // only the client leaving frees it
  } else {
    REQUIRE(e.outcome == Outcome::kPass);
    // send_timeout (1 s here) frees the connection while the client still holds its end.
    require_sockets_back(server, before, 5s);
    client.close();
  }
  require_recovered(server, before);
}

TEST_CASE("2000 connections dropped mid-request leave nothing behind",
          "[adversarial][dropped-mid-request][ch04]") {
  const Expectation& e = expectation("dropped-mid-request");
  INFO(e.why);
  ServerProcess server = start_chapter(server_args(e));
  const size_t before = idle_sockets(server);
  // Every way to be mid-request: connected and silent, half a request line, a whole head with
  // half its body, a whole request whose response is never read.
  const char* const kStages[] = {
      "",
      "GET /hello.txt HTTP/1.1\r\nHo",
      "POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100\r\n\r\n0123456789",
      "GET /index.html HTTP/1.1\r\nHost: localhost\r\n\r\n",
  };
  std::vector<std::unique_ptr<HttpClient>> clients;
  clients.reserve(static_cast<size_t>(e.clients));
  for (int i = 0; i < e.clients; ++i) {
    INFO("connection " << i);
    clients.push_back(std::make_unique<HttpClient>(server.port()));
    // Chapter 04 closes connections past select()'s limit at once: a send may find it gone.
    static_cast<void>(clients.back()->try_send(kStages[i % 4]));
  }
  std::this_thread::sleep_for(200ms);  // the server has read what each one sent
  // Dropped abruptly: RST for seven in eight (a crashed client, a NAT timeout), FIN for the rest.
  for (size_t i = 0; i < clients.size(); ++i) {
    if (i % 8 == 7) {
      clients[i]->close();
    } else {
      clients[i]->reset();
    }
  }
  clients.clear();
  require_recovered(server, before);
}

}  // namespace blackbox
