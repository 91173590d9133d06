// lib/config/server_config.hpp: the directives the kit implements, their defaults, and
// nginx-worded errors with file:line for everything else.
#include "config/server_config.hpp"

#include <catch2/catch.hpp>
#include <string>

using kit::config::ConfigError;
using kit::config::ServerConfig;

namespace {

ServerConfig build(const std::string& text) {
  return kit::config::build_server_config(kit::config::parse_config(text, "/etc/kit/k.conf"),
                                          "/etc/kit/k.conf");
}

std::string error_of(const std::string& text) {
  try {
    (void)build(text);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("the tuning checklist's directives are read", "[ch10][server_config]") {
  const ServerConfig c = build(R"(
worker_processes 2;
worker_rlimit_nofile 20000;
pid run/kit.pid;
error_log logs/error.log warn;
events {
  worker_connections 4096;
  use epoll;
  multi_accept on;
  accept_mutex on;
}
http {
  keepalive_timeout 30s;
  keepalive_requests 100000;
  client_header_timeout 10s;
  client_body_timeout 1m;
  send_timeout 500ms;
  sendfile on; tcp_nopush on; tcp_nodelay off;
  access_log logs/access.log combined;
  server {
    listen 127.0.0.1:8080 reuseport;
    listen 8081;
    root /srv/www;
    index start.html;
    location = /status { stub_status; }
    location /files/ { alias /srv/files/; }
    location /img/ { root data; }
  }
}
)");
  CHECK(c.worker_processes == 2);
  CHECK(c.worker_rlimit_nofile == 20000);
  CHECK(c.pid == "/etc/kit/run/kit.pid");  // relative to the file's directory
  CHECK(c.error_log == "/etc/kit/logs/error.log");
  CHECK(c.error_log_level == "warn");
  CHECK(c.worker_connections == 4096);
  CHECK(c.multi_accept);
  CHECK(c.accept_mutex);
  CHECK(c.keepalive_timeout == 30'000);
  CHECK(c.keepalive_requests == 100000);
  CHECK(c.client_header_timeout == 10'000);
  CHECK(c.client_body_timeout == 60'000);
  CHECK(c.send_timeout == 500);
  CHECK(c.sendfile);
  CHECK(c.tcp_nopush);
  CHECK_FALSE(c.tcp_nodelay);
  CHECK(c.access_log == "/etc/kit/logs/access.log");
  REQUIRE(c.servers.size() == 1);
  const auto& s = c.servers[0];
  REQUIRE(s.listens.size() == 2);
  CHECK(s.listens[0].host == "127.0.0.1");
  CHECK(s.listens[0].port == 8080);
  CHECK(s.listens[0].reuseport);
  CHECK(s.listens[1].host == "0.0.0.0");
  CHECK(s.listens[1].port == 8081);
  CHECK(s.root == "/srv/www");
  CHECK(s.index == "start.html");
  REQUIRE(s.locations.size() == 3);
  CHECK(s.locations[0].exact);
  CHECK(s.locations[0].path == "/status");
  CHECK(s.locations[0].stub_status);
  CHECK(s.locations[1].alias == "/srv/files/");
  CHECK(s.locations[2].root == "/etc/kit/data");
}

TEST_CASE("defaults are nginx's", "[ch10][server_config]") {
  const ServerConfig c = build("events {}\nhttp { server { } }\n");
  CHECK(c.error_log.empty());        // stderr
  CHECK(c.error_log_level.empty());  // the --log-level flag's
  CHECK(build("events {}\nerror_log stderr;\nhttp { server { } }\n").error_log_level == "error");
  CHECK(c.worker_processes == 1);
  CHECK(c.worker_connections == 512);
  CHECK_FALSE(c.multi_accept);
  CHECK_FALSE(c.accept_mutex);
  CHECK(c.keepalive_timeout == 75'000);
  CHECK(c.keepalive_requests == 1000);
  CHECK(c.client_header_timeout == 60'000);
  CHECK(c.send_timeout == 60'000);
  CHECK_FALSE(c.sendfile);
  CHECK(c.tcp_nodelay);
  CHECK(c.access_log.empty());
  CHECK(c.servers.at(0).listens.at(0).port == 80);
  CHECK(c.servers.at(0).root == "/etc/kit/html");
  CHECK(c.pid == "/etc/kit/c10k-kit.pid");
  CHECK(build("worker_processes auto; events {}").worker_processes >= 1);
}

TEST_CASE("every mistake is an error with file:line in nginx's words", "[ch10][server_config]") {
  struct Case {
    const char* text;
    const char* error;
  };
  const Case cases[] = {
      {"events {}\nlisen 80;", "/etc/kit/k.conf:2: unknown directive \"lisen\""},
      {"events {}\nlisten 80;", "/etc/kit/k.conf:2: \"listen\" directive is not allowed here"},
      {"events {}\nworker_processes;",
       "/etc/kit/k.conf:2: invalid number of arguments in \"worker_processes\" directive"},
      {"events {}\nworker_processes 0;",
       "/etc/kit/k.conf:2: worker_processes must be \"auto\" or 1 to 64"},
      {"events {}\nworker_processes two;",
       "/etc/kit/k.conf:2: invalid number \"two\" in \"worker_processes\" directive"},
      {"events {}\nevents {}", "/etc/kit/k.conf:2: \"events\" directive is duplicate"},
      {"events { multi_accept yes; }",
       "/etc/kit/k.conf:1: invalid value \"yes\" in \"multi_accept\" directive, it must be \"on\" "
       "or \"off\""},
      {"events { use kqueue; }",
       "/etc/kit/k.conf:1: invalid event type \"kqueue\" (the kit uses epoll)"},
      {"events { worker_connections 0; }",
       "/etc/kit/k.conf:1: worker_connections must be at least 1"},
      {"events;", "/etc/kit/k.conf:1: directive \"events\" has no opening \"{\""},
      {"events {}\nhttp {\n keepalive_timeout 10x;\n}",
       "/etc/kit/k.conf:3: invalid time \"10x\" in \"keepalive_timeout\" directive"},
      {"events {}\nhttp { sendfile on; sendfile off; }",
       "/etc/kit/k.conf:2: \"sendfile\" directive is duplicate"},
      {"events {}\nhttp { access_log a.log main; }",
       "/etc/kit/k.conf:2: unknown log format \"main\" (the kit writes \"combined\")"},
      {"events {}\nhttp { gzip on; }", "/etc/kit/k.conf:2: unknown directive \"gzip\" in http"},
      {"events {}\nhttp { server { listen 70000; } }",
       "/etc/kit/k.conf:2: invalid port in \"70000\" of the \"listen\" directive"},
      {"events {}\nhttp { server { listen 80 backlog=5; } }",
       "/etc/kit/k.conf:2: invalid parameter \"backlog=5\" in \"listen\" directive"},
      {"events {}\nhttp { server { listen 80 reuseport exclusive; } }",
       "/etc/kit/k.conf:2: \"reuseport\" and \"exclusive\" exclude each other"},
      {"events {}\nhttp { server { location status { } } }",
       "/etc/kit/k.conf:2: a location must start with \"/\""},
      {"events {}\nhttp { server { location / { root a; alias b; } } }",
       "/etc/kit/k.conf:2: \"root\" and \"alias\" exclude each other"},
      {"events {}\nhttp { server { location / { proxy_pass x; } } }",
       "/etc/kit/k.conf:2: unknown directive \"proxy_pass\" in a location"},
      {"events {}\nhttp { server { location / { stub_status on; } } }",
       "/etc/kit/k.conf:2: invalid number of arguments in \"stub_status\" directive"},
      {"events {}\nerror_log e.log loud;", "/etc/kit/k.conf:2: invalid log level \"loud\""},
      {"http {}", "/etc/kit/k.conf:0: no \"events\" section in configuration"},
  };
  for (const Case& c : cases) {
    INFO(c.text);
    CHECK(error_of(c.text) == c.error);
  }
}

TEST_CASE("chapter 12's directives are read", "[ch12][server_config]") {
  const ServerConfig c = build(R"(
events {}
http {
  open_file_cache max=2000 inactive=30s;
  open_file_cache_valid 5s;
  open_file_cache_bytes 64k;
  if_modified_since before;
  etag off;
  server {
    index start.html;
    location ^~ /static/ { root data; index main.html; }
    location = /favicon.ico { alias /srv/icons/kit.ico; }
    location /files/ { alias files/; }
  }
}
)");
  CHECK(c.open_file_cache_max == 2000);
  CHECK(c.open_file_cache_inactive == 30'000);
  CHECK(c.open_file_cache_valid == 5'000);
  CHECK(c.open_file_cache_bytes == 64 * 1024);
  CHECK(c.if_modified_since == "before");
  CHECK_FALSE(c.etag);
  REQUIRE(c.servers.size() == 1);
  const auto& s = c.servers[0];
  CHECK(s.index == "start.html");
  REQUIRE(s.locations.size() == 3);
  CHECK(s.locations[0].path == "/static/");  // ^~: a prefix, final as every prefix is here
  CHECK_FALSE(s.locations[0].exact);
  CHECK(s.locations[0].root == "/etc/kit/data");
  CHECK(s.locations[0].index == "main.html");
  CHECK(s.locations[1].exact);
  CHECK(s.locations[1].alias == "/srv/icons/kit.ico");
  CHECK_FALSE(s.locations[1].index.has_value());  // the server's applies
  CHECK(s.locations[2].alias == "/etc/kit/files/");
}

TEST_CASE("chapter 12's defaults are nginx's, the cache off", "[ch12][server_config]") {
  const ServerConfig c = build("events {}\nhttp { server { } }\n");
  CHECK(c.open_file_cache_max == 0);
  CHECK(c.open_file_cache_inactive == 60'000);
  CHECK(c.open_file_cache_valid == 60'000);
  CHECK(c.open_file_cache_bytes == 16384);
  CHECK(c.if_modified_since == "exact");
  CHECK(c.etag);
}

TEST_CASE("open_file_cache, its sizes and if_modified_since take nginx's forms",
          "[ch12][server_config]") {
  struct Case {
    const char* directive;
    uint64_t max, inactive, bytes;
    const char* if_modified_since;
  };
  const Case cases[] = {
      {"open_file_cache off;", 0, 60'000, 16384, "exact"},
      {"open_file_cache max=10;", 10, 60'000, 16384, "exact"},
      {"open_file_cache max=10 inactive=500ms;", 10, 500, 16384, "exact"},
      {"open_file_cache inactive=2m max=1;", 1, 120'000, 16384, "exact"},
      {"open_file_cache_bytes 512;", 0, 60'000, 512, "exact"},
      {"open_file_cache_bytes 0;", 0, 60'000, 0, "exact"},
      {"open_file_cache_bytes 16k;", 0, 60'000, 16384, "exact"},
      {"open_file_cache_bytes 16K;", 0, 60'000, 16384, "exact"},
      {"open_file_cache_bytes 1m;", 0, 60'000, 1024 * 1024, "exact"},
      {"open_file_cache_bytes 3M;", 0, 60'000, 3 * 1024 * 1024, "exact"},
      {"if_modified_since off;", 0, 60'000, 16384, "off"},
      {"if_modified_since exact;", 0, 60'000, 16384, "exact"},
      {"if_modified_since before;", 0, 60'000, 16384, "before"},
  };
  for (const Case& c : cases) {
    INFO(c.directive);
    const ServerConfig cfg = build("events {}\nhttp { " + std::string(c.directive) + " }");
    CHECK(cfg.open_file_cache_max == c.max);
    CHECK(cfg.open_file_cache_inactive == c.inactive);
    CHECK(cfg.open_file_cache_bytes == c.bytes);
    CHECK(cfg.if_modified_since == c.if_modified_since);
  }
}

TEST_CASE("chapter 12's mistakes are errors with file:line", "[ch12][server_config]") {
  struct Case {
    const char* text;
    const char* error;
  };
  const Case cases[] = {
      {"events {}\nhttp {\n open_file_cache max=0;\n}",
       "/etc/kit/k.conf:3: invalid \"open_file_cache\" parameter \"max=0\""},
      {"events {}\nhttp { open_file_cache inactive=10s; }",
       "/etc/kit/k.conf:2: \"open_file_cache\" must have the \"max\" parameter"},
      {"events {}\nhttp { open_file_cache max=10 size=1; }",
       "/etc/kit/k.conf:2: invalid \"open_file_cache\" parameter \"size=1\""},
      {"events {}\nhttp { open_file_cache max=10 inactive=soon; }",
       "/etc/kit/k.conf:2: invalid \"open_file_cache\" parameter \"inactive=soon\""},
      {"events {}\nhttp { open_file_cache max=ten; }",
       "/etc/kit/k.conf:2: invalid number \"ten\" in \"open_file_cache\" directive"},
      {"events {}\nhttp { open_file_cache on; }",
       "/etc/kit/k.conf:2: invalid \"open_file_cache\" parameter \"on\""},
      {"events {}\nhttp { open_file_cache; }",
       "/etc/kit/k.conf:2: invalid number of arguments in \"open_file_cache\" directive"},
      {"events {}\nhttp { open_file_cache max=1 inactive=1s x; }",
       "/etc/kit/k.conf:2: invalid number of arguments in \"open_file_cache\" directive"},
      {"events {}\nhttp { open_file_cache off; open_file_cache max=1; }",
       "/etc/kit/k.conf:2: \"open_file_cache\" directive is duplicate"},
      {"events {}\nhttp { open_file_cache_valid 1x; }",
       "/etc/kit/k.conf:2: invalid time \"1x\" in \"open_file_cache_valid\" directive"},
      {"events {}\nhttp { open_file_cache_bytes 1g; }",
       "/etc/kit/k.conf:2: invalid size \"1g\" in \"open_file_cache_bytes\" directive"},
      {"events {}\nhttp { open_file_cache_bytes 18014398509481984k; }",
       "/etc/kit/k.conf:2: invalid size \"18014398509481984k\" in \"open_file_cache_bytes\" "
       "directive"},
      {"events {}\nhttp { open_file_cache_bytes 1 2; }",
       "/etc/kit/k.conf:2: invalid number of arguments in \"open_file_cache_bytes\" directive"},
      {"events {}\nhttp { if_modified_since sometimes; }",
       "/etc/kit/k.conf:2: invalid value \"sometimes\" in \"if_modified_since\" directive, it "
       "must be \"off\", \"exact\" or \"before\""},
      {"events {}\nhttp { etag yes; }",
       "/etc/kit/k.conf:2: invalid value \"yes\" in \"etag\" directive, it must be \"on\" or "
       "\"off\""},
      {"events {}\nhttp { etag on; etag off; }",
       "/etc/kit/k.conf:2: \"etag\" directive is duplicate"},
      {"events {}\nhttp { server {\n location ~ php$ { } } }",
       "/etc/kit/k.conf:3: regular-expression locations (\"~\") are not supported by the kit"},
      {"events {}\nhttp { server {\n location ~* php$ { } } }",
       "/etc/kit/k.conf:3: regular-expression locations (\"~*\") are not supported by the kit"},
      {"events {}\nhttp { server { location ^~ static { } } }",
       "/etc/kit/k.conf:2: a location must start with \"/\""},
      {"events {}\nhttp { server { location / { index a.html; index b.html; } } }",
       "/etc/kit/k.conf:2: \"index\" directive is duplicate"},
      {"events {}\nhttp { server { location / { index; } } }",
       "/etc/kit/k.conf:2: invalid number of arguments in \"index\" directive"},
      {"events {}\nhttp { server { location / { index a { } } } }",
       "/etc/kit/k.conf:2: directive \"index\" takes no block"},
  };
  for (const Case& c : cases) {
    INFO(c.text);
    CHECK(error_of(c.text) == c.error);
  }
}
