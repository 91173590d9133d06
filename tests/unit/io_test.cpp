// lib/net/io.hpp: errno classified once into Ok / Again / Closed / Error.
#include "net/io.hpp"

#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <catch2/catch.hpp>
#include <string>
#include <string_view>

#include "core/fd.hpp"
#include "net/socket_options.hpp"

namespace {

struct SocketPair {
  kit::Fd a, b;
};

SocketPair make_pair(bool nonblocking) {
  int fds[2];
  const int type = SOCK_STREAM | SOCK_CLOEXEC | (nonblocking ? SOCK_NONBLOCK : 0);
  REQUIRE(::socketpair(AF_UNIX, type, 0, fds) == 0);
  return {kit::Fd(fds[0]), kit::Fd(fds[1])};
}

}  // namespace

TEST_CASE("read_some returns the bytes written by the peer", "[ch00][io]") {
  auto [a, b] = make_pair(false);
  std::string_view msg = "GET / HTTP/1.1\r\n";
  REQUIRE(kit::write_all(a.get(), msg).status == kit::IoStatus::kOk);
  std::array<char, 64> buf{};
  kit::IoResult r = kit::read_some(b.get(), buf);
  REQUIRE(r.status == kit::IoStatus::kOk);
  CHECK(std::string_view(buf.data(), r.bytes) == msg);
}

TEST_CASE("read_some reports an orderly close as kClosed", "[ch00][io]") {
  auto [a, b] = make_pair(false);
  a.reset();
  std::array<char, 16> buf{};
  CHECK(kit::read_some(b.get(), buf).status == kit::IoStatus::kClosed);
}

TEST_CASE("read_some on an empty non-blocking socket is kAgain", "[ch04][io]") {
  auto [a, b] = make_pair(true);
  std::array<char, 16> buf{};
  CHECK(kit::read_some(b.get(), buf).status == kit::IoStatus::kAgain);
}

TEST_CASE("a receive timeout surfaces as kAgain on a blocking socket", "[ch00][io]") {
  auto [a, b] = make_pair(false);
  kit::set_receive_timeout(b.get(), std::chrono::milliseconds(20));
  std::array<char, 16> buf{};
  CHECK(kit::read_some(b.get(), buf).status == kit::IoStatus::kAgain);
}

TEST_CASE("writing to a closed peer is kClosed, never SIGPIPE", "[ch00][io]") {
  auto [a, b] = make_pair(false);
  b.reset();
  std::string_view msg = "x";
  CHECK(kit::write_some(a.get(), msg).status == kit::IoStatus::kClosed);
  iovec iov{const_cast<char*>(msg.data()), msg.size()};
  CHECK(kit::writev_some(a.get(), std::span<const iovec>(&iov, 1)).status ==
        kit::IoStatus::kClosed);
}

TEST_CASE("writev_some sends several buffers in order", "[ch00][io]") {
  auto [a, b] = make_pair(false);
  std::string head = "HEAD", body = "BODY";
  std::array<iovec, 2> iov{iovec{head.data(), head.size()}, iovec{body.data(), body.size()}};
  kit::IoResult w = kit::writev_some(a.get(), iov);
  REQUIRE(w.status == kit::IoStatus::kOk);
  CHECK(w.bytes == 8);
  std::array<char, 16> buf{};
  kit::IoResult r = kit::read_some(b.get(), buf);
  CHECK(std::string_view(buf.data(), r.bytes) == "HEADBODY");
}

TEST_CASE("a bad descriptor is kError with its errno", "[ch00][io]") {
  std::array<char, 4> buf{};
  kit::IoResult r = kit::read_some(-1, buf);
  CHECK(r.status == kit::IoStatus::kError);
  CHECK(r.err == EBADF);
}
