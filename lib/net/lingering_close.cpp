#include "net/lingering_close.hpp"

#include <sys/socket.h>

#include <array>
#include <chrono>

#include "net/io.hpp"
#include "net/socket_options.hpp"

namespace kit {
namespace {

// Bounds on how long a misbehaving client can keep us lingering (see the header).
constexpr std::chrono::milliseconds kLingerReadTimeout{2000};
constexpr size_t kLingerMaxBytes = 64 * 1024;

}  // namespace

void lingering_close_blocking(Fd fd) {
  if (::shutdown(fd.get(), SHUT_WR) != 0) return;  // peer already gone: just close
  try {
    set_receive_timeout(fd.get(), kLingerReadTimeout);
  } catch (const std::system_error&) {
    return;
  }
  std::array<char, 4096> sink;
  size_t discarded = 0;
  while (discarded < kLingerMaxBytes) {
    IoResult r = read_some(fd.get(), sink);
    if (r.status != IoStatus::kOk) break;  // EOF, timeout or error: done either way
    discarded += r.bytes;
  }
}

}  // namespace kit

namespace kit {

void close_discarding_input(Fd fd) {
  if (::shutdown(fd.get(), SHUT_WR) != 0) return;
  std::array<char, 4096> sink;
  size_t discarded = 0;
  while (discarded < kLingerMaxBytes) {
    IoResult r = read_some(fd.get(), sink);
    if (r.status != IoStatus::kOk) break;  // EAGAIN: nothing more has arrived yet
    discarded += r.bytes;
  }
}

}  // namespace kit
