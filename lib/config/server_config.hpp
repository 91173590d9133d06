// ServerConfig: the part of nginx.conf the kit implements, with nginx's directive names,
// contexts and defaults, so an operator's tuning checklist runs unchanged where it applies:
//
//   worker_processes N|auto; worker_rlimit_nofile N; pid FILE; error_log FILE [LEVEL];
//   events { worker_connections N; use epoll; multi_accept on|off; accept_mutex on|off; }
//   http { keepalive_timeout T; keepalive_requests N; client_header_timeout T;
//          client_body_timeout T; send_timeout T; sendfile on|off; tcp_nopush on|off;
//          tcp_nodelay on|off; access_log off|FILE [combined];
//          open_file_cache max=N [inactive=T]|off; open_file_cache_valid T;
//          open_file_cache_bytes SIZE (the kit's own); if_modified_since off|exact|before;
//          etag on|off;                                           (the last five: chapter 12)
//          server { listen [HOST:]PORT [reuseport] [exclusive]; root DIR; index FILE;
//                   location [=|^~] PATH { root DIR; alias PATH; index FILE; stub_status; } } }
//
// Anything else is an error naming file:line, in nginx's words ("unknown directive",
// "is not allowed here", "invalid number of arguments", "is duplicate", "invalid value").
// Relative paths are resolved against the configuration file's directory (nginx: against
// its prefix, -p). nginx counterpart: the ngx_command_t tables of the core, events and http
// modules. Introduced in chapter 10.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "config/config_parser.hpp"

namespace kit::config {

struct Listen {
  std::string host = "0.0.0.0";  // nginx: "listen 80" is every address
  uint16_t port = 80;
  bool reuseport = false;  // a listening socket per worker (SO_REUSEPORT)
  bool exclusive = false;  // the kit's flag: EPOLLEXCLUSIVE on the shared socket
};

struct Location {
  std::string path;    // "/status"
  bool exact = false;  // "location = /status"
  std::optional<std::string> root, alias;
  std::optional<std::string> index;  // chapter 12; the server's if unset
  bool stub_status = false;
};

struct Server {
  std::vector<Listen> listens;
  std::string root;  // default: <config dir>/html
  std::string index = "index.html";
  std::vector<Location> locations;
};

struct ServerConfig {
  std::string file;                   // the configuration file
  int worker_processes = 1;           // "auto" → the number of CPUs
  uint64_t worker_rlimit_nofile = 0;  // 0: leave the limit alone
  std::string pid;                    // default: <config dir>/c10k-kit.pid
  std::string error_log;              // "" = stderr
  // "" without an error_log directive: the --log-level flag's (notice). With one: its LEVEL,
  // or nginx's default for the directive, "error".
  std::string error_log_level;
  // events
  uint64_t worker_connections = 512;
  bool multi_accept = false;
  bool accept_mutex = false;  // nginx's default since 1.11.3
  // http (milliseconds for times)
  uint64_t keepalive_timeout = 75'000;
  uint64_t keepalive_requests = 1000;
  uint64_t client_header_timeout = 60'000;
  uint64_t client_body_timeout = 60'000;
  uint64_t send_timeout = 60'000;
  bool sendfile = false;
  bool tcp_nopush = false;
  bool tcp_nodelay = true;
  // Chapter 12: nginx open_file_cache max=N [inactive=T] | off, open_file_cache_valid T,
  // if_modified_since off|exact|before, etag on|off.
  uint64_t open_file_cache_max = 0;  // 0 = off (nginx's default)
  uint64_t open_file_cache_inactive = 60'000;
  uint64_t open_file_cache_valid = 60'000;
  uint64_t open_file_cache_bytes = 16384;  // the kit's own: files up to this size kept in memory
  std::string if_modified_since = "exact";
  bool etag = true;
  std::string access_log;  // "" = off
  std::vector<Server> servers;
};

// Gives meaning to a parsed file. Throws ConfigError (file:line) on the first problem.
[[nodiscard]] ServerConfig build_server_config(const std::vector<Directive>& directives,
                                               const std::string& file);

// parse_config_file() then build_server_config().
[[nodiscard]] ServerConfig load_server_config(const std::string& path);

}  // namespace kit::config
