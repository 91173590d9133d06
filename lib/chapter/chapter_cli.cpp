#include "chapter/chapter_cli.hpp"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <exception>

#include "core/log.hpp"
#include "net/listener.hpp"

namespace kit {

ChapterCli::ChapterCli(std::string name, std::string lesson)
    : name_(std::move(name)), app_(std::make_unique<CLI::App>(std::move(lesson), name_)) {
  options_.root = KIT_DEFAULT_ROOT;
  app_->add_option("--host", options_.host, "IPv4 address to listen on")->capture_default_str();
  app_->add_option("--port", options_.port, "TCP port to listen on (0: any free port)")
      ->capture_default_str();
  app_->add_option("--root", options_.root, "document root served to clients")
      ->capture_default_str()
      ->check(CLI::ExistingDirectory);
  app_->add_option("--log-level", options_.log_level,
                   "error_log level: debug, info, notice, warn, error, crit")
      ->capture_default_str()
      ->check(CLI::IsMember({"debug", "info", "notice", "warn", "error", "crit"}));
}

ChapterCli::~ChapterCli() = default;

std::optional<int> ChapterCli::parse(int argc, char** argv) {
  try {
    app_->parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app_->exit(e);
  }
  LogLevel level{};
  if (parse_log_level(options_.log_level, level)) set_log_level(level);
  return std::nullopt;
}

void announce_listening(std::string_view name, int listen_fd, const ServerOptions& options) {
  fmt::print("{}: listening on http://{}:{}/ root={}\n", name, options.host, local_port(listen_fd),
             options.root.string());
  std::fflush(stdout);
}

int run_guarded(std::string_view name, const std::function<int()>& body) {
  try {
    return body();
  } catch (const std::exception& e) {
    fmt::print(stderr, "{}: {}\n", name, e.what());
    return 1;
  }
}

void ChapterCli::add_worker_connections(size_t& value) {
  value = 10240;
  app_->add_option("--worker-connections", value, "most connections served at once")
      ->capture_default_str()
      ->check(CLI::Range(1, 1000000));
}

void ChapterCli::add_flag(const std::string& name, bool& value, const std::string& help) {
  app_->add_flag(name, value, help);
}

void ChapterCli::add_option(const std::string& name, size_t& value, const std::string& help,
                            size_t min, size_t max) {
  app_->add_option(name, value, help)->capture_default_str()->check(CLI::Range(min, max));
}

void ChapterCli::add_choice(const std::string& name, std::string& value, const std::string& help,
                            const std::vector<std::string>& choices) {
  app_->add_option(name, value, help)->capture_default_str()->check(CLI::IsMember(choices));
}

}  // namespace kit
