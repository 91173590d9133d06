// Opening the listening socket: socket → SO_REUSEADDR → bind → listen, each failure thrown as
// a std::system_error naming the call and the address. Port 0 asks the kernel for a free
// port; local_port() reads back which (the tests rely on it so parallel runs never collide).
// nginx counterpart: ngx_open_listening_sockets(). Introduced in chapter 00.
// Alternative not taken: getaddrinfo and IPv6 — the kit listens on IPv4 literals only.
#pragma once

#include <cstdint>
#include <string>

#include "core/fd.hpp"

namespace kit {

struct ListenOptions {
  std::string host = "127.0.0.1";  // an IPv4 literal; "0.0.0.0" for all interfaces
  uint16_t port = 8080;            // 0: let the kernel choose
  // nginx's default `listen ... backlog=511` (NGX_LISTEN_BACKLOG): 511 rather than 512
  // because some kernels round backlog+1 up to a power of two.
  int backlog = 511;
  bool nonblocking = false;  // event-driven chapters (04+) need a non-blocking listener
  bool reuseport = false;    // SO_REUSEPORT, chapter 11
};

Fd listen_tcp(const ListenOptions& options);

// The port a bound socket ended up on.
uint16_t local_port(int fd);

}  // namespace kit
