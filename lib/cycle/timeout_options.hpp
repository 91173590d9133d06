// The timeout directives as command-line options, under nginx's own names and with its time
// syntax and defaults: --client_header_timeout 60s, --client_body_timeout 60s,
// --send_timeout 60s, --keepalive_timeout 75s, --keepalive_requests 1000. Chapter 10 reads the
// same names from a configuration file. Introduced in chapter 08.
#pragma once

#include "cycle/connection_timeouts.hpp"

namespace CLI {
class App;
}  // namespace CLI

namespace kit {

// Adds the five options to `app`; they write into `timeouts`, which must outlive parsing.
void add_timeout_options(CLI::App& app, Timeouts& timeouts);

}  // namespace kit
