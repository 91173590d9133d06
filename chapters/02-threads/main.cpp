// Chapter 02 — a thread per connection.
//
// Like chapter 01, but each connection gets a thread instead of a process: creating a thread
// is cheaper than fork(), and all threads share one address space (the StaticSite, its root
// fd, the code). What still grows with every connection is a stack, a kernel task the
// scheduler must juggle, and a thread blocked in read() for every idle keep-alive client.
// This is the Apache worker MPM's model (without its process layer).
//
// New here: threads, detached, with a small stack. From lib/: everything chapter 00 used.
#include <pthread.h>

#include <system_error>
#include <thread>

#include "blocking/blocking_connection.hpp"
#include "chapter/chapter_cli.hpp"
#include "core/log.hpp"
#include "core/sys_error.hpp"
#include "http/http_date.hpp"
#include "http/response_sender.hpp"
#include "net/acceptor.hpp"
#include "net/listener.hpp"
#include "static/static_file.hpp"

namespace {

// ---- lesson: small thread stacks ----
// glibc gives each thread an 8 MiB stack by default (ulimit -s). It is only reserved address
// space, touched pages are what cost RAM — but 8,000 connections would reserve 64 GiB, and the
// guard pages and mappings still cost the kernel. A connection thread here needs a few tens
// of KiB (the deepest frame holds a 16 KiB copy buffer), so 256 KiB leaves ample margin.
// pthread_setattr_default_np() makes std::thread use it too.
#if defined(__SANITIZE_THREAD__)
// ThreadSanitizer refuses thread stacks under 1 MiB (pthread_create fails with EINVAL): the
// tsan build of this chapter trades the memory lesson for the race check.
constexpr size_t kThreadStackSize = 1024 * 1024;
#else
constexpr size_t kThreadStackSize = 256 * 1024;
#endif

void use_small_thread_stacks() {
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  const int err = pthread_attr_setstacksize(&attr, kThreadStackSize);
  const int err2 = err != 0 ? err : pthread_setattr_default_np(&attr);
  pthread_attr_destroy(&attr);
  if (err2 != 0) kit::throw_sys_error("pthread_setattr_default_np(stacksize)", err2);
}
// ---- end lesson ----

// When no thread can be created (the process hit its thread or memory limit), the client
// gets a 503 instead of a silent close, and the server goes on with the threads it has.
void refuse_overloaded(kit::Fd client) {
  kit::http::DateCache dates;
  kit::http::ResponseSender sender(
      kit::http::error_response(503, /*keep_alive=*/false, dates.now()));
  static_cast<void>(sender.send(client.get()));
}

}  // namespace

int main(int argc, char** argv) {
  kit::ChapterCli cli("ch02-threads",
                      "Chapter 02: a thread per connection (256 KiB stacks). Cheaper than a "
                      "process, but every connection — idle ones too — still holds a thread.");
  if (auto exit_code = cli.parse(argc, argv)) return *exit_code;

  return kit::run_guarded(cli.name(), [&]() -> int {
    const kit::ServerOptions& options = cli.options();
    const kit::http::StaticSite site(options.root);
    kit::Fd listener = kit::listen_tcp({.host = options.host, .port = options.port});
    use_small_thread_stacks();
    kit::announce_listening(cli.name(), listener.get(), options);

    // ---- lesson: a thread per connection ----
    for (;;) {
      kit::Fd client = kit::accept_blocking(listener.get());
      try {
        // Detached: nobody joins a connection thread, it cleans up after itself when the
        // client leaves. It borrows `site`, which lives until the process exits.
        // Ownership of the fd passes to the thread only once the thread exists: if creating
        // it throws, `client` still owns the fd and can answer 503.
        std::thread([&site, fd = client.get()] {
          kit::serve_connection(kit::Fd(fd), site);
        }).detach();
        static_cast<void>(client.release());
      } catch (const std::system_error& e) {
        kit::log(kit::LogLevel::kAlert, "thread creation failed: {}", e.what());
        refuse_overloaded(std::move(client));
      }
    }
    // ---- end lesson ----
  });
}
