#include "event/select_poller.hpp"

#include <cerrno>

#include "core/sys_error.hpp"

namespace kit {

SelectPoller::SelectPoller() : tokens_(FD_SETSIZE), watched_(FD_SETSIZE) {
  FD_ZERO(&read_set_);
  FD_ZERO(&write_set_);
}

bool SelectPoller::add(int fd, uint32_t interest, uint64_t token) {
  if (interest & (kEventEdge | kEventExclusive)) {
    errno = EINVAL;  // select has no edge-triggered or exclusive mode
    return false;
  }
  if (fd < 0 || fd >= FD_SETSIZE) {
    errno = EMFILE;  // the closest errno to "beyond what select can watch"
    return false;
  }
  watched_[fd] = true;
  if (fd > max_fd_) max_fd_ = fd;
  return modify(fd, interest, token);
}

bool SelectPoller::modify(int fd, uint32_t interest, uint64_t token) {
  if (interest & (kEventEdge | kEventExclusive)) {
    errno = EINVAL;
    return false;
  }
  if (fd < 0 || fd >= FD_SETSIZE || !watched_[fd]) {
    errno = EBADF;
    return false;
  }
  tokens_[fd] = token;
  if (interest & kEventRead)
    FD_SET(fd, &read_set_);
  else
    FD_CLR(fd, &read_set_);
  if (interest & kEventWrite)
    FD_SET(fd, &write_set_);
  else
    FD_CLR(fd, &write_set_);
  return true;
}

void SelectPoller::remove(int fd) {
  if (fd < 0 || fd >= FD_SETSIZE || !watched_[fd]) return;
  FD_CLR(fd, &read_set_);
  FD_CLR(fd, &write_set_);
  watched_[fd] = false;
  while (max_fd_ >= 0 && !watched_[max_fd_])
    --max_fd_;
}

size_t SelectPoller::wait(std::span<ReadyEvent> out, int timeout_ms) {
  fd_set readable = read_set_;
  fd_set writable = write_set_;
  timeval tv{timeout_ms / 1000, (timeout_ms % 1000) * 1000};
  const int n =
      ::select(max_fd_ + 1, &readable, &writable, nullptr, timeout_ms < 0 ? nullptr : &tv);
  if (n < 0) {
    if (errno == EINTR) return 0;
    throw_sys_error("select()");
  }
  size_t filled = 0;
  // The O(n) part: every watched fd is checked, ready or not.
  for (int fd = 0; fd <= max_fd_ && filled < out.size(); ++fd) {
    uint32_t ev = 0;
    if (FD_ISSET(fd, &readable)) ev |= kEventRead;
    if (FD_ISSET(fd, &writable)) ev |= kEventWrite;
    if (ev != 0) out[filled++] = {fd, ev, tokens_[fd]};
  }
  return filled;
}

}  // namespace kit
