// lib/event/http_connection.hpp: the edge-triggered connection state machine, driven by hand
// (the test plays the event loop: it writes client bytes, then reports the edge).
// Every test runs three times: with heap allocations (chapters 07–08), with a connection pool
// and a request pool (chapter 09), and with the buffers recycled by the worker (chapter 12),
// which must not change a byte of what the client sees.
#include "event/http_connection.hpp"

#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory_resource>
#include <string>
#include <vector>

#include "core/fd.hpp"
#include "event/poller.hpp"

namespace {

using State = kit::HttpConnection::State;
using Action = kit::ConnectionAction;

// A document root with a small and a large file, removed afterwards.
struct TempRoot {
  std::filesystem::path dir;
  TempRoot() {
    char name[] = "/tmp/kit-conn-XXXXXX";
    REQUIRE(::mkdtemp(name) != nullptr);
    dir = name;
    std::ofstream(dir / "a.txt") << "hello\n";
    std::ofstream big(dir / "big.bin", std::ios::binary);
    for (int i = 0; i < 256 * 1024; ++i)
      big.put(static_cast<char>('a' + i % 26));
  }
  ~TempRoot() { std::filesystem::remove_all(dir); }
};

struct Fixture {
  TempRoot root;
  kit::http::StaticSite site{root.dir};
  kit::http::DateCache dates;
  kit::Fd client;
  // Chapter 12: the worker's recycling pool (EventCycle owns it in the server); declared before
  // the connection, which gives its buffers back to it when destroyed.
  std::pmr::unsynchronized_pool_resource recycler{std::pmr::new_delete_resource()};
  std::optional<kit::HttpConnection> conn;
  bool pools = false;
  bool recycled = false;

  explicit Fixture(int server_sndbuf = 0) {
    // The heap (chapters 07-08), pools (09-11), pools with buffers recycled by the worker (12).
    const int mode = GENERATE(0, 1, 2);
    pools = mode >= 1;
    recycled = mode == 2;
    kit::ConnectionOptions options;
    if (pools) {
      options.connection_pool_size = recycled ? 0 : 512;
      options.request_pool_size = 4096;
    }
    if (recycled) options.buffers = &recycler;
    int fds[2];
    REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, fds) == 0);
    if (server_sndbuf > 0) {
      ::setsockopt(fds[0], SOL_SOCKET, SO_SNDBUF, &server_sndbuf, sizeof server_sndbuf);
    }
    client = kit::Fd(fds[1]);
    conn.emplace(kit::Fd(fds[0]), site, dates, options);
  }

  void send(std::string_view bytes) const {
    REQUIRE(::write(client.get(), bytes.data(), bytes.size()) ==
            static_cast<ssize_t>(bytes.size()));
  }

  // What the event loop does: one on_event(), then further turns while the connection says
  // it yielded with work left (posted). Returns the last action that was not kNone.
  Action drive(uint32_t events) {
    Action last = conn->on_event(events);
    for (int turns = 0; conn->posted(); ++turns) {
      REQUIRE(turns < 10000);
      const Action a = conn->on_event(0);
      if (a != Action::kNone) last = a;
    }
    return last;
  }

  // Everything the server has written so far.
  std::string receive() const {
    std::string out;
    char buf[65536];
    for (;;) {
      const ssize_t n = ::read(client.get(), buf, sizeof buf);
      if (n <= 0) break;
      out.append(buf, static_cast<size_t>(n));
    }
    return out;
  }
};

struct Parsed {
  int status = 0;
  std::string head, body;
};

// Splits a byte stream into responses (Content-Length framing, as the kit always sends).
// How many complete responses `bytes` holds (the last one may still be arriving).
size_t split_responses_count(std::string_view bytes) {
  size_t n = 0;
  for (;;) {
    const size_t end = bytes.find("\r\n\r\n");
    const size_t cl = bytes.substr(0, end).find("Content-Length: ");
    if (end == std::string_view::npos || cl == std::string_view::npos) return n;
    const size_t length = std::stoul(std::string(bytes.substr(cl + 16, 20)));
    if (bytes.size() < end + 4 + length) return n;
    bytes.remove_prefix(end + 4 + length);
    ++n;
  }
}

std::vector<Parsed> split_responses(std::string_view bytes) {
  std::vector<Parsed> out;
  while (!bytes.empty()) {
    const size_t end = bytes.find("\r\n\r\n");
    REQUIRE(end != std::string_view::npos);
    Parsed p;
    p.head = std::string(bytes.substr(0, end + 4));
    p.status = std::stoi(p.head.substr(9, 3));
    const size_t cl = p.head.find("Content-Length: ");
    REQUIRE(cl != std::string::npos);
    const size_t length = std::stoul(p.head.substr(cl + 16));
    REQUIRE(bytes.size() >= end + 4 + length);
    p.body = std::string(bytes.substr(end + 4, length));
    bytes.remove_prefix(end + 4 + length);
    out.push_back(std::move(p));
  }
  return out;
}

}  // namespace

TEST_CASE("a request fed one byte at a time resumes in every reading state",
          "[ch07][http_connection]") {
  Fixture f;
  const std::string request = "GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n";
  std::vector<State> seen;
  for (char c : request) {
    f.send(std::string_view(&c, 1));
    CHECK(f.drive(kit::kEventRead) == Action::kNone);
    if (seen.empty() || seen.back() != f.conn->state()) seen.push_back(f.conn->state());
  }
  CHECK(seen == std::vector<State>{State::kReadingRequestLine, State::kReadingHeaders,
                                   State::kKeepaliveWait});
  auto responses = split_responses(f.receive());
  REQUIRE(responses.size() == 1);
  CHECK(responses[0].status == 200);
  CHECK(responses[0].body == "hello\n");
}

TEST_CASE("pipelined requests in one read are answered in order", "[ch07][http_connection]") {
  Fixture f;
  f.send(
      "GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n"
      "GET /missing HTTP/1.1\r\nHost: x\r\n\r\n"
      "HEAD /a.txt HTTP/1.1\r\nHost: x\r\n\r\n"
      "GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n");
  CHECK(f.drive(kit::kEventRead) == Action::kNone);
  CHECK(f.conn->state() == State::kKeepaliveWait);
  std::string bytes = f.receive();
  // HEAD has a Content-Length but no body: cut it out before splitting by length.
  const size_t head_at = bytes.find("HTTP/1.1 200", bytes.find("HTTP/1.1 404"));
  const size_t head_end = bytes.find("\r\n\r\n", head_at) + 4;
  const std::string head_response = bytes.substr(head_at, head_end - head_at);
  bytes.erase(head_at, head_end - head_at);
  auto responses = split_responses(bytes);
  REQUIRE(responses.size() == 3);
  CHECK(responses[0].status == 200);
  CHECK(responses[1].status == 404);
  CHECK(responses[2].body == "hello\n");
  CHECK(head_response.find("Content-Length: 6\r\n") != std::string::npos);
}

TEST_CASE("a response larger than the socket buffer finishes over several write edges",
          "[ch07][http_connection]") {
  Fixture f(/*server_sndbuf=*/16 * 1024);
  f.send("GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\nGET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n");
  // The first write fills the buffer: EPOLLOUT is asked for, and only now.
  REQUIRE(f.drive(kit::kEventRead) == Action::kArmWrite);
  CHECK(f.conn->state() == State::kSendingBody);
  std::string bytes = f.receive();
  int write_edges = 0;
  Action last = Action::kNone;
  while (f.conn->state() != State::kKeepaliveWait) {
    REQUIRE(write_edges < 10000);
    ++write_edges;
    last = f.drive(kit::kEventWrite);
    bytes += f.receive();
  }
  CHECK(write_edges > 1);
  CHECK(last == Action::kDisarmWrite);  // sent: EPOLLOUT dropped again
  auto responses = split_responses(bytes);
  REQUIRE(responses.size() == 2);  // the pipelined second request was answered after it
  CHECK(responses[0].body.size() == 256 * 1024);
  CHECK(responses[0].body.substr(0, 3) == "abc");
  CHECK(responses[1].body == "hello\n");
}

TEST_CASE("an idle keep-alive connection holds no buffers", "[ch07][http_connection]") {
  Fixture f;
  f.send("GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n");
  f.drive(kit::kEventRead);
  CHECK(f.conn->state() == State::kKeepaliveWait);
  CHECK(f.conn->buffered_capacity() == 0);
  // With pools: the connection pool's block, no more; with recycling (chapter 12): nothing.
  CHECK(f.conn->pool_bytes() <= (f.recycled ? 0 : 512));
}

TEST_CASE("a body arriving in pieces is read past, and keep-alive goes on",
          "[ch07][http_connection]") {
  Fixture f;
  f.send("POST /a.txt HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n12345");
  CHECK(f.drive(kit::kEventRead) == Action::kNone);
  CHECK(f.conn->state() == State::kReadingBody);
  f.send("67890GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n");
  f.drive(kit::kEventRead);
  CHECK(f.conn->state() == State::kKeepaliveWait);
  auto responses = split_responses(f.receive());
  REQUIRE(responses.size() == 2);
  CHECK(responses[0].status == 405);
  CHECK(responses[1].status == 200);
}

TEST_CASE("a half-closed client still gets its answer, then the connection closes",
          "[ch07][http_connection]") {
  Fixture f;
  f.send("GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n");
  REQUIRE(::shutdown(f.client.get(), SHUT_WR) == 0);
  CHECK(f.drive(kit::kEventRead | kit::kEventError) == Action::kClose);
  auto responses = split_responses(f.receive());
  REQUIRE(responses.size() == 1);
  CHECK(responses[0].status == 200);
}

TEST_CASE("a client that leaves mid-request or mid-response is closed, not kept",
          "[ch07][http_connection]") {
  SECTION("mid-request") {
    Fixture f;
    f.send("GET /a.txt HTTP/1.1\r\nHo");
    CHECK(f.drive(kit::kEventRead) == Action::kNone);
    f.client.reset();
    CHECK(f.drive(kit::kEventRead | kit::kEventError) == Action::kClose);
  }
  SECTION("while EPOLLOUT is armed") {
    Fixture f(/*server_sndbuf=*/16 * 1024);
    f.send("GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n");
    REQUIRE(f.drive(kit::kEventRead) == Action::kArmWrite);
    f.client.reset();
    // epoll reports the hang-up as EPOLLERR|EPOLLHUP, not as EPOLLOUT.
    CHECK(f.drive(kit::kEventRead | kit::kEventError) == Action::kClose);
  }
}

TEST_CASE("a malformed request is answered once, then closed", "[ch07][http_connection]") {
  Fixture f;
  f.send("GET /a.txt HTTP/1.1\r\nHost : x\r\n\r\nGET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n");
  CHECK(f.drive(kit::kEventRead) == Action::kClose);
  f.conn.reset();  // closing: the server shuts down its side after the answer
  auto responses = split_responses(f.receive());
  REQUIRE(responses.size() == 1);
  CHECK(responses[0].status == 400);
  CHECK(responses[0].head.find("Connection: close\r\n") != std::string::npos);
}

TEST_CASE("after a response the connection yields (posted) instead of serving the next at once",
          "[ch07][http_connection]") {
  Fixture f;
  f.send("GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\nGET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n");
  // One turn answers one request, so other ready connections get theirs in between.
  CHECK(f.conn->on_event(kit::kEventRead) == Action::kNone);
  CHECK(f.conn->posted());
  CHECK(split_responses(f.receive()).size() == 1);
  CHECK(f.conn->on_event(0) == Action::kNone);
  CHECK(split_responses(f.receive()).size() == 1);
  // The socket is still marked readable (no EAGAIN seen yet): one more turn finds it empty.
  if (f.conn->posted()) f.conn->on_event(0);
  CHECK_FALSE(f.conn->posted());
  CHECK(f.conn->state() == State::kKeepaliveWait);
}

namespace {

// Counts what reaches the default memory resource: with pools, nothing a request builds may
// fall back to it (a std::pmr object that is assigned instead of constructed would).
class CountingResource final : public std::pmr::memory_resource {
 public:
  size_t allocations = 0;

 private:
  void* do_allocate(size_t bytes, size_t align) override {
    ++allocations;
    return std::pmr::new_delete_resource()->allocate(bytes, align);
  }
  void do_deallocate(void* p, size_t bytes, size_t align) override {
    std::pmr::new_delete_resource()->deallocate(p, bytes, align);
  }
  bool do_is_equal(const std::pmr::memory_resource& other) const noexcept override {
    return this == &other;
  }
};

}  // namespace

TEST_CASE("with pools, a request's objects come from the pools, not the heap",
          "[ch09][http_connection]") {
  CountingResource counting;
  std::pmr::memory_resource* previous = std::pmr::set_default_resource(&counting);
  {
    Fixture f;
    // Keep-alive, pipelined, a file larger than the copy buffer, and a 404.
    f.send("GET /a.txt HTTP/1.1\r\nHost: x\r\nAccept: */*\r\n\r\n");
    f.drive(kit::kEventRead);
    f.send(
        "GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\nGET /missing HTTP/1.1\r\nHost: x\r\n\r\n"
        "GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n");
    f.drive(kit::kEventRead);
    std::string bytes;
    for (int i = 0; i < 1000 && split_responses_count(bytes) < 4; ++i) {
      bytes += f.receive();
      f.drive(kit::kEventWrite);
    }
    REQUIRE(split_responses(bytes).size() == 4);
    INFO("pools: " << f.pools);
    if (f.pools) {
      CHECK(counting.allocations == 0);
    } else {
      CHECK(counting.allocations > 0);  // without pools the same objects use the heap
    }
  }
  std::pmr::set_default_resource(previous);
}
