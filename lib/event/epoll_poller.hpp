// EpollPoller: the Poller interface over epoll(7), Linux only. The interest list lives in the
// kernel (epoll_ctl once per change, not per wait), and epoll_wait returns only the ready fds:
// the cost of a wake-up is proportional to what is ready, not to what is watched — the C10K
// answer. Level-triggered by default (chapter 06); an fd added with kEventEdge gets EPOLLET
// (chapter 07): reported once per new arrival, so its owner must read or write until EAGAIN.
// Owns the epoll fd. nginx counterpart: ngx_epoll_module.c (ngx_epoll_add_event,
// ngx_epoll_process_events; nginx uses EPOLLET for connections, level for listeners). Introduced in
// chapter 06.
#pragma once

#include <sys/epoll.h>

#include <vector>

#include "core/fd.hpp"
#include "event/poller.hpp"

namespace kit {

class EpollPoller final : public Poller {
 public:
  EpollPoller();
  bool add(int fd, uint32_t interest, uint64_t token) override;
  bool modify(int fd, uint32_t interest, uint64_t token) override;
  void remove(int fd) override;
  size_t wait(std::span<ReadyEvent> out, int timeout_ms) override;
  std::string_view name() const override { return "epoll"; }

 private:
  bool control(int op, int fd, uint32_t interest, uint64_t token);

  Fd epoll_fd_;
  std::vector<epoll_event> events_;
};

}  // namespace kit
