// lib/http/response_sender.hpp: resumable sending of head, memory body and file range.
#include "http/response_sender.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <memory>
#include <string>

#include "core/fd.hpp"

namespace {

struct Pair {
  kit::Fd a, b;
};

Pair nonblocking_pair(int sndbuf) {
  int fds[2];
  REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, fds) == 0);
  ::setsockopt(fds[0], SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof sndbuf);
  return {kit::Fd(fds[0]), kit::Fd(fds[1])};
}

// A temporary file holding `content`, removed when the guard goes.
struct TempFile {
  std::string path;
  explicit TempFile(const std::string& content) {
    char name[] = "/tmp/kit-sender-XXXXXX";
    kit::Fd fd(::mkstemp(name));
    REQUIRE(fd.valid());
    path = name;
    REQUIRE(::write(fd.get(), content.data(), content.size()) ==
            static_cast<ssize_t>(content.size()));
  }
  ~TempFile() { ::unlink(path.c_str()); }
};

std::string drain(int fd) {
  std::string out;
  char buf[65536];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n <= 0) return out;
    out.append(buf, static_cast<size_t>(n));
  }
}

std::string pattern(size_t n) {
  std::string s(n, '\0');
  for (size_t i = 0; i < n; ++i)
    s[i] = static_cast<char>('a' + (i * 7 + i / 251) % 26);
  return s;
}

}  // namespace

TEST_CASE("head and memory body arrive in order", "[ch00][response_sender]") {
  auto [a, b] = nonblocking_pair(1 << 16);
  kit::http::Response r;
  r.head = "HTTP/1.1 404 Not Found\r\n\r\n";
  r.body = "gone";
  kit::http::ResponseSender s(std::move(r));
  CHECK(s.send(a.get()) == kit::IoStatus::kOk);
  CHECK_FALSE(s.active());
  CHECK(drain(b.get()) == "HTTP/1.1 404 Not Found\r\n\r\ngone");
}

TEST_CASE("a file larger than the socket buffer resumes where it stopped",
          "[ch00][response_sender]") {
  const std::string content = pattern(300 * 1024);
  TempFile file(content);
  auto [a, b] = nonblocking_pair(4096);
  kit::http::Response r;
  r.head = "HEAD\r\n\r\n";
  r.file = kit::http::FileBody{kit::Fd(::open(file.path.c_str(), O_RDONLY | O_CLOEXEC)), nullptr,
                               1000, content.size() - 2000};
  kit::http::ResponseSender s(std::move(r));
  std::string received;
  int rounds = 0;
  for (;;) {
    kit::IoStatus st = s.send(a.get());
    received += drain(b.get());
    if (st == kit::IoStatus::kOk) break;
    REQUIRE(st == kit::IoStatus::kAgain);
    REQUIRE(++rounds < 100000);
  }
  received += drain(b.get());
  CHECK(rounds > 0);  // it really had to resume
  CHECK(received == "HEAD\r\n\r\n" + content.substr(1000, content.size() - 2000));
  CHECK(s.bytes_sent() == received.size());
}

TEST_CASE("a file shorter than promised is an error, never a short success",
          "[ch00][response_sender]") {
  TempFile file("only ten b");
  auto [a, b] = nonblocking_pair(1 << 16);
  kit::http::Response r;
  r.head = "H\r\n\r\n";
  r.file = kit::http::FileBody{kit::Fd(::open(file.path.c_str(), O_RDONLY | O_CLOEXEC)), nullptr, 0,
                               100};
  kit::http::ResponseSender s(std::move(r));
  CHECK(s.send(a.get()) == kit::IoStatus::kError);
}

TEST_CASE("a closed peer is kClosed", "[ch00][response_sender]") {
  auto [a, b] = nonblocking_pair(1 << 16);
  b.reset();
  kit::http::Response r;
  r.head = "HTTP/1.1 200 OK\r\n\r\n";
  kit::http::ResponseSender s(std::move(r));
  CHECK(s.send(a.get()) == kit::IoStatus::kClosed);
}

// ---- chapter 12: sendfile(2), TCP_CORK, cached bodies ----

namespace {

// Sends until kOk or an error, draining the peer between calls; returns the last status.
kit::IoStatus send_all(kit::http::ResponseSender& s, int fd, int peer, std::string& received,
                       int& rounds) {
  for (;;) {
    const kit::IoStatus st = s.send(fd);
    received += drain(peer);
    if (st != kit::IoStatus::kAgain) return st;
    if (++rounds >= 100000) return st;
  }
}

kit::http::Response file_response(const TempFile& file, uint64_t offset, uint64_t length) {
  kit::http::Response r;
  r.head = "HTTP/1.1 200 OK\r\n\r\n";
  r.file = kit::http::FileBody{kit::Fd(::open(file.path.c_str(), O_RDONLY | O_CLOEXEC)), nullptr,
                               offset, length};
  return r;
}

}  // namespace

TEST_CASE("with sendfile a file range arrives whole, resuming after kAgain",
          "[ch12][response_sender]") {
  const bool nopush = GENERATE(false, true);  // TCP_CORK fails quietly on a Unix socket
  const std::string content = pattern(300 * 1024);
  TempFile file(content);
  struct Row {
    uint64_t offset, length;
  };
  const Row rows[] = {
      {0, content.size()},
      {1000, content.size() - 2000},
      {content.size() - 1, 1},
      {12345, 1},
  };
  for (const Row& row : rows) {
    INFO("offset " << row.offset << " length " << row.length << (nopush ? " tcp_nopush" : ""));
    auto [a, b] = nonblocking_pair(4096);
    kit::http::ResponseSender s;
    s.configure({true, nopush});
    s.start(file_response(file, row.offset, row.length));
    std::string received;
    int rounds = 0;
    CHECK(send_all(s, a.get(), b.get(), received, rounds) == kit::IoStatus::kOk);
    received += drain(b.get());
    if (row.length > 100000) CHECK(rounds > 0);  // it really had to resume
    CHECK(received == "HTTP/1.1 200 OK\r\n\r\n" + content.substr(row.offset, row.length));
    CHECK(s.bytes_sent() == received.size());
    CHECK_FALSE(s.active());
  }
}

TEST_CASE("a file shared with the open-file cache is sent through its fd",
          "[ch12][response_sender]") {
  const bool use_sendfile = GENERATE(false, true);
  INFO((use_sendfile ? "sendfile on" : "sendfile off"));
  const std::string content = pattern(50 * 1024);
  TempFile file(content);
  auto shared = std::make_shared<const kit::Fd>(::open(file.path.c_str(), O_RDONLY | O_CLOEXEC));
  auto [a, b] = nonblocking_pair(1 << 16);
  kit::http::Response r;
  r.head = "H\r\n\r\n";
  r.file = kit::http::FileBody{kit::Fd(), shared, 10, 20000};
  kit::http::ResponseSender s;
  s.configure({use_sendfile, false});
  s.start(std::move(r));
  std::string received;
  int rounds = 0;
  CHECK(send_all(s, a.get(), b.get(), received, rounds) == kit::IoStatus::kOk);
  CHECK(received == "H\r\n\r\n" + content.substr(10, 20000));
  s.clear();
  CHECK(shared.use_count() == 1);  // the sender let go of it
  CHECK(::fcntl(shared->get(), F_GETFD) != -1);
}

TEST_CASE("with sendfile a file shorter than promised is kError after the bytes it had",
          "[ch12][response_sender]") {
  TempFile file("only ten b");
  auto [a, b] = nonblocking_pair(1 << 16);
  kit::http::ResponseSender s;
  s.configure({true, false});
  s.start(file_response(file, 0, 100));
  std::string received;
  int rounds = 0;
  CHECK(send_all(s, a.get(), b.get(), received, rounds) == kit::IoStatus::kError);
  CHECK(received == "HTTP/1.1 200 OK\r\n\r\nonly ten b");
}

TEST_CASE("with sendfile a file truncated while sent stops at its new end",
          "[ch12][response_sender]") {
  const std::string head = "HTTP/1.1 200 OK\r\n\r\n";
  const std::string content = pattern(300 * 1024);
  constexpr size_t kKept = 100 * 1024;
  TempFile file(content);
  auto [a, b] = nonblocking_pair(4096);
  kit::http::ResponseSender s;
  s.configure({true, true});
  s.start(file_response(file, 0, content.size()));
  REQUIRE(s.send(a.get()) == kit::IoStatus::kAgain);
  std::string received = drain(b.get());
  REQUIRE(s.bytes_sent() < head.size() + kKept);  // the cut is still ahead
  REQUIRE(::truncate(file.path.c_str(), kKept) == 0);
  int rounds = 0;
  CHECK(send_all(s, a.get(), b.get(), received, rounds) == kit::IoStatus::kError);
  received += drain(b.get());
  // Exactly the bytes that existed: never more than Content-Length, never other bytes.
  CHECK(received.size() == head.size() + kKept);
  CHECK(received == head + content.substr(0, kKept));
  CHECK(s.bytes_sent() == received.size());
}

TEST_CASE("a cached body is sent after the head, whatever the file options",
          "[ch12][response_sender]") {
  const bool use_sendfile = GENERATE(false, true);
  const bool nopush = GENERATE(false, true);
  INFO("sendfile " << use_sendfile << " tcp_nopush " << nopush);
  const auto bytes = std::make_shared<const std::string>(pattern(5000));
  auto [a, b] = nonblocking_pair(1 << 16);
  kit::http::Response r;
  r.head = "HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n";
  r.cached_body = bytes;
  kit::http::ResponseSender s;
  s.configure({use_sendfile, nopush});
  s.start(std::move(r));
  CHECK(s.send(a.get()) == kit::IoStatus::kOk);
  CHECK(drain(b.get()) == "HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n" + *bytes);
  CHECK(bytes.use_count() == 2);  // shared with the response, not copied
}

TEST_CASE("a cached body resumes after kAgain", "[ch12][response_sender]") {
  const auto bytes = std::make_shared<const std::string>(pattern(200 * 1024));
  auto [a, b] = nonblocking_pair(4096);
  kit::http::Response r;
  r.head = "HEAD\r\n\r\n";
  r.cached_body = bytes;
  kit::http::ResponseSender s;
  s.configure({true, true});
  s.start(std::move(r));
  std::string received;
  int rounds = 0;
  CHECK(send_all(s, a.get(), b.get(), received, rounds) == kit::IoStatus::kOk);
  CHECK(rounds > 0);
  CHECK(received == "HEAD\r\n\r\n" + *bytes);
}

TEST_CASE("over TCP with tcp_nopush the cork is on while sending and off at the end",
          "[ch12][response_sender]") {
  // A listening socket on 127.0.0.1, an ephemeral port.
  kit::Fd listener(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  REQUIRE(listener.valid());
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::bind(listener.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  REQUIRE(::listen(listener.get(), 1) == 0);
  socklen_t len = sizeof addr;
  REQUIRE(::getsockname(listener.get(), reinterpret_cast<sockaddr*>(&addr), &len) == 0);
  kit::Fd client(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  const int small = 4096;  // a small window: the first send cannot take the whole file
  ::setsockopt(client.get(), SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
  REQUIRE(::connect(client.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  kit::Fd server(::accept4(listener.get(), nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC));
  REQUIRE(server.valid());
  ::setsockopt(server.get(), SOL_SOCKET, SO_SNDBUF, &small, sizeof small);
  const int one = 1;
  ::setsockopt(server.get(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);  // as accept sets it

  const auto cork = [&server] {
    int on = -1;
    socklen_t n = sizeof on;
    REQUIRE(::getsockopt(server.get(), IPPROTO_TCP, TCP_CORK, &on, &n) == 0);
    return on;
  };
  // Reads what has arrived, waiting up to `ms` for it; false if nothing came.
  const auto receive = [&client](std::string& out, int ms) {
    pollfd p{client.get(), POLLIN, 0};
    if (::poll(&p, 1, ms) != 1) return false;
    const size_t before = out.size();
    char buf[65536];
    ssize_t n;
    while ((n = ::recv(client.get(), buf, sizeof buf, MSG_DONTWAIT)) > 0)
      out.append(buf, static_cast<size_t>(n));
    return out.size() > before;
  };

  const std::string content = pattern(1024 * 1024 + 7);
  TempFile file(content);
  kit::http::ResponseSender s;
  s.configure({true, true});
  s.start(file_response(file, 0, content.size()));
  std::string received;
  kit::IoStatus st = s.send(server.get());
  REQUIRE(st == kit::IoStatus::kAgain);
  CHECK(cork() == 1);  // corked while the file is under way
  int rounds = 0;
  while (st == kit::IoStatus::kAgain && ++rounds < 100000) {
    receive(received, 1000);
    st = s.send(server.get());
  }
  REQUIRE(st == kit::IoStatus::kOk);
  CHECK(cork() == 0);  // released: the last partial segment leaves now
  const std::string expected = "HTTP/1.1 200 OK\r\n\r\n" + content;
  // Everything arrives; 2 s is a bound, not a measurement.
  while (received.size() < expected.size() && receive(received, 2000)) {
  }
  CHECK(received.size() == expected.size());
  CHECK(received == expected);

  // A memory-only answer on the same connection is never corked.
  const std::string not_modified = "HTTP/1.1 304 Not Modified\r\n\r\n";
  kit::http::Response small_answer;
  small_answer.head = not_modified;
  s.start(std::move(small_answer));
  CHECK(s.send(server.get()) == kit::IoStatus::kOk);
  CHECK(cork() == 0);
  std::string rest;
  while (rest.size() < not_modified.size() && receive(rest, 2000)) {
  }
  CHECK(rest == not_modified);
}
