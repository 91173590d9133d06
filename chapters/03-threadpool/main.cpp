// Chapter 03 — a bounded thread pool.
//
// Chapter 02 made a thread per connection, so memory and scheduler load grew without limit.
// Here a fixed number of workers (--threads) serve connections taken from a bounded queue
// (--queue); the acceptor blocks when the queue is full, and further clients wait in the
// kernel's listen backlog. Resources are now bounded — but a worker is still held for the
// whole life of its connection, so N idle keep-alive clients occupy all N workers and a fresh
// client waits behind them: the queueing lesson. Chapter 04 stops tying a thread to a
// connection at all.
//
// New here: the worker pool. From lib/: everything chapter 00 used, and the bounded queue
// (sync/bounded_queue).
#include <thread>
#include <vector>

#include "blocking/blocking_connection.hpp"
#include "chapter/chapter_cli.hpp"
#include "core/log.hpp"
#include "net/acceptor.hpp"
#include "net/listener.hpp"
#include "static/static_file.hpp"
#include "sync/bounded_queue.hpp"

int main(int argc, char** argv) {
  kit::ChapterCli cli("ch03-threadpool",
                      "Chapter 03: a fixed pool of worker threads fed by a bounded queue of "
                      "accepted connections. Memory is bounded; N idle clients block N workers.");
  // Apache's worker MPM runs 25 threads per child by default (ThreadsPerChild); 8 keeps the
  // queueing lesson visible with a handful of idle clients.
  size_t threads = 8;
  // Connections accepted but not yet picked up by a worker. Past this the acceptor stops and
  // the kernel's listen backlog (511) queues the rest.
  size_t queue_capacity = 64;
  cli.add_option("--threads", threads, "worker threads", 1, 10000);
  cli.add_option("--queue", queue_capacity, "accepted connections waiting for a worker", 1, 100000);
  if (auto exit_code = cli.parse(argc, argv)) return *exit_code;

  return kit::run_guarded(cli.name(), [&]() -> int {
    const kit::ServerOptions& options = cli.options();
    const kit::http::StaticSite site(options.root);
    kit::Fd listener = kit::listen_tcp({.host = options.host, .port = options.port});

    // ---- lesson: a pool of workers and a bounded queue ----
    kit::BoundedQueue<kit::Fd> accepted(queue_capacity);
    std::vector<std::jthread> workers;
    workers.reserve(threads);
    for (size_t i = 0; i < threads; ++i) {
      // Each worker serves one connection at a time, start to finish, then takes the next.
      workers.emplace_back([&accepted, &site] {
        for (;;)
          kit::serve_connection(accepted.pop(), site);
      });
    }
    kit::log(kit::LogLevel::kNotice, "{} workers, queue of {}", threads, queue_capacity);
    kit::announce_listening(cli.name(), listener.get(), options);

    for (;;) {
      // push() blocks while the queue is full: back-pressure reaches the listen backlog.
      accepted.push(kit::accept_blocking(listener.get()));
    }
    // ---- end lesson ----
  });
}
