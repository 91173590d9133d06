// tcp_congestion: an LD_PRELOAD library that gives every listening socket of a server the TCP
// congestion control named by $KIT_TCP_CONGESTION (bench/ladder: cubic, Linux's default), so
// the bench measures the servers, not the machine's choice of algorithm. Accepted connections
// inherit a listener's algorithm when it was set with setsockopt (tcp_ca_openreq_child), so
// one call per listen() covers them all, at no cost per connection.
// Why: the kit's lab VMs default to BBR (net.ipv4.tcp_congestion_control = bbr). BBR paces
// every connection with a timer, and on loopback the pacing bounds a large response's
// throughput whatever the server does: chapter 12 served the 1 MiB file at the same rate with
// and without sendfile under BBR (1.02x), 3.9x faster with sendfile under cubic. Like pinning
// CPUs, the ladder applies it to every server alike, nginx included. Unset or empty: the
// machine's default stays. Best effort: an unknown name leaves the default, never a failure.
#include <dlfcn.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <cstdlib>
#include <cstring>

extern "C" int listen(int fd, int backlog) {
  using Listen = int (*)(int, int);
  static const auto real = reinterpret_cast<Listen>(::dlsym(RTLD_NEXT, "listen"));
  const char* name = std::getenv("KIT_TCP_CONGESTION");
  if (name != nullptr && *name != '\0') {
    static_cast<void>(::setsockopt(fd, IPPROTO_TCP, TCP_CONGESTION, name,
                                   static_cast<socklen_t>(std::strlen(name))));
  }
  return real(fd, backlog);
}
