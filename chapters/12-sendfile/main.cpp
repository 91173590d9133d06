// Chapter 12 — zero-copy static files, and a static server that is complete.
//
// Chapter 11's worker, per 612-byte request on one keep-alive connection, made seven system
// calls: read the request, openat2 + fstat the file, sendmsg the head, pread the file into a
// buffer, send that buffer, close the file. This chapter removes what is not needed:
//
//   sendfile on;         the file's bytes go from the page cache to the socket (sendfile(2)):
//                        no pread, no copy through the worker's memory
//   tcp_nopush on;       TCP_CORK around head + file: the head leaves in the file's first
//                        segment, not as a small packet of its own; uncorked at the end
//   open_file_cache max=1000 inactive=20s;   open_file_cache_valid 1s;
//                        no openat2/fstat/close per request: a worker keeps files open, and
//                        checks them again once per `valid`; files up to open_file_cache_bytes
//                        (16k, the kit's own) are kept in memory and leave with their head in
//                        one sendmsg
//
// so that a small file costs a read and a sendmsg. And the static semantics an nginx operator
// expects: ETag and Last-Modified, 304 for If-None-Match / If-Modified-Since, one Range →
// 206 or 416, HEAD, index, `location` (= exact, prefix) with root or alias.
// The lesson code: lib/http/response_sender.cpp (regions "ch12": cork, sendfile),
// lib/static/open_file_cache.cpp, lib/static/static_handler.cpp, lib/static/static_location.hpp,
// lib/http/conditional.cpp and byte_range.cpp. Below: the configuration becomes the handler.
#include <memory>
#include <string>
#include <vector>

#include "http/conditional.hpp"
#include "process/accept_modes.hpp"
#include "process/master_main.hpp"
#include "static/static_handler.hpp"

namespace {

using kit::config::ServerConfig;

// ---- lesson: ch12 a configuration becomes a static handler ----
std::unique_ptr<kit::http::Handler> static_handler_for(const ServerConfig& c) {
  const kit::config::Server& server = c.servers[0];
  kit::http::StaticLocation base;  // what no location matches: the server's root and index
  base.dir = server.root;
  base.index = server.index;
  std::vector<kit::http::StaticLocation> locations;
  for (const kit::config::Location& l : server.locations) {
    if (l.stub_status) continue;  // answered before the handler (chapter 10)
    kit::http::StaticLocation& loc = locations.emplace_back();
    loc.path = l.path;
    loc.exact = l.exact;
    loc.alias = l.alias.has_value();
    loc.dir = l.alias ? *l.alias : l.root.value_or(server.root);
    loc.index = l.index.value_or(server.index);
  }
  kit::http::StaticOptions o;
  o.etag = c.etag;
  o.if_modified_since = c.if_modified_since == "off"      ? kit::http::IfModifiedSince::kOff
                        : c.if_modified_since == "before" ? kit::http::IfModifiedSince::kBefore
                                                          : kit::http::IfModifiedSince::kExact;
  if (c.open_file_cache_max > 0) {
    o.cache = kit::http::OpenFileCacheOptions{
        c.open_file_cache_max, static_cast<int64_t>(c.open_file_cache_inactive),
        static_cast<int64_t>(c.open_file_cache_valid), c.open_file_cache_bytes};
  }
  return std::make_unique<kit::http::StaticHandler>(std::move(base), std::move(locations), o);
}
// ---- end lesson ----

}  // namespace

int main(int argc, char** argv) {
  kit::AcceptModes accept;  // chapter 11's, taken by name
  std::string sendfile = "on", nopush = "on", cache = "on";

  kit::MasterChapter chapter;
  chapter.name = "ch12-sendfile";
  chapter.lesson =
      "Chapter 12: chapter 11 serving files with sendfile(2) and TCP_CORK, an open-file cache "
      "(small files from memory), and nginx's static semantics: ETag/Last-Modified, 304, "
      "Range (206/416), HEAD, index, location = / prefix with root or alias.";
  kit::use_accept_modes(chapter, accept);
  chapter.full_static = true;
  chapter.add_options = [&, accept_options = chapter.add_options](kit::ChapterCli& cli) {
    accept_options(cli);
    cli.add_choice("--sendfile", sendfile, "without -c: sendfile on|off", {"on", "off"});
    cli.add_choice("--tcp-nopush", nopush, "without -c: tcp_nopush on|off", {"on", "off"});
    cli.add_choice("--open-file-cache", cache,
                   "without -c: on (open_file_cache max=1000 inactive=20s; "
                   "open_file_cache_valid 1s) or off",
                   {"on", "off"});
  };
  chapter.apply_flags = [&, accept_flags = chapter.apply_flags](ServerConfig& c) {
    accept_flags(c);
    c.sendfile = sendfile == "on";
    c.tcp_nopush = nopush == "on";
    c.open_file_cache_max = cache == "on" ? 1000 : 0;
    c.open_file_cache_inactive = 20'000;
    c.open_file_cache_valid = 1'000;
  };
  chapter.check_supported = [accept_check = chapter.check_supported](const ServerConfig& c) {
    accept_check(c);
    if (!c.tcp_nodelay) {
      throw kit::config::ConfigError(
          c.file, 0, "tcp_nodelay off is not served: every chapter sets TCP_NODELAY at accept");
    }
  };
  chapter.configure_worker = [accept_worker = chapter.configure_worker](const ServerConfig& c,
                                                                        kit::CycleOptions& o) {
    accept_worker(c, o);
    o.connection.send = {c.sendfile, c.tcp_nopush};
    // An idle keep-alive connection holds no memory: its read buffer and request pool go back
    // to the worker's recycling pool, and the next busy connection takes them without malloc.
    // Chapter 09's connection pool is left out: between requests it held only its 512-byte
    // block (the 8 KiB read buffer never fit in it) — nginx keeps that c->pool per connection.
    o.connection.connection_pool_size = 0;
    o.recycle_buffers = true;
  };
  chapter.make_handler = static_handler_for;
  return kit::master_main(argc, argv, chapter);
}
