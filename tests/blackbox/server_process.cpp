#include "server_process.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <stdexcept>
#include <thread>

#include "core/sys_error.hpp"

namespace blackbox {
namespace {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

// How long a SIGTERMed server gets to exit before SIGKILL.
constexpr auto kStopGrace = 2s;

// The port in "<name>: listening on http://127.0.0.1:PORT/ root=DIR", or 0.
uint16_t parse_port(std::string_view line) {
  const size_t scheme = line.find("http://");
  if (scheme == std::string_view::npos) return 0;
  const size_t colon = line.find(':', scheme + 7);
  const size_t slash = line.find('/', scheme + 7);
  if (colon == std::string_view::npos || slash == std::string_view::npos || colon > slash) {
    return 0;
  }
  unsigned port = 0;
  auto [end, ec] = std::from_chars(line.data() + colon + 1, line.data() + slash, port);
  if (ec != std::errc() || end != line.data() + slash || port == 0 || port > 65535) return 0;
  return static_cast<uint16_t>(port);
}

}  // namespace

ServerProcess::ServerProcess(const ServerSpec& spec) {
  spawn(spec);
  try {
    ready_line_ = read_ready_line(spec);
  } catch (...) {
    stop();
    throw;
  }
}

ServerProcess::~ServerProcess() {
  stop();
}

void ServerProcess::spawn(const ServerSpec& spec) {
  int out[2];
  if (::pipe2(out, O_CLOEXEC) != 0) kit::throw_sys_error("pipe2()");
  kit::Fd out_read(out[0]), out_write(out[1]);
  stderr_ = kit::Fd(::memfd_create("server-stderr", MFD_CLOEXEC));
  if (!stderr_) kit::throw_sys_error("memfd_create()");

  // argv is built before fork(): between fork and exec only async-signal-safe calls.
  std::string exe = spec.executable.string();
  std::vector<std::string> args = spec.args;
  std::vector<char*> argv;
  argv.push_back(exe.data());
  for (std::string& a : args)
    argv.push_back(a.data());
  argv.push_back(nullptr);

  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid < 0) kit::throw_sys_error("fork()");
  if (pid == 0) {
    // Own process group, so stop() reaches the server's own children (chapter 01) too;
    // SIGKILL if the test binary dies without running destructors.
    ::setpgid(0, 0);
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(127);
    ::dup2(out_write.get(), STDOUT_FILENO);
    ::dup2(stderr_.get(), STDERR_FILENO);
    ::close_range(3, ~0U, 0);  // the server must not inherit other tests' sockets
    ::execv(argv[0], argv.data());
    const char msg[] = "blackbox: execv() of the server failed\n";
    static_cast<void>(::write(STDERR_FILENO, msg, sizeof msg - 1));
    ::_exit(127);
  }
  ::setpgid(pid, pid);  // also from the parent: no race with an early kill(-pid)
  pid_ = pid;
  stdout_ = std::move(out_read);
}

std::string ServerProcess::read_ready_line(const ServerSpec& spec) {
  const auto deadline = Clock::now() + spec.ready_timeout;
  std::string line;
  for (;;) {
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now());
    pollfd p{.fd = stdout_.get(), .events = POLLIN, .revents = 0};
    const int n = left.count() > 0 ? ::poll(&p, 1, static_cast<int>(left.count())) : 0;
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      throw std::runtime_error(fmt::format("{} printed no ready line within {} ms; stderr:\n{}",
                                           spec.name, spec.ready_timeout.count(), stderr_text()));
    }
    char c = 0;
    const ssize_t got = ::read(stdout_.get(), &c, 1);  // one byte: the line is short
    if (got <= 0) {
      if (got < 0 && errno == EINTR) continue;
      std::this_thread::sleep_for(50ms);  // let it finish exiting so the status is known
      static_cast<void>(alive());
      throw std::runtime_error(fmt::format("{} exited before it was ready ({}); stderr:\n{}",
                                           spec.name, exit_description_, stderr_text()));
    }
    if (c == '\n') break;
    line.push_back(c);
  }
  port_ = parse_port(line);
  if (port_ == 0 || line.find(": listening on http://") == std::string::npos) {
    throw std::runtime_error(fmt::format("{}: unexpected ready line \"{}\"", spec.name, line));
  }
  return line;
}

bool ServerProcess::alive() {
  if (pid_ < 0) return false;
  int status = 0;
  const pid_t r = ::waitpid(pid_, &status, WNOHANG);
  if (r == 0) return true;
  if (r == pid_) note_exit(status);
  if (r < 0) exit_description_ = "lost (waitpid failed)";
  pid_ = -1;
  return false;
}

void ServerProcess::note_exit(int wait_status) {
  if (WIFEXITED(wait_status)) {
    exit_description_ = fmt::format("exited with status {}", WEXITSTATUS(wait_status));
  } else if (WIFSIGNALED(wait_status)) {
    exit_description_ = fmt::format("killed by signal {}", WTERMSIG(wait_status));
  }
}

std::string ServerProcess::stderr_text() const {
  std::string text;
  char buf[4096];
  off_t offset = 0;
  for (;;) {
    const ssize_t n = ::pread(stderr_.get(), buf, sizeof buf, offset);
    if (n <= 0) break;
    text.append(buf, static_cast<size_t>(n));
    offset += n;
  }
  return text;
}

void ServerProcess::stop() noexcept {
  if (pid_ < 0) return;
  const pid_t group = pid_;
  ::kill(-group, SIGTERM);
  const auto deadline = Clock::now() + kStopGrace;
  while (alive() && Clock::now() < deadline)
    std::this_thread::sleep_for(5ms);
  if (pid_ > 0) {
    ::kill(-group, SIGKILL);
    int status = 0;
    while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
    note_exit(status);
    pid_ = -1;
  }
  // Children the leader left behind (chapter 01's per-connection processes) share its group.
  ::kill(-group, SIGKILL);
}

}  // namespace blackbox
