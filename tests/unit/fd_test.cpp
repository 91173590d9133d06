// lib/core/fd.hpp: exactly one owner closes each descriptor.
#include "core/fd.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <catch2/catch.hpp>

namespace {

bool is_open(int fd) {
  return ::fcntl(fd, F_GETFD) != -1;
}

kit::Fd open_devnull() {
  return kit::Fd(::open("/dev/null", O_RDONLY | O_CLOEXEC));
}

}  // namespace

TEST_CASE("Fd closes its descriptor when destroyed", "[ch00][fd]") {
  int raw = -1;
  {
    kit::Fd fd = open_devnull();
    raw = fd.get();
    REQUIRE(fd.valid());
    REQUIRE(is_open(raw));
  }
  CHECK_FALSE(is_open(raw));
}

TEST_CASE("Fd move transfers the duty to close", "[ch00][fd]") {
  kit::Fd a = open_devnull();
  const int raw = a.get();
  kit::Fd b = std::move(a);
  CHECK_FALSE(a.valid());  // NOLINT(bugprone-use-after-move): checking the moved-from state
  CHECK(b.get() == raw);
  kit::Fd c;
  c = std::move(b);
  CHECK(c.get() == raw);
  CHECK(is_open(raw));
}

TEST_CASE("Fd move-assignment closes the descriptor it held", "[ch00][fd]") {
  kit::Fd a = open_devnull();
  kit::Fd b = open_devnull();
  const int old_b = b.get();
  b = std::move(a);
  CHECK_FALSE(is_open(old_b));
  CHECK(b.valid());
}

TEST_CASE("Fd release gives up ownership without closing", "[ch00][fd]") {
  kit::Fd a = open_devnull();
  const int raw = a.release();
  CHECK_FALSE(a.valid());
  CHECK(is_open(raw));
  kit::Fd again(raw);  // re-owned so the test does not leak it
}

TEST_CASE("Fd reset closes the old descriptor and owns the new one", "[ch00][fd]") {
  kit::Fd a = open_devnull();
  const int first = a.get();
  const int second = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  a.reset(second);
  CHECK_FALSE(is_open(first));
  CHECK(a.get() == second);
  a.reset();
  CHECK_FALSE(a.valid());
  CHECK_FALSE(is_open(second));
}
