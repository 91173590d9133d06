#include "net/io.hpp"

#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

namespace kit {
namespace {

IoResult classify(ssize_t n, bool zero_is_close) {
  if (n > 0 || (n == 0 && !zero_is_close)) return {IoStatus::kOk, static_cast<size_t>(n), 0};
  if (n == 0) return {IoStatus::kClosed, 0, 0};
  const int err = errno;
  if (err == EAGAIN || err == EWOULDBLOCK) return {IoStatus::kAgain, 0, err};
  if (err == ECONNRESET || err == EPIPE) return {IoStatus::kClosed, 0, err};
  return {IoStatus::kError, 0, err};
}

}  // namespace

IoResult read_some(int fd, std::span<char> buf) {
  ssize_t n;
  do {
    n = ::read(fd, buf.data(), buf.size());
  } while (n < 0 && errno == EINTR);
  return classify(n, /*zero_is_close=*/!buf.empty());
}

IoResult write_some(int fd, std::span<const char> buf) {
  ssize_t n;
  do {
    n = ::send(fd, buf.data(), buf.size(), MSG_NOSIGNAL);
  } while (n < 0 && errno == EINTR);
  return classify(n, /*zero_is_close=*/false);
}

IoResult writev_some(int fd, std::span<const iovec> iov) {
  // sendmsg rather than writev: it takes MSG_NOSIGNAL, writev cannot.
  msghdr msg{};
  msg.msg_iov = const_cast<iovec*>(iov.data());
  msg.msg_iovlen = iov.size();
  ssize_t n;
  do {
    n = ::sendmsg(fd, &msg, MSG_NOSIGNAL);
  } while (n < 0 && errno == EINTR);
  return classify(n, /*zero_is_close=*/false);
}

IoResult write_all(int fd, std::span<const char> buf) {
  size_t done = 0;
  while (done < buf.size()) {
    IoResult r = write_some(fd, buf.subspan(done));
    if (r.status != IoStatus::kOk) return r;
    done += r.bytes;
  }
  return {IoStatus::kOk, done, 0};
}

}  // namespace kit
