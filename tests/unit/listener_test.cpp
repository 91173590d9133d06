// lib/net/listener.hpp and lib/net/acceptor.hpp: port 0, read-back, accept4 classification.
#include "net/listener.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <catch2/catch.hpp>
#include <stdexcept>
#include <system_error>

#include "core/fd.hpp"
#include "net/acceptor.hpp"

namespace {

kit::Fd connect_to(uint16_t port) {
  kit::Fd fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::connect(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  return fd;
}

}  // namespace

TEST_CASE("port 0 binds a free port that local_port reads back", "[ch00][listener]") {
  kit::Fd l = kit::listen_tcp({.host = "127.0.0.1", .port = 0});
  CHECK(kit::local_port(l.get()) != 0);
}

TEST_CASE("binding a port already in use throws naming bind and the address", "[ch00][listener]") {
  kit::Fd first = kit::listen_tcp({.host = "127.0.0.1", .port = 0});
  const uint16_t port = kit::local_port(first.get());
  try {
    kit::Fd second = kit::listen_tcp({.host = "127.0.0.1", .port = port});
    FAIL("second bind succeeded");
  } catch (const std::system_error& e) {
    CHECK(e.code().value() == EADDRINUSE);
    CHECK_THAT(e.what(), Catch::Contains("bind(127.0.0.1:") && Catch::Contains("in use"));
  }
}

TEST_CASE("a host that is not an IPv4 literal is a clear error", "[ch00][listener]") {
  CHECK_THROWS_AS(kit::listen_tcp({.host = "localhost", .port = 0}), std::invalid_argument);
}

TEST_CASE("accept_connection classifies an empty non-blocking queue as kAgain",
          "[ch04][acceptor]") {
  kit::Fd l = kit::listen_tcp({.host = "127.0.0.1", .port = 0, .nonblocking = true});
  kit::Accepted a = kit::accept_connection(l.get(), true);
  CHECK(a.status == kit::AcceptStatus::kAgain);
  CHECK_FALSE(a.fd.valid());
}

TEST_CASE("accept_blocking returns a pending connection", "[ch00][acceptor]") {
  kit::Fd l = kit::listen_tcp({.host = "127.0.0.1", .port = 0});
  kit::Fd client = connect_to(kit::local_port(l.get()));
  kit::Fd server_side = kit::accept_blocking(l.get());
  CHECK(server_side.valid());
}

TEST_CASE("accept_blocking throws on a broken listener", "[ch00][acceptor]") {
  kit::Fd not_listening(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  CHECK_THROWS_AS(kit::accept_blocking(not_listening.get()), std::system_error);
}
