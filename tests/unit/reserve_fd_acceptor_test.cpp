// lib/net/reserve_fd_acceptor.hpp: out of descriptors, the pending client is closed, not left
// hanging, and the listener stops being readable (no busy loop).
#include "net/reserve_fd_acceptor.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <vector>

#include "core/fd.hpp"
#include "net/listener.hpp"

namespace {

kit::Fd connect_to(uint16_t port) {
  kit::Fd fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) return {};
  return fd;
}

// Runs in a child process (it lowers RLIMIT_NOFILE and fills the table); the exit code says
// which step failed, 0 when all held.
int exhaust_and_accept() {
  kit::Fd listener = kit::listen_tcp({.host = "127.0.0.1", .port = 0, .nonblocking = true});
  const uint16_t port = kit::local_port(listener.get());
  kit::Fd client = connect_to(port);  // opened before the limit, so it exists
  if (!client) return 10;
  kit::ReserveFdAcceptor acceptor;
  rlimit lim{};
  ::getrlimit(RLIMIT_NOFILE, &lim);
  lim.rlim_cur = 64;
  if (::setrlimit(RLIMIT_NOFILE, &lim) != 0) return 11;
  std::vector<kit::Fd> filler;
  for (;;) {
    kit::Fd f(::dup(0));
    if (!f) break;
    filler.push_back(std::move(f));
  }
  kit::Fd accepted = acceptor.accept_next(listener.get());
  if (accepted) return 12;  // there was no fd for it: it must not have been "accepted"
  pollfd p{listener.get(), POLLIN, 0};
  if (::poll(&p, 1, 0) != 0) return 13;  // still readable: a level-triggered loop would spin
  char c;
  if (::recv(client.get(), &c, 1, 0) != 0) return 14;  // the client must see EOF, not a hang
  return 0;
}

}  // namespace

TEST_CASE("out of fds, the pending connection is closed and the listener drained",
          "[ch04][reserve_fd_acceptor]") {
  const pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) ::_exit(exhaust_and_accept());
  int status = 0;
  REQUIRE(::waitpid(pid, &status, 0) == pid);
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
}

TEST_CASE("accept_next returns connections and nothing when none is pending",
          "[ch04][reserve_fd_acceptor]") {
  kit::Fd listener = kit::listen_tcp({.host = "127.0.0.1", .port = 0, .nonblocking = true});
  kit::ReserveFdAcceptor acceptor;
  CHECK_FALSE(acceptor.accept_next(listener.get()).valid());
  kit::Fd client = connect_to(kit::local_port(listener.get()));
  REQUIRE(client.valid());
  CHECK(acceptor.accept_next(listener.get()).valid());
}
