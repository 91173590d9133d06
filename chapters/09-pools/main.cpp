// Chapter 09 — memory pools: one allocation per request instead of eight, freed in one go.
//
// Chapter 08 allocates each piece of a request on the heap as it goes — the read buffer, the
// parser's field table, the header list, the normalised path, the response head, the file
// copy buffer — and frees each one again: about eight malloc/free pairs per keep-alive
// request, spread over the heap. Here a connection owns two pools (nginx's ngx_palloc):
//   the connection pool (connection_pool_size, 512 bytes) lives as long as the connection
//     and holds its read buffer;
//   the request pool (request_pool_size, 4 KiB) receives everything one request builds, and
//     is emptied in one operation when the response is sent — its block stays for the next
//     request while the client keeps sending, and goes when the connection turns idle.
// Big pieces (more than a block can give) are separate allocations on the pool's large list,
// freed with it; cleanups release what is not memory.
//
// New here (in lib/, so later chapters run it unchanged):
//   pool/pool              the allocator: alloc, free_large, add_cleanup, reset
//   event/http_connection  begin_request / end_request / release_idle_memory (lesson region)
//   lib/http and lib/static take a std::pmr::memory_resource for what they build per request
// From lib/: chapter 08's worker loop with timers, unchanged.
#include "chapter/chapter_cli.hpp"
#include "cycle/event_cycle.hpp"
#include "cycle/timeout_options.hpp"
#include "net/listener.hpp"
#include "static/static_file.hpp"
#include "timer/time_cache.hpp"

int main(int argc, char** argv) {
  kit::ChapterCli cli("ch09-pools",
                      "Chapter 09: chapter 08 with a connection pool and a request pool per "
                      "connection; a request's memory is allocated from its pool and freed in "
                      "one operation.");
  kit::CycleOptions cycle;
  cli.add_worker_connections(cycle.worker_connections);  // nginx's worker_connections
  cli.add_flag("--multi-accept", cycle.multi_accept,
               "accept every pending connection per wake-up, not one (nginx multi_accept)");
  kit::add_timeout_options(cli.app(), cycle.timeouts);
  // ---- lesson: the pools' sizes ----
  cycle.connection.connection_pool_size = 512;  // nginx connection_pool_size (64-bit)
  cycle.connection.request_pool_size = 4096;    // nginx request_pool_size
  cli.add_option("--connection_pool_size", cycle.connection.connection_pool_size,
                 "bytes per block of the pool that lives with each connection", 256, 1 << 20);
  cli.add_option("--request_pool_size", cycle.connection.request_pool_size,
                 "bytes per block of the pool each request allocates from", 256, 1 << 20);
  // ---- end lesson ----
  if (auto exit_code = cli.parse(argc, argv)) return *exit_code;

  return kit::run_guarded(cli.name(), [&]() -> int {
    const kit::ServerOptions& options = cli.options();
    const kit::http::StaticSite site(options.root);
    kit::Fd listener =
        kit::listen_tcp({.host = options.host, .port = options.port, .nonblocking = true});
    const int listen_fd = listener.get();
    const kit::SystemClock clock;
    kit::EventCycle worker(std::move(listener), site, cycle, clock);
    kit::announce_listening(cli.name(), listen_fd, options);
    worker.run();  // chapter 08's loop; the pools are inside each connection
  });
}
