// Fd: the one owner of a file descriptor.
// Invariant: fd_ is -1 or an open descriptor that nobody else closes; moving transfers the
// duty to close. nginx counterpart: none as a type — nginx closes by hand in
// ngx_close_connection(); here the destructor does it, so an early return or an exception
// cannot leak a socket. Introduced in chapter 00. Alternative not taken: shared ownership
// (shared_ptr<int>), which hides who closes and when.
#pragma once

#include <unistd.h>

#include <utility>

namespace kit {

class Fd {
 public:
  Fd() noexcept = default;
  explicit Fd(int fd) noexcept : fd_(fd) {}
  Fd(Fd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  Fd& operator=(Fd&& other) noexcept {
    if (this != &other) reset(std::exchange(other.fd_, -1));
    return *this;
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() { reset(); }

  [[nodiscard]] int get() const noexcept { return fd_; }
  [[nodiscard]] bool valid() const noexcept { return fd_ >= 0; }
  explicit operator bool() const noexcept { return valid(); }

  // Gives up ownership without closing (e.g. handing the fd to a child after fork).
  [[nodiscard]] int release() noexcept { return std::exchange(fd_, -1); }

  // Closes the current descriptor (if any) and owns `fd` instead. close() errors are
  // ignored on purpose: after close() the descriptor is gone whatever it returned
  // (retrying on EINTR could close a descriptor another thread just opened).
  void reset(int fd = -1) noexcept {
    if (fd_ >= 0) ::close(fd_);
    fd_ = fd;
  }

 private:
  int fd_ = -1;
};

}  // namespace kit
