// Chapter 00 — the iterative server.
//
// The simplest server there is: accept one connection, serve every request on it until the
// client goes away, then accept the next. While it serves one client, every other client
// waits in the kernel's listen backlog — one slow (or merely idle keep-alive) client stalls
// everyone. Every later chapter is an answer to that sentence.
//
// New here: the accept loop. From lib/: the listening socket (net/listener), accept4 with
// its errors classified (net/acceptor), the HTTP parser and static-file handler behind
// serve_connection() (blocking/blocking_connection), the common command line (chapter/).
#include "blocking/blocking_connection.hpp"
#include "chapter/chapter_cli.hpp"
#include "net/acceptor.hpp"
#include "net/listener.hpp"
#include "static/static_file.hpp"

int main(int argc, char** argv) {
  kit::ChapterCli cli("ch00-iterative",
                      "Chapter 00: an iterative HTTP server. It accepts one connection, serves "
                      "it to the end, then accepts the next — so one idle client stalls all "
                      "others.");
  if (auto exit_code = cli.parse(argc, argv)) return *exit_code;

  return kit::run_guarded(cli.name(), [&]() -> int {
    const kit::ServerOptions& options = cli.options();
    const kit::http::StaticSite site(options.root);
    kit::Fd listener = kit::listen_tcp({.host = options.host, .port = options.port});
    kit::announce_listening(cli.name(), listener.get(), options);

    // ---- lesson: the iterative accept loop ----
    for (;;) {
      kit::Fd client = kit::accept_blocking(listener.get());
      // The whole server is inside this call until the client leaves: no other connection
      // is accepted meanwhile, however long this one takes.
      kit::serve_connection(std::move(client), site);
    }
    // ---- end lesson ----
  });
}
