#include "event/epoll_poller.hpp"

#include <cerrno>

#include "core/sys_error.hpp"

namespace kit {

EpollPoller::EpollPoller() : epoll_fd_(::epoll_create1(EPOLL_CLOEXEC)) {
  if (!epoll_fd_) throw_sys_error("epoll_create1()");
}

bool EpollPoller::control(int op, int fd, uint32_t interest, uint64_t token) {
  epoll_event ev{};
  // EPOLLRDHUP: learn of a peer's half-close without another read (nginx sets it too). The
  // kernel refuses it beside EPOLLEXCLUSIVE, which only a listener gets.
  ev.events = (interest & kEventExclusive) ? EPOLLEXCLUSIVE : EPOLLRDHUP;
  if (interest & kEventRead) ev.events |= EPOLLIN;
  if (interest & kEventWrite) ev.events |= EPOLLOUT;
  if (interest & kEventEdge) ev.events |= EPOLLET;
  ev.data.u64 = token;
  return ::epoll_ctl(epoll_fd_.get(), op, fd, &ev) == 0;
}

bool EpollPoller::add(int fd, uint32_t interest, uint64_t token) {
  return control(EPOLL_CTL_ADD, fd, interest, token);
}

bool EpollPoller::modify(int fd, uint32_t interest, uint64_t token) {
  return control(EPOLL_CTL_MOD, fd, interest, token);
}

void EpollPoller::remove(int fd) {
  // Closing an fd removes it from epoll anyway (when no dup of it is left); removing first
  // keeps the rule "remove, then close" the same for every backend.
  ::epoll_ctl(epoll_fd_.get(), EPOLL_CTL_DEL, fd, nullptr);
}

size_t EpollPoller::wait(std::span<ReadyEvent> out, int timeout_ms) {
  if (events_.size() < out.size()) events_.resize(out.size());
  const int n =
      ::epoll_wait(epoll_fd_.get(), events_.data(), static_cast<int>(out.size()), timeout_ms);
  if (n < 0) {
    if (errno == EINTR) return 0;
    throw_sys_error("epoll_wait()");
  }
  for (int i = 0; i < n; ++i) {
    const epoll_event& e = events_[static_cast<size_t>(i)];
    uint32_t ev = 0;
    if (e.events & EPOLLIN) ev |= kEventRead;
    if (e.events & EPOLLOUT) ev |= kEventWrite;
    // A hang-up or error is delivered as readable too, so the owner's read() finds out what
    // happened (0 = peer closed, -1 = the error) — the way nginx treats EPOLLERR|EPOLLHUP.
    if (e.events & (EPOLLERR | EPOLLHUP | EPOLLRDHUP)) ev |= kEventError | kEventRead;
    out[static_cast<size_t>(i)] = {-1, ev, e.data.u64};
  }
  return static_cast<size_t>(n);
}

}  // namespace kit
