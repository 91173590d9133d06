// Poller: the one readiness interface every event-driven chapter uses — add / modify /
// remove / wait — with one file per backend (select_poller, poll_poller, epoll_poller), so
// switching backend is one flag (--poller) and a future kqueue backend is one more file.
// Each watched fd carries a 64-bit token chosen by the caller (a connection-table index plus a
// generation, see connection_table.hpp) that wait() hands back with its readiness.
// nginx counterpart: ngx_event_actions_t (add, del, enable, disable, process_events) filled in
// by ngx_select_module / ngx_poll_module / ngx_epoll_module; muduo's Poller/EPollPoller; redis
// ae.c's ae_select.c / ae_epoll.c. Introduced in chapter 06 (chapters 04 and 05 write their
// select and poll loops out on the page; this is where those loops went afterwards).
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string_view>

namespace kit {

// Readiness bits, both for interest (add/modify) and for results (wait).
enum EventBits : uint32_t {
  kEventRead = 1u << 0,
  kEventWrite = 1u << 1,
  kEventError = 1u << 2,  // results only: error or hang-up; the owner should read to learn which
  // Interest only, epoll only: edge-triggered for this fd (EPOLLET, chapter 07) — reported once
  // per new arrival, so the owner must read or write until EAGAIN. Per fd, not per poller,
  // because listeners stay level-triggered as in nginx (one accept per wake-up is then safe).
  // select and poll cannot do it: their add()/modify() refuse it with EINVAL.
  kEventEdge = 1u << 3,
  // Interest only, epoll only, add() only: EPOLLEXCLUSIVE (chapter 11). When several epoll sets
  // of several processes watch one listening socket, a new connection wakes one of the
  // waiters instead of all of them (the thundering herd). select and poll refuse it (EINVAL).
  kEventExclusive = 1u << 4,
};

struct ReadyEvent {
  int fd = -1;  // filled by select and poll; epoll returns only the token, so callers use that
  uint32_t events = 0;  // EventBits
  uint64_t token = 0;
};

// Owns the kernel object behind the backend (the epoll fd), borrows the watched fds.
class Poller {
 public:
  virtual ~Poller() = default;

  // false (with errno set) when this fd cannot be watched, e.g. select's FD_SETSIZE wall or
  // epoll_ctl's ENOMEM/ENOSPC — the caller closes the connection cleanly.
  [[nodiscard]] virtual bool add(int fd, uint32_t interest, uint64_t token) = 0;
  [[nodiscard]] virtual bool modify(int fd, uint32_t interest, uint64_t token) = 0;
  // Call before closing the fd (epoll forgets closed fds itself; select and poll do not).
  virtual void remove(int fd) = 0;

  // Waits up to timeout_ms (-1: forever) and fills `out`; returns how many. EINTR → 0.
  virtual size_t wait(std::span<ReadyEvent> out, int timeout_ms) = 0;

  [[nodiscard]] virtual std::string_view name() const = 0;
};

// "select", "poll" or "epoll".
// Throws std::invalid_argument for an unknown name, std::system_error if creation fails.
std::unique_ptr<Poller> make_poller(std::string_view name);

}  // namespace kit
