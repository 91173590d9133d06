#include "process/master_main.hpp"

#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <csignal>
#include <cstring>
#include <fstream>
#include <iostream>
#include <optional>

#include "chapter/chapter_cli.hpp"
#include "core/log.hpp"
#include "cycle/timeout_options.hpp"
#include "http/access_log.hpp"
#include "net/listener.hpp"
#include "process/master_process.hpp"
#include "process/shared_memory.hpp"
#include "process/signals.hpp"
#include "process/worker_process.hpp"

namespace kit {
namespace {

using config::ServerConfig;

// The settings no configuration file gave: the common flags, as in chapters 00-09.
ServerConfig config_from_flags(const ServerOptions& o, const CycleOptions& cycle, int workers,
                               const std::string& stub_status) {
  ServerConfig c;
  c.worker_processes = workers;
  c.worker_connections = cycle.worker_connections;
  c.multi_accept = cycle.multi_accept;
  c.keepalive_timeout = cycle.timeouts.keepalive;
  c.keepalive_requests = cycle.timeouts.keepalive_requests;
  c.client_header_timeout = cycle.timeouts.client_header;
  c.client_body_timeout = cycle.timeouts.client_body;
  c.send_timeout = cycle.timeouts.send;
  c.pid.clear();
  config::Server server;
  config::Listen listen;
  listen.host = o.host;
  listen.port = o.port;
  server.listens.push_back(listen);
  server.root = o.root;
  if (!stub_status.empty()) {
    config::Location status;
    status.path = stub_status;
    status.exact = true;
    status.stub_status = true;
    server.locations.push_back(status);
  }
  c.servers.push_back(server);
  return c;
}

// error_log FILE [LEVEL]: stderr becomes the file, opened O_APPEND so that each log line,
// one write(2), lands whole whoever writes it; workers forked afterwards inherit it. Opened
// again on reload and on SIGUSR1 (after logrotate). Without the directive the log stays on
// stderr at --log-level.
void open_error_log(const ServerConfig& c) {
  LogLevel level{};
  if (!c.error_log_level.empty() && parse_log_level(c.error_log_level, level)) set_log_level(level);
  if (c.error_log.empty()) return;
  const Fd file(::open(c.error_log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644));
  if (!file) throw_sys_error(fmt::format("open(\"{}\")", c.error_log));
  if (::dup2(file.get(), STDERR_FILENO) < 0) throw_sys_error("dup2() of the error log");
}

// The chapter's handler, or chapter 00's StaticSite on the server's root.
std::unique_ptr<http::Handler> make_handler(const MasterChapter& chapter, const ServerConfig& c) {
  if (chapter.make_handler) return chapter.make_handler(c);
  return std::make_unique<http::StaticSite>(c.servers[0].root, c.servers[0].index);
}

// What the master/worker chapters serve of a configuration: one server, one listen address,
// its root, stub_status; from chapter 12 (full_static) also locations with root/alias/index,
// open_file_cache, etag and if_modified_since. Directives parsed but not acted on yet are
// refused rather than silently ignored.
void check_supported(const MasterChapter& chapter, const ServerConfig& c) {
  const auto refuse = [&](const std::string& what) {
    throw config::ConfigError(c.file, 0, what + " is not served by " + chapter.name + " yet");
  };
  if (c.servers.size() != 1 || c.servers[0].listens.size() != 1) {
    refuse("more than one server or listen address");
  }
  size_t status_locations = 0;
  for (const config::Location& loc : c.servers[0].locations) {
    if (loc.stub_status) ++status_locations;
    if (loc.stub_status && (loc.root || loc.alias || loc.index))
      refuse("root, alias or index in a stub_status location");
    if (!loc.stub_status && !chapter.full_static) refuse("a location other than stub_status");
  }
  if (!chapter.full_static) {
    if (c.open_file_cache_max > 0) refuse("open_file_cache");
    if (!c.etag) refuse("etag off");
    if (c.if_modified_since != "exact") refuse("if_modified_since " + c.if_modified_since);
  }
  if (status_locations > 1) refuse("more than one stub_status location");
  try {
    auto probe = make_handler(chapter, c);  // as the workers will: roots and aliases open
  } catch (const std::system_error& e) {
    throw config::ConfigError(c.file, 0, e.what());
  }
  if (!c.error_log.empty()) {
    const Fd probe(::open(c.error_log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644));
    if (!probe) {
      throw config::ConfigError(
          c.file, 0,
          fmt::format("open(\"{}\") failed ({}: {})", c.error_log, errno, std::strerror(errno)));
    }
  }
  if (!c.access_log.empty()) {
    try {
      http::AccessLog probe(c.access_log);  // fail now, in the master, not in every worker
    } catch (const std::system_error& e) {
      throw config::ConfigError(c.file, 0, e.what());
    }
  }
  if (chapter.check_supported) chapter.check_supported(c);
}

// ---- lesson: ch10 a configuration becomes a generation of workers ----
Generation generation_for(const MasterChapter& chapter, const ServerConfig& c,
                          http::StatusCounters* counters) {
  const config::Server& server = c.servers.at(0);
  Generation g;
  g.listen.host = server.listens[0].host;
  g.listen.port = server.listens[0].port;
  g.listen.reuseport = server.listens[0].reuseport;
  g.workers = c.worker_processes;
  // Runs in the forked worker: everything below belongs to this one process.
  g.worker_main = [&chapter, c, server, counters](int listen_fd) {
    if (c.worker_rlimit_nofile > 0) {
      const rlimit lim{c.worker_rlimit_nofile, c.worker_rlimit_nofile};
      if (::setrlimit(RLIMIT_NOFILE, &lim) != 0)
        log_errno(LogLevel::kAlert, errno, "setrlimit(RLIMIT_NOFILE)");
    }
    rlimit nofile{};
    if (::getrlimit(RLIMIT_NOFILE, &nofile) == 0 && c.worker_connections > nofile.rlim_cur) {
      // Each connection is a descriptor, and each file it sends one more (nginx warns alike).
      log(LogLevel::kWarn, "{} worker_connections exceed open file resource limit: {}",
          c.worker_connections, nofile.rlim_cur);
    }
    const std::unique_ptr<http::Handler> handler = make_handler(chapter, c);
    CycleOptions o;
    o.worker_connections = c.worker_connections;
    o.multi_accept = c.multi_accept;
    o.timeouts = {c.client_header_timeout, c.client_body_timeout, c.send_timeout,
                  c.keepalive_timeout, c.keepalive_requests};
    o.connection.connection_pool_size = 512;
    o.connection.request_pool_size = 4096;
    http::StatusLocation status;  // location [=] PATH { stub_status; }
    for (const config::Location& loc : server.locations) {
      if (!loc.stub_status) continue;
      status = {loc.path, loc.exact, counters};
      o.connection.status = &status;
      o.status = counters;
      o.worker = http::claim_worker_slot(*counters, ::getpid());
    }
    std::optional<http::AccessLog> access_log;
    if (!c.access_log.empty()) {
      access_log.emplace(c.access_log);
      o.connection.access_log = &*access_log;
    }
    if (chapter.configure_worker) chapter.configure_worker(c, o);
    const SystemClock clock;
    EventCycle cycle(Fd(listen_fd), *handler, o, clock);
    return run_worker(cycle, [&] {
      if (access_log) access_log->reopen();
      try {
        open_error_log(c);
      } catch (const std::system_error& e) {
        log(LogLevel::kAlert, "{}", e.what());
      }
    });
  };
  return g;
}
// ---- end lesson ----

int send_signal(const std::string& program, const std::string& pid_file,
                const std::string& command) {
  const auto sig = signal_for_command(command);
  long pid = 0;
  if (!(std::ifstream(pid_file) >> pid) || pid <= 0) {
    std::cerr << program << ": invalid PID number in \"" << pid_file << "\"\n";
    return 1;
  }
  if (::kill(static_cast<pid_t>(pid), *sig) != 0) {
    log_errno(LogLevel::kError, errno, fmt::format("kill({}, {})", pid, *sig));
    return 1;
  }
  return 0;
}

}  // namespace

int master_main(int argc, char** argv, const MasterChapter& chapter) {
  ChapterCli cli(chapter.name, chapter.lesson);
  std::string conf, signal_command;
  bool test_only = false;
  int workers = 2;
  std::string stub_status;
  CycleOptions cycle;
  cli.add_worker_connections(cycle.worker_connections);
  cli.app().add_flag("--multi-accept", cycle.multi_accept,
                     "accept every pending connection per wake-up");
  add_timeout_options(cli.app(), cycle.timeouts);
  cli.app().add_option("-c", conf,
                       "configuration file (nginx.conf syntax); flags are then ignored");
  cli.app().add_flag("-t", test_only, "test the configuration file and exit");
  cli.app()
      .add_option("-s", signal_command, "send a signal to the running master")
      ->check(CLI::IsMember({"reload", "quit", "stop", "reopen"}));
  cli.app()
      .add_option("--worker-processes", workers, "workers without -c (nginx worker_processes)")
      ->capture_default_str()
      ->check(CLI::Range(1, 64));
  cli.app().add_option(
      "--stub-status", stub_status,
      "without -c: serve the status page at this path (location = PATH { stub_status; }); "
      "PATH?workers adds a line per worker");
  if (chapter.add_options) chapter.add_options(cli);
  if (auto exit_code = cli.parse(argc, argv)) return *exit_code;

  // ---- lesson: ch10 configuration, -t and -s ----
  auto load = [&]() -> ServerConfig {
    ServerConfig c;
    if (conf.empty()) {
      c = config_from_flags(cli.options(), cycle, workers, stub_status);
      if (chapter.apply_flags) chapter.apply_flags(c);
    } else {
      c = config::load_server_config(conf);
    }
    check_supported(chapter, c);
    return c;
  };
  ServerConfig config;
  try {
    config = load();
  } catch (const config::ConfigError& e) {
    log(LogLevel::kEmerg, "{}", e.what());
    if (test_only) std::cerr << chapter.name << ": configuration file " << conf << " test failed\n";
    return 1;
  }
  if (test_only) {
    std::cerr << chapter.name << ": the configuration file " << conf << " syntax is ok\n"
              << chapter.name << ": configuration file " << conf << " test is successful\n";
    return 0;
  }
  if (!signal_command.empty()) {
    if (config.pid.empty()) {
      std::cerr << chapter.name << ": -s needs -c: the pid file is named in the configuration\n";
      return 1;
    }
    return send_signal(chapter.name, config.pid, signal_command);
  }
  // The stub_status counters, shared by every worker of every generation.
  SharedObject<http::StatusCounters> status;
  // On SIGHUP: the file again; a broken one is logged and the running workers stay.
  auto reload = [&]() -> std::optional<Generation> {
    try {
      ServerConfig next = load();
      open_error_log(next);
      config = next;  // what SIGUSR1 reopens from now on
      return generation_for(chapter, config, &status.get());
    } catch (const std::exception& e) {  // ConfigError, or the error log could not be opened
      log(LogLevel::kEmerg, "{}; keeping the running configuration", e.what());
      return std::nullopt;
    }
  };
  // ---- end lesson ----

  return run_guarded(cli.name(), [&]() -> int {
    open_error_log(config);
    MasterProcess master(generation_for(chapter, config, &status.get()), reload, config.pid);
    master.on_reopen([&] {
      try {
        open_error_log(config);
      } catch (const std::system_error& e) {
        log(LogLevel::kAlert, "{}", e.what());
      }
    });
    master.on_worker_exit([&](pid_t pid) {
      http::release_worker_slot(status.get(), pid);
      if (chapter.on_worker_exit) chapter.on_worker_exit(pid);
    });
    ServerOptions shown = cli.options();
    shown.root = config.servers[0].root;
    return master.run([&](int listen_fd) { announce_listening(cli.name(), listen_fd, shown); });
  });
}

}  // namespace kit
