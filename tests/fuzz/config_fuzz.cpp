// Fuzz target for lib/config/config_parser.hpp and server_config.hpp (libFuzzer). Input: the
// text of an nginx.conf. It goes through parse_config() (the in-memory parser: no temp file
// per run) and build_server_config(), as load_server_config() does.
// Property: both either succeed or throw kit::config::ConfigError — never crash, never throw
// anything else — and the error names the file and a line that exists (0 for the whole file).
// A configuration that is accepted keeps the header's promises: paths absolute (relative ones
// resolved against the file's directory), ports 1–65535, every server listening somewhere,
// locations starting with "/", worker counts at least 1, only the values the directives allow.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <string>
#include <string_view>

#include "config/config_parser.hpp"
#include "config/server_config.hpp"
#include "fuzz_failure.hpp"

namespace {

using kit::config::ConfigError;
using kit::config::ServerConfig;

// Absolute, so build_server_config() never needs the working directory.
const std::string kFile = "/etc/kit/fuzz.conf";

bool absolute(const std::string& path) {
  return !path.empty() && path.front() == '/';
}

// Empty when `c` keeps the header's promises, else the first one broken.
std::string broken_promise(const ServerConfig& c) {
  if (c.worker_processes < 1) return "worker_processes < 1";
  if (c.worker_connections < 1) return "worker_connections < 1";
  if (!absolute(c.pid)) return "pid is not absolute";
  if (!c.error_log.empty() && !absolute(c.error_log)) return "error_log is not absolute";
  if (!c.access_log.empty() && !absolute(c.access_log)) return "access_log is not absolute";
  if (c.if_modified_since != "off" && c.if_modified_since != "exact" &&
      c.if_modified_since != "before") {
    return "if_modified_since has a value the directive refuses";
  }
  for (const auto& s : c.servers) {
    if (s.listens.empty()) return "a server listens nowhere";
    if (!absolute(s.root)) return "a server root is not absolute";
    for (const auto& l : s.listens) {
      if (l.port == 0) return "a listen has port 0";
      if (l.reuseport && l.exclusive) return "a listen is both reuseport and exclusive";
    }
    for (const auto& loc : s.locations) {
      if (loc.path.empty() || loc.path.front() != '/') return "a location not starting with /";
      if (loc.root && loc.alias) return "a location with both root and alias";
      if ((loc.root && !absolute(*loc.root)) || (loc.alias && !absolute(*loc.alias))) {
        return "a location root or alias is not absolute";
      }
    }
  }
  return "";
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const ServerConfig config =
        kit::config::build_server_config(kit::config::parse_config(text, kFile), kFile);
    if (const std::string broken = broken_promise(config); !broken.empty()) {
      kit::fuzz::property_failed("config: accepted, but " + broken, text, "");
    }
  } catch (const ConfigError& e) {
    const auto lines = static_cast<int>(std::count(text.begin(), text.end(), '\n')) + 1;
    if (e.file() != kFile || e.line() < 0 || e.line() > lines) {
      kit::fuzz::property_failed("config: the error names a place that does not exist", text,
                                 e.what());
    }
  } catch (const std::exception& e) {
    kit::fuzz::property_failed("config: threw something other than ConfigError", text, e.what());
  } catch (...) {
    kit::fuzz::property_failed("config: threw a non-std::exception", text, "");
  }
  return 0;
}
