#include "config/server_config.hpp"

#include <unistd.h>

#include <charconv>
#include <filesystem>
#include <set>

#include "timer/time_value.hpp"

namespace kit::config {
namespace {

[[noreturn]] void fail(const Directive& d, const std::string& message) {
  throw ConfigError(d.file, d.line, message);
}

void want_args(const Directive& d, size_t min, size_t max) {
  if (d.args.size() < min || d.args.size() > max) {
    fail(d, "invalid number of arguments in \"" + d.name + "\" directive");
  }
}

// A simple directive ("name args;"), or a block one ("name args { }").
void want_block(const Directive& d, bool block) {
  if (block && !d.has_block) fail(d, "directive \"" + d.name + "\" has no opening \"{\"");
  if (!block && d.has_block) fail(d, "directive \"" + d.name + "\" takes no block");
}

// Single-valued directives may appear once per block.
void once(std::set<std::string>& seen, const Directive& d) {
  if (!seen.insert(d.name).second) fail(d, "\"" + d.name + "\" directive is duplicate");
}

bool flag(const Directive& d) {
  want_args(d, 1, 1);
  if (d.args[0] == "on") return true;
  if (d.args[0] == "off") return false;
  fail(d, "invalid value \"" + d.args[0] + "\" in \"" + d.name +
              "\" directive, it must be \"on\" or \"off\"");
}

uint64_t number(const Directive& d, const std::string& text) {
  uint64_t v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) {
    fail(d, "invalid number \"" + text + "\" in \"" + d.name + "\" directive");
  }
  return v;
}

// nginx sizes: "512", "16k", "1m" (k and m in either case).
uint64_t size_arg(const Directive& d, const std::string& text) {
  uint64_t unit = 1;
  std::string digits = text;
  if (!digits.empty() && (digits.back() == 'k' || digits.back() == 'K')) unit = 1024;
  if (!digits.empty() && (digits.back() == 'm' || digits.back() == 'M')) unit = 1024 * 1024;
  if (unit != 1) digits.pop_back();
  uint64_t n = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
  if (ec != std::errc() || end != digits.data() + digits.size() || digits.empty() ||
      n > UINT64_MAX / unit)
    fail(d, "invalid size \"" + text + "\" in \"" + d.name + "\" directive");
  return n * unit;
}

uint64_t time_arg(const Directive& d) {
  want_args(d, 1, 1);
  const auto ms = parse_nginx_time(d.args[0]);
  if (!ms) fail(d, "invalid time \"" + d.args[0] + "\" in \"" + d.name + "\" directive");
  return *ms;
}

std::string path_arg(const Directive& d, const std::string& dir, const std::string& text) {
  if (text.empty()) fail(d, "empty path in \"" + d.name + "\" directive");
  return std::filesystem::path(text).is_absolute() ? text : dir + "/" + text;
}

Listen listen_arg(const Directive& d) {
  want_args(d, 1, 3);
  Listen l;
  std::string addr = d.args[0];
  std::string port = addr;
  if (const size_t colon = addr.rfind(':'); colon != std::string::npos) {
    const std::string host = addr.substr(0, colon);
    port = addr.substr(colon + 1);
    if (host.empty() || host.front() == '[')
      fail(d, "invalid host in \"" + addr + "\" of the \"listen\" directive");
    l.host = host == "*" ? "0.0.0.0" : host;
  }
  const uint64_t p = number(d, port);
  if (p == 0 || p > 65535) fail(d, "invalid port in \"" + addr + "\" of the \"listen\" directive");
  l.port = static_cast<uint16_t>(p);
  for (size_t i = 1; i < d.args.size(); ++i) {
    if (d.args[i] == "reuseport") {
      l.reuseport = true;
    } else if (d.args[i] == "exclusive") {
      l.exclusive = true;
    } else {
      fail(d, "invalid parameter \"" + d.args[i] + "\" in \"listen\" directive");
    }
  }
  if (l.reuseport && l.exclusive) fail(d, "\"reuseport\" and \"exclusive\" exclude each other");
  return l;
}

// open_file_cache off | max=N [inactive=TIME] (nginx's syntax; inactive defaults to 60s).
void open_file_cache_arg(const Directive& d, ServerConfig& cfg) {
  want_args(d, 1, 2);
  if (d.args.size() == 1 && d.args[0] == "off") {
    cfg.open_file_cache_max = 0;
    return;
  }
  for (const std::string& a : d.args) {
    if (a.starts_with("max=")) {
      cfg.open_file_cache_max = number(d, a.substr(4));
      if (cfg.open_file_cache_max == 0)
        fail(d, "invalid \"open_file_cache\" parameter \"" + a + "\"");
    } else if (a.starts_with("inactive=")) {
      const auto ms = parse_nginx_time(a.substr(9));
      if (!ms) fail(d, "invalid \"open_file_cache\" parameter \"" + a + "\"");
      cfg.open_file_cache_inactive = *ms;
    } else {
      fail(d, "invalid \"open_file_cache\" parameter \"" + a + "\"");
    }
  }
  if (cfg.open_file_cache_max == 0) fail(d, "\"open_file_cache\" must have the \"max\" parameter");
}

void location_block(const Directive& d, Location& loc, const std::string& dir) {
  std::set<std::string> seen;
  for (const Directive& c : d.block) {
    if (c.name == "root" || c.name == "alias") {
      want_block(c, false);
      want_args(c, 1, 1);
      once(seen, c);
      if (seen.count("root") && seen.count("alias"))
        fail(c, "\"root\" and \"alias\" exclude each other");
      (c.name == "root" ? loc.root : loc.alias) = path_arg(c, dir, c.args[0]);
    } else if (c.name == "index") {
      want_block(c, false);
      want_args(c, 1, 1);
      once(seen, c);
      loc.index = c.args[0];
    } else if (c.name == "stub_status") {
      want_block(c, false);
      want_args(c, 0, 0);
      loc.stub_status = true;
    } else {
      fail(c, "unknown directive \"" + c.name + "\" in a location");
    }
  }
}

Location location_arg(const Directive& d, const std::string& dir) {
  want_block(d, true);
  Location loc;
  if (d.args.size() == 2 && d.args[0] == "=") {
    loc.exact = true;
    loc.path = d.args[1];
  } else if (d.args.size() == 2 && d.args[0] == "^~") {
    loc.path = d.args[1];  // without regex locations a prefix is already final
  } else if (d.args.size() == 2 && (d.args[0] == "~" || d.args[0] == "~*")) {
    fail(d, "regular-expression locations (\"" + d.args[0] + "\") are not supported by the kit");
  } else {
    want_args(d, 1, 1);
    loc.path = d.args[0];
  }
  if (loc.path.empty() || loc.path.front() != '/') fail(d, "a location must start with \"/\"");
  location_block(d, loc, dir);
  return loc;
}

Server server_block(const Directive& d, const std::string& dir) {
  want_block(d, true);
  want_args(d, 0, 0);
  Server s;
  s.root = dir + "/html";
  std::set<std::string> seen;
  for (const Directive& c : d.block) {
    if (c.name == "listen") {
      want_block(c, false);
      s.listens.push_back(listen_arg(c));
    } else if (c.name == "root") {
      want_block(c, false);
      want_args(c, 1, 1);
      once(seen, c);
      s.root = path_arg(c, dir, c.args[0]);
    } else if (c.name == "index") {
      want_block(c, false);
      want_args(c, 1, 1);
      once(seen, c);
      s.index = c.args[0];
    } else if (c.name == "location") {
      Location loc = location_arg(c, dir);
      for (const Location& other : s.locations) {
        if (other.path == loc.path && other.exact == loc.exact)
          fail(c, "duplicate location \"" + loc.path + "\"");
      }
      s.locations.push_back(std::move(loc));
    } else {
      fail(c, "unknown directive \"" + c.name + "\" in a server");
    }
  }
  if (s.listens.empty()) s.listens.push_back(Listen{});  // nginx: listen *:80
  return s;
}

void http_block(const Directive& d, ServerConfig& cfg, const std::string& dir) {
  want_block(d, true);
  want_args(d, 0, 0);
  std::set<std::string> seen;
  for (const Directive& c : d.block) {
    if (c.name == "server") {
      cfg.servers.push_back(server_block(c, dir));
      continue;
    }
    want_block(c, false);
    once(seen, c);
    if (c.name == "keepalive_timeout") {
      cfg.keepalive_timeout = time_arg(c);
    } else if (c.name == "keepalive_requests") {
      want_args(c, 1, 1);
      cfg.keepalive_requests = number(c, c.args[0]);
    } else if (c.name == "client_header_timeout") {
      cfg.client_header_timeout = time_arg(c);
    } else if (c.name == "client_body_timeout") {
      cfg.client_body_timeout = time_arg(c);
    } else if (c.name == "send_timeout") {
      cfg.send_timeout = time_arg(c);
    } else if (c.name == "sendfile") {
      cfg.sendfile = flag(c);
    } else if (c.name == "tcp_nopush") {
      cfg.tcp_nopush = flag(c);
    } else if (c.name == "tcp_nodelay") {
      cfg.tcp_nodelay = flag(c);
    } else if (c.name == "open_file_cache") {
      open_file_cache_arg(c, cfg);
    } else if (c.name == "open_file_cache_bytes") {
      want_args(c, 1, 1);
      cfg.open_file_cache_bytes = size_arg(c, c.args[0]);
    } else if (c.name == "open_file_cache_valid") {
      cfg.open_file_cache_valid = time_arg(c);
    } else if (c.name == "if_modified_since") {
      want_args(c, 1, 1);
      if (c.args[0] != "off" && c.args[0] != "exact" && c.args[0] != "before") {
        fail(c, "invalid value \"" + c.args[0] +
                    "\" in \"if_modified_since\" directive, it must be \"off\", \"exact\" or "
                    "\"before\"");
      }
      cfg.if_modified_since = c.args[0];
    } else if (c.name == "etag") {
      cfg.etag = flag(c);
    } else if (c.name == "access_log") {
      want_args(c, 1, 2);
      if (c.args.size() == 2 && c.args[1] != "combined") {
        fail(c, "unknown log format \"" + c.args[1] + "\" (the kit writes \"combined\")");
      }
      cfg.access_log = c.args[0] == "off" ? "" : path_arg(c, dir, c.args[0]);
    } else {
      fail(c, "unknown directive \"" + c.name + "\" in http");
    }
  }
}

void events_block(const Directive& d, ServerConfig& cfg) {
  want_block(d, true);
  want_args(d, 0, 0);
  std::set<std::string> seen;
  for (const Directive& c : d.block) {
    want_block(c, false);
    once(seen, c);
    if (c.name == "worker_connections") {
      want_args(c, 1, 1);
      cfg.worker_connections = number(c, c.args[0]);
      if (cfg.worker_connections < 1) fail(c, "worker_connections must be at least 1");
    } else if (c.name == "use") {
      want_args(c, 1, 1);
      if (c.args[0] != "epoll")
        fail(c, "invalid event type \"" + c.args[0] + "\" (the kit uses epoll)");
    } else if (c.name == "multi_accept") {
      cfg.multi_accept = flag(c);
    } else if (c.name == "accept_mutex") {
      cfg.accept_mutex = flag(c);
    } else {
      fail(c, "unknown directive \"" + c.name + "\" in events");
    }
  }
}

}  // namespace

ServerConfig build_server_config(const std::vector<Directive>& directives,
                                 const std::string& file) {
  ServerConfig cfg;
  cfg.file = file;
  std::string dir = std::filesystem::absolute(file).parent_path().string();
  cfg.pid = dir + "/c10k-kit.pid";
  std::set<std::string> seen;
  bool have_events = false;
  for (const Directive& d : directives) {
    if (d.name == "events" || d.name == "http") {
      once(seen, d);
      if (d.name == "events") {
        events_block(d, cfg);
        have_events = true;
      } else {
        http_block(d, cfg, dir);
      }
      continue;
    }
    want_block(d, false);
    once(seen, d);
    if (d.name == "worker_processes") {
      want_args(d, 1, 1);
      if (d.args[0] == "auto") {
        cfg.worker_processes = static_cast<int>(std::max(1L, ::sysconf(_SC_NPROCESSORS_ONLN)));
      } else {
        const uint64_t n = number(d, d.args[0]);
        if (n < 1 || n > 64) fail(d, "worker_processes must be \"auto\" or 1 to 64");
        cfg.worker_processes = static_cast<int>(n);
      }
    } else if (d.name == "worker_rlimit_nofile") {
      want_args(d, 1, 1);
      cfg.worker_rlimit_nofile = number(d, d.args[0]);
    } else if (d.name == "pid") {
      want_args(d, 1, 1);
      cfg.pid = path_arg(d, dir, d.args[0]);
    } else if (d.name == "error_log") {
      want_args(d, 1, 2);
      cfg.error_log = d.args[0] == "stderr" ? "" : path_arg(d, dir, d.args[0]);
      cfg.error_log_level = "error";
      if (d.args.size() == 2) {
        static const std::set<std::string> kLevels{"debug", "info", "notice", "warn",
                                                   "error", "crit", "alert",  "emerg"};
        if (!kLevels.count(d.args[1])) fail(d, "invalid log level \"" + d.args[1] + "\"");
        cfg.error_log_level = d.args[1];
      }
    } else if (d.name == "server" || d.name == "location" || d.name == "listen" ||
               d.name == "worker_connections") {
      fail(d, "\"" + d.name + "\" directive is not allowed here");
    } else {
      fail(d, "unknown directive \"" + d.name + "\"");
    }
  }
  if (!have_events) throw ConfigError(file, 0, "no \"events\" section in configuration");
  return cfg;
}

ServerConfig load_server_config(const std::string& path) {
  return build_server_config(parse_config_file(path), path);
}

}  // namespace kit::config
