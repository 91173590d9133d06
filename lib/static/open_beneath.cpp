#include "static/open_beneath.hpp"

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>

namespace kit::http {

// RESOLVE_BENEATH makes the kernel refuse any resolution that leaves the directory — through
// "..", an absolute symlink or a symlink to "../.." — with EXDEV; the lexical normalisation
// (uri_path.hpp) already removed "..", this closes the symlink hole. O_NONBLOCK: opening a
// FIFO someone left in the root must not block the server (it is refused as non-regular right
// after). nginx has the same idea as the `disable_symlinks` directive (off by default there).
int open_beneath(int dir_fd, const char* relative) {
  open_how how{};
  how.flags = O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY;
  how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;
  const char* path = *relative == '\0' ? "." : relative;
  long fd = syscall(SYS_openat2, dir_fd, path, &how, sizeof how);
  if (fd < 0 && errno == ENOSYS) {
    // Kernel older than 5.6: no openat2. Fall back to openat; ".." cannot appear (the path
    // is normalised), but symlinks inside the root are then followed wherever they point.
    fd = ::openat(dir_fd, path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
  }
  return static_cast<int>(fd);
}

int status_for_open_error(int err) {
  switch (err) {
    case ENOENT:
    case ENOTDIR:
    case ENAMETOOLONG:
      return 404;
    case EACCES:
    case EPERM:
    case EXDEV:  // the path would leave the root
    case ELOOP:  // too many symlinks, or a magic link
    case ENXIO:  // a socket file
      return 403;
    case EMFILE:
    case ENFILE:
      return 503;  // out of descriptors: the client may retry later
    default:
      return 500;
  }
}

}  // namespace kit::http
