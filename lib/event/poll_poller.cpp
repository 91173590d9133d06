#include "event/poll_poller.hpp"

#include <cerrno>

#include "core/sys_error.hpp"

namespace kit {
namespace {

short to_poll_events(uint32_t interest) {
  short ev = 0;
  if (interest & kEventRead) ev |= POLLIN;
  if (interest & kEventWrite) ev |= POLLOUT;
  return ev;
}

}  // namespace

bool PollPoller::add(int fd, uint32_t interest, uint64_t token) {
  if (interest & (kEventEdge | kEventExclusive)) {
    errno = EINVAL;  // poll has no edge-triggered or exclusive mode
    return false;
  }
  if (fd < 0) {
    errno = EBADF;
    return false;
  }
  if (static_cast<size_t>(fd) >= position_.size())
    position_.resize(static_cast<size_t>(fd) + 1, -1);
  if (position_[fd] >= 0) return modify(fd, interest, token);
  position_[fd] = static_cast<int>(fds_.size());
  fds_.push_back({fd, to_poll_events(interest), 0});
  tokens_.push_back(token);
  return true;
}

bool PollPoller::modify(int fd, uint32_t interest, uint64_t token) {
  if (interest & (kEventEdge | kEventExclusive)) {
    errno = EINVAL;
    return false;
  }
  if (fd < 0 || static_cast<size_t>(fd) >= position_.size() || position_[fd] < 0) {
    errno = EBADF;
    return false;
  }
  const auto i = static_cast<size_t>(position_[fd]);
  fds_[i].events = to_poll_events(interest);
  tokens_[i] = token;
  return true;
}

void PollPoller::remove(int fd) {
  if (fd < 0 || static_cast<size_t>(fd) >= position_.size() || position_[fd] < 0) return;
  const auto i = static_cast<size_t>(position_[fd]);
  // Swap-remove: move the last entry into the hole so the array stays dense.
  fds_[i] = fds_.back();
  tokens_[i] = tokens_.back();
  position_[fds_[i].fd] = static_cast<int>(i);
  fds_.pop_back();
  tokens_.pop_back();
  position_[fd] = -1;
}

size_t PollPoller::wait(std::span<ReadyEvent> out, int timeout_ms) {
  const int n = ::poll(fds_.data(), fds_.size(), timeout_ms);
  if (n < 0) {
    if (errno == EINTR) return 0;
    throw_sys_error("poll()");
  }
  size_t filled = 0;
  // The O(n) part: the kernel filled revents somewhere in the array; we must look at all.
  for (size_t i = 0; i < fds_.size() && filled < out.size() && n > 0; ++i) {
    const short re = fds_[i].revents;
    if (re == 0) continue;
    uint32_t ev = 0;
    if (re & POLLIN) ev |= kEventRead;
    if (re & POLLOUT) ev |= kEventWrite;
    if (re & (POLLERR | POLLHUP | POLLNVAL)) ev |= kEventError;
    out[filled++] = {fds_[i].fd, ev, tokens_[i]};
  }
  return filled;
}

}  // namespace kit
