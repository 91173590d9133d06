#include "cycle/timeout_options.hpp"

#include <CLI/CLI.hpp>
#include <string>

#include "timer/time_value.hpp"

namespace kit {
namespace {

void add_time(CLI::App& app, const std::string& name, Msec& value, const std::string& def,
              const std::string& help) {
  app.add_option_function<std::string>(
         "--" + name,
         [&value, name](const std::string& text) {
           const auto ms = parse_nginx_time(text);
           if (!ms) {
             throw CLI::ValidationError("--" + name,
                                        "\"" + text + "\" is not a time (e.g. 60s, 500ms, 1m30s)");
           }
           value = *ms;
         },
         help)
      ->default_str(def)
      ->type_name("TIME");
  value = *parse_nginx_time(def);
}

}  // namespace

void add_timeout_options(CLI::App& app, Timeouts& timeouts) {
  add_time(app, "client_header_timeout", timeouts.client_header, "60s",
           "close a client that has not sent a whole request head within this time, however "
           "it drips it");
  add_time(app, "client_body_timeout", timeouts.client_body, "60s",
           "close a client that sends no request-body bytes for this long");
  add_time(app, "send_timeout", timeouts.send, "60s",
           "close a client that accepts no response bytes for this long");
  add_time(app, "keepalive_timeout", timeouts.keepalive, "75s",
           "close an idle keep-alive connection after this long (0 turns keep-alive off)");
  timeouts.keepalive_requests = 1000;
  app.add_option("--keepalive_requests", timeouts.keepalive_requests,
                 "requests served on one connection before it closes")
      ->capture_default_str()
      ->check(CLI::Range(uint64_t{1}, uint64_t{1} << 40));
}

}  // namespace kit
