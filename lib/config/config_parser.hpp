// The nginx configuration syntax, without meaning: a file is a list of directives, each a
// name, arguments and either ";" or a { block } of more directives; "#" starts a comment;
// arguments may be quoted ("..." or '...', with \" \' \\ \n \t escapes). Every directive
// keeps its file and line, so the layer that gives them meaning (server_config) can report
// "nginx.conf:12: unknown directive "lisen"" the way nginx does.
//
//   events { worker_connections 1024; }     →  Directive{name "events", block {
//                                                  Directive{"worker_connections", {"1024"}}}}
//
// Invariant: a parsed tree is syntactically valid; syntax errors throw ConfigError at the first
// offending token. nginx counterpart: ngx_conf_parse() / ngx_conf_read_token() (ngx_conf_file.c).
// Introduced in chapter 10. Alternative not taken: a general-purpose format (YAML, TOML), which
// would not let an nginx operator's configuration run unchanged.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace kit::config {

// "file:line: message" — what nginx prints after "[emerg]".
class ConfigError : public std::runtime_error {
 public:
  ConfigError(const std::string& file, int line, const std::string& message);
  [[nodiscard]] const std::string& file() const { return file_; }
  [[nodiscard]] int line() const { return line_; }

 private:
  std::string file_;
  int line_;
};

struct Directive {
  std::string name;
  std::vector<std::string> args;
  bool has_block = false;
  std::vector<Directive> block;
  std::string file;
  int line = 0;  // where the name is
};

// Parses `text`; `file` names it in errors. Throws ConfigError.
[[nodiscard]] std::vector<Directive> parse_config(std::string_view text, const std::string& file);

// Reads and parses a file. Throws ConfigError (also when it cannot be read: errno text).
[[nodiscard]] std::vector<Directive> parse_config_file(const std::string& path);

}  // namespace kit::config
