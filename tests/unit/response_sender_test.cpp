// lib/http/response_sender.hpp: resumable sending of head, memory body and file range.
#include "http/response_sender.hpp"

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
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
  r.file = kit::http::FileBody{kit::Fd(::open(file.path.c_str(), O_RDONLY | O_CLOEXEC)), 1000,
                               content.size() - 2000};
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
  r.file = kit::http::FileBody{kit::Fd(::open(file.path.c_str(), O_RDONLY | O_CLOEXEC)), 0, 100};
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
