// The command line every chapter binary shares, so the tests and the bench can start any
// chapter the same way: --host, --port (0 = any free port), --root, --log-level, --help.
// A chapter adds its own options before parse(): add_flag / add_option / add_choice here, or
// anything CLI11 can do through app() (lib/ code that includes <CLI/CLI.hpp>). CLI11 stays out
// of this header: it is header-only and costs seconds of compile time in every file that
// includes it, and every chapter's main.cpp includes this one. When the server is ready it prints
// one line to stdout — "<name>: listening on http://127.0.0.1:8080/ root=<dir>" — which the
// black-box tests and the bench wait for. nginx counterpart: ngx_get_options() plus the
// `listen` and `root` directives (chapter 10 replaces flags with a config file).
// Introduced in chapter 00.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace CLI {
class App;
}  // namespace CLI

namespace kit {

struct ServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 8080;
  std::filesystem::path root;  // defaults to the bundled www/ of the build tree
  std::string log_level = "notice";
};

// Owns the CLI11 app and the parsed common options.
class ChapterCli {
 public:
  // `name` is the binary's name (ch00-iterative); `lesson` is the --help description.
  ChapterCli(std::string name, std::string lesson);
  ~ChapterCli();
  ChapterCli(const ChapterCli&) = delete;
  ChapterCli& operator=(const ChapterCli&) = delete;

  // The CLI11 app itself, for what the helpers below do not cover.
  [[nodiscard]] CLI::App& app() { return *app_; }
  [[nodiscard]] const ServerOptions& options() const { return options_; }
  [[nodiscard]] const std::string& name() const { return name_; }

  // Adds --worker-connections (nginx's worker_connections, default 512 there): the most
  // connections an event-driven chapter serves at once. The kit's default, 10240, leaves room
  // for C10K tests within the 20,000-descriptor limit of the lab machines. Chapters 06+.
  void add_worker_connections(size_t& value);

  // A chapter's own options, shown in --help with their defaults: a flag, a number within
  // [min, max], a word out of `choices`.
  void add_flag(const std::string& name, bool& value, const std::string& help);
  void add_option(const std::string& name, size_t& value, const std::string& help, size_t min,
                  size_t max);
  void add_choice(const std::string& name, std::string& value, const std::string& help,
                  const std::vector<std::string>& choices);

  // Parses argv and applies --log-level. Returns an exit code when the program should stop
  // now (--help printed: 0; bad arguments: 2), nullopt to go on.
  [[nodiscard]] std::optional<int> parse(int argc, char** argv);

 private:
  std::string name_;
  std::unique_ptr<CLI::App> app_;
  ServerOptions options_;
};

// Prints the ready line (see above) and flushes stdout.
void announce_listening(std::string_view name, int listen_fd, const ServerOptions& options);

// Runs a chapter's body, catching set-up errors once (STYLE rule 11): an exception is
// printed as "<name>: <what>" on stderr and becomes exit status 1.
int run_guarded(std::string_view name, const std::function<int()>& body);

}  // namespace kit
