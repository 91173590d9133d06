// lib/sync/accept_mutex.hpp: the try-only lock word the workers share, its owner's pid, and
// the master's force_unlock for a worker that died holding it — within one process, and
// across fork() through shared memory as the workers use it.
#include "sync/accept_mutex.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include "process/shared_memory.hpp"

TEST_CASE("try_lock succeeds for one pid at a time, the holder may try again", "[ch11]") {
  kit::AcceptMutex m;
  CHECK(m.owner() == 0);
  CHECK(m.try_lock(101));
  CHECK(m.owner() == 101);
  CHECK_FALSE(m.try_lock(102));
  CHECK(m.try_lock(101));  // still its own
  m.unlock(102);           // not the holder: nothing happens
  CHECK(m.owner() == 101);
  m.unlock(101);
  CHECK(m.owner() == 0);
  CHECK(m.try_lock(102));
}

TEST_CASE("force_unlock frees the lock only in the name of its holder", "[ch11]") {
  kit::AcceptMutex m;
  CHECK_FALSE(m.force_unlock(101));  // free: nothing to do
  REQUIRE(m.try_lock(101));
  CHECK_FALSE(m.force_unlock(102));
  CHECK(m.owner() == 101);
  CHECK(m.force_unlock(101));
  CHECK(m.owner() == 0);
}

TEST_CASE("a child that exits holding the lock in shared memory blocks it until forced", "[ch11]") {
  kit::SharedObject<kit::AcceptMutex> shared;
  const pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) std::_Exit(shared.get().try_lock(::getpid()) ? 0 : 1);
  int status = 0;
  REQUIRE(::waitpid(child, &status, 0) == child);
  REQUIRE(WIFEXITED(status));
  REQUIRE(WEXITSTATUS(status) == 0);
  CHECK(shared.get().owner() == child);  // the parent sees the child's lock
  CHECK_FALSE(shared.get().try_lock(::getpid()));
  CHECK(shared.get().force_unlock(child));  // what the master does when it reaps the child
  CHECK(shared.get().try_lock(::getpid()));
}
