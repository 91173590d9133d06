// master_main(): the main() of the master/worker chapters (10+), which differ only in what
// their workers do with a connection and how they share the listening socket:
//
//   chNN -c nginx.conf                      run with a configuration file (nginx's directives)
//   chNN -c nginx.conf -t                   test the file: exit 0 or 1, like `nginx -t`
//   chNN -c nginx.conf -s reload|quit|stop|reopen    signal the running master (pid file)
//   chNN --port 8080 --worker-processes 2   no file: the common flags, as in chapters 00-09
//
// It loads (or builds from the flags) the configuration, answers -t and -s, maps the shared
// stub_status counters, and hands the master a Generation whose workers run chapter 09's
// EventCycle on the configuration; SIGHUP builds the next one the same way. A chapter's
// main.cpp passes the hooks that make it itself. nginx counterpart: main() in nginx.c with
// ngx_get_options(), ngx_signal_process() and ngx_init_cycle(). Introduced in chapter 10.
#pragma once

#include <sys/types.h>

#include <functional>
#include <memory>
#include <string>

#include "chapter/chapter_cli.hpp"
#include "config/server_config.hpp"
#include "cycle/event_cycle.hpp"
#include "http/handler.hpp"

namespace kit {

struct MasterChapter {
  std::string name;    // the binary: "ch10-master-worker"
  std::string lesson;  // --help's description
  // The chapter's own flags, and what they change in a configuration built from flags.
  std::function<void(ChapterCli&)> add_options;
  std::function<void(config::ServerConfig&)> apply_flags;
  // Refuses (throws config::ConfigError) what the chapter parses but does not serve yet, on
  // top of the common rule: one server with one listen address, stub_status locations only
  // (other locations too when full_static is set).
  std::function<void(const config::ServerConfig&)> check_supported;
  // Chapter 12: `location` blocks with root, alias and index, open_file_cache, etag and
  // if_modified_since are served (chapters 10-11 refuse them rather than ignore them).
  bool full_static = false;
  // What answers requests, built in each worker (and once by -t and reload, as a check; it
  // throws std::system_error if it cannot be built). Unset: chapter 00's StaticSite on the
  // server's root and index.
  std::function<std::unique_ptr<http::Handler>(const config::ServerConfig&)> make_handler;
  // In each worker, after the common settings, before its EventCycle is built.
  std::function<void(const config::ServerConfig&, CycleOptions&)> configure_worker;
  // In the master, for every worker that exits (freeing what it held in shared memory).
  std::function<void(pid_t)> on_worker_exit;
};

int master_main(int argc, char** argv, const MasterChapter& chapter);

}  // namespace kit
