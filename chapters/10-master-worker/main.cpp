// Chapter 10 — master and workers: both cores, reload without dropping a request.
//
// Chapter 09 is one process on one core, configured by flags, stopped by killing it. nginx's
// answer: a master process binds the listening socket and forks `worker_processes` workers
// that all accept from it, each running chapter 09's loop. The master handles no traffic; it
// reads nginx.conf, watches its workers and obeys signals — SIGHUP re-reads the configuration
// and replaces the workers without refusing a connection, SIGQUIT finishes in-flight requests
// before exiting, SIGTERM exits now, and a worker that dies is respawned at once.
//
//   ch10-master-worker -c nginx.conf        run with a configuration file (nginx's directives)
//   ch10-master-worker -c nginx.conf -t     test the file: exit 0 or 1, like `nginx -t`
//   ch10-master-worker -c nginx.conf -s reload|quit|stop|reopen   signal the running master
//   ch10-master-worker --port 8080 --worker-processes 2            no file: flags, as before
//
// New here: process/master_process (the master loop), process/worker_process (the worker's
// signals), process/signals, config/ (nginx.conf), process/shared_memory + http/stub_status
// (the status page, counted across workers), http/access_log. From lib/: chapter 09's EventCycle.
#include <sys/resource.h>

#include <csignal>
#include <fstream>
#include <iostream>

#include "chapter/chapter_cli.hpp"
#include "config/server_config.hpp"
#include "core/log.hpp"
#include "cycle/timeout_options.hpp"
#include "http/access_log.hpp"
#include "net/listener.hpp"
#include "process/master_process.hpp"
#include "process/shared_memory.hpp"
#include "process/signals.hpp"
#include "process/worker_process.hpp"

namespace {

using kit::config::ServerConfig;

// The settings no configuration file gave: the common flags, as in chapters 00-09.
ServerConfig config_from_flags(const kit::ServerOptions& o, const kit::CycleOptions& cycle,
                               int workers, const std::string& stub_status) {
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
  kit::config::Server server;
  kit::config::Listen listen;
  listen.host = o.host;
  listen.port = o.port;
  server.listens.push_back(listen);
  server.root = o.root;
  if (!stub_status.empty()) {
    kit::config::Location status;
    status.path = stub_status;
    status.exact = true;
    status.stub_status = true;
    server.locations.push_back(status);
  }
  c.servers.push_back(server);
  return c;
}

// What this chapter serves of a configuration: one server, one listen address, its root.
// Directives it parses but does not act on yet are refused rather than silently ignored.
void check_supported(const ServerConfig& c) {
  const auto refuse = [&](const std::string& what) {
    throw kit::config::ConfigError(c.file, 0, what + " is not served by chapter 10 yet");
  };
  if (c.servers.size() != 1 || c.servers[0].listens.size() != 1) {
    refuse("more than one server or listen address");
  }
  for (const kit::config::Location& loc : c.servers[0].locations) {
    if (!loc.stub_status || loc.root || loc.alias) refuse("a location other than stub_status");
  }
  if (c.servers[0].locations.size() > 1) refuse("more than one stub_status location");
  if (!c.access_log.empty()) {
    try {
      kit::http::AccessLog probe(c.access_log);  // fail now, in the master, not in every worker
    } catch (const std::system_error& e) {
      throw kit::config::ConfigError(c.file, 0, e.what());
    }
  }
  if (c.servers[0].listens[0].reuseport || c.servers[0].listens[0].exclusive) {
    refuse("listen ... reuseport/exclusive (chapter 11)");
  }
}

kit::Generation generation_for(const ServerConfig& c, kit::http::StatusCounters* counters) {
  const kit::config::Server& server = c.servers.at(0);
  kit::Generation g;
  g.listen.host = server.listens[0].host;
  g.listen.port = server.listens[0].port;
  g.workers = c.worker_processes;
  g.worker_main = [c, server, counters](int listen_fd) {
    if (c.worker_rlimit_nofile > 0) {
      const rlimit lim{c.worker_rlimit_nofile, c.worker_rlimit_nofile};
      if (::setrlimit(RLIMIT_NOFILE, &lim) != 0)
        kit::log_errno(kit::LogLevel::kAlert, errno, "setrlimit(RLIMIT_NOFILE)");
    }
    const kit::http::StaticSite site(server.root, server.index);
    kit::CycleOptions o;
    o.worker_connections = c.worker_connections;
    o.multi_accept = c.multi_accept;
    o.timeouts = {c.client_header_timeout, c.client_body_timeout, c.send_timeout,
                  c.keepalive_timeout, c.keepalive_requests};
    o.connection.connection_pool_size = 512;
    o.connection.request_pool_size = 4096;
    kit::http::StatusLocation status;  // location [=] PATH { stub_status; }
    if (!server.locations.empty()) {
      status = {server.locations[0].path, server.locations[0].exact, counters};
      o.connection.status = &status;
      o.status = counters;
    }
    const kit::SystemClock clock;
    std::optional<kit::http::AccessLog> access_log;
    if (!c.access_log.empty()) {
      access_log.emplace(c.access_log);
      o.connection.access_log = &*access_log;
    }
    kit::EventCycle cycle(kit::Fd(listen_fd), site, o, clock);
    return kit::run_worker(cycle, [&] {
      if (access_log) access_log->reopen();
    });
  };
  return g;
}

int send_signal(const std::string& pid_file, const std::string& command) {
  const auto sig = kit::signal_for_command(command);
  long pid = 0;
  if (!(std::ifstream(pid_file) >> pid) || pid <= 0) {
    std::cerr << "ch10-master-worker: invalid PID number in \"" << pid_file << "\"\n";
    return 1;
  }
  if (::kill(static_cast<pid_t>(pid), *sig) != 0) {
    kit::log_errno(kit::LogLevel::kError, errno, fmt::format("kill({}, {})", pid, *sig));
    return 1;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  kit::ChapterCli cli("ch10-master-worker",
                      "Chapter 10: a master process and worker processes running chapter 09's "
                      "loop; nginx.conf, -t, -s reload|quit|stop|reopen, zero-downtime reload.");
  std::string conf, signal_command;
  bool test_only = false;
  int workers = 2;
  std::string stub_status;
  kit::CycleOptions cycle;
  cli.add_worker_connections(cycle.worker_connections);
  cli.app().add_flag("--multi-accept", cycle.multi_accept,
                     "accept every pending connection per wake-up");
  kit::add_timeout_options(cli.app(), cycle.timeouts);
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
      "without -c: serve the status page at this path (location = PATH { stub_status; })");
  if (auto exit_code = cli.parse(argc, argv)) return *exit_code;

  // ---- lesson: configuration, -t and -s ----
  auto load = [&]() -> ServerConfig {
    if (conf.empty()) return config_from_flags(cli.options(), cycle, workers, stub_status);
    ServerConfig c = kit::config::load_server_config(conf);
    check_supported(c);
    return c;
  };
  ServerConfig config;
  try {
    config = load();
  } catch (const kit::config::ConfigError& e) {
    kit::log(kit::LogLevel::kEmerg, "{}", e.what());
    if (test_only)
      std::cerr << "ch10-master-worker: configuration file " << conf << " test failed\n";
    return 1;
  }
  if (test_only) {
    std::cerr << "ch10-master-worker: the configuration file " << conf << " syntax is ok\n"
              << "ch10-master-worker: configuration file " << conf << " test is successful\n";
    return 0;
  }
  if (!signal_command.empty()) {
    if (config.pid.empty()) {
      std::cerr << "ch10-master-worker: -s needs -c: the pid file is named in the configuration\n";
      return 1;
    }
    return send_signal(config.pid, signal_command);
  }
  // The stub_status counters, shared by every worker of every generation.
  kit::SharedObject<kit::http::StatusCounters> status;
  // On SIGHUP: the file again; a broken one is logged and the running workers stay.
  auto reload = [&]() -> std::optional<kit::Generation> {
    try {
      return generation_for(load(), &status.get());
    } catch (const kit::config::ConfigError& e) {
      kit::log(kit::LogLevel::kEmerg, "{}; keeping the running configuration", e.what());
      return std::nullopt;
    }
  };
  // ---- end lesson ----

  return kit::run_guarded(cli.name(), [&]() -> int {
    kit::MasterProcess master(generation_for(config, &status.get()), reload, config.pid);
    kit::ServerOptions shown = cli.options();
    shown.root = config.servers[0].root;
    return master.run(
        [&](int listen_fd) { kit::announce_listening(cli.name(), listen_fd, shown); });
  });
}
