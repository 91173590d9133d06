// lib/config/config_parser.hpp: nginx's configuration syntax and its error positions.
#include "config/config_parser.hpp"

#include <catch2/catch.hpp>
#include <string>

using kit::config::ConfigError;
using kit::config::Directive;
using kit::config::parse_config;

namespace {

// The message of the ConfigError parsing `text` throws ("" if it parses).
std::string error_of(const std::string& text) {
  try {
    (void)parse_config(text, "t.conf");
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("directives, arguments, blocks and lines", "[ch10][config_parser]") {
  const auto d = parse_config(
      "# a comment\n"
      "worker_processes 2;   # trailing comment\n"
      "events {\n"
      "  worker_connections 1024;\n"
      "}\n"
      "http { server { listen 127.0.0.1:8080 reuseport; location = /status { stub_status; } } }\n",
      "t.conf");
  REQUIRE(d.size() == 3);
  CHECK(d[0].name == "worker_processes");
  CHECK(d[0].args == std::vector<std::string>{"2"});
  CHECK(d[0].line == 2);
  CHECK_FALSE(d[0].has_block);
  CHECK(d[1].has_block);
  REQUIRE(d[1].block.size() == 1);
  CHECK(d[1].block[0].name == "worker_connections");
  CHECK(d[1].block[0].line == 4);
  const Directive& server = d[2].block.at(0);
  CHECK(server.block.at(0).args == std::vector<std::string>{"127.0.0.1:8080", "reuseport"});
  const Directive& location = server.block.at(1);
  CHECK(location.args == std::vector<std::string>{"=", "/status"});
  CHECK(location.block.at(0).name == "stub_status");
  CHECK(location.block.at(0).args.empty());
  CHECK(location.line == 6);
  CHECK(location.file == "t.conf");
}

TEST_CASE("quoted arguments keep spaces, semicolons and escapes", "[ch10][config_parser]") {
  const auto d = parse_config(
      "root \"/srv/my site\";\nindex 'a;b.html';\nx \"q\\\"uote\\\\\" 'it s';\nmulti \"a\nb\";\nz;",
      "t.conf");
  REQUIRE(d.size() == 5);
  CHECK(d[0].args[0] == "/srv/my site");
  CHECK(d[1].args[0] == "a;b.html");
  CHECK(d[2].args == std::vector<std::string>{"q\"uote\\", "it s"});
  CHECK(d[3].args[0] == "a\nb");
  CHECK(d[4].line == 6);  // the newline inside the quotes was counted
}

TEST_CASE("syntax errors name the file, the line and the problem", "[ch10][config_parser]") {
  struct Case {
    const char* text;
    const char* error;
  };
  const Case cases[] = {
      {"worker_processes 2", "t.conf:1: unexpected end of file, expecting \";\" or \"}\""},
      {"events {\n worker_connections 1;\n", "t.conf:3: unexpected end of file, expecting \"}\""},
      {"events { }\n}\n", "t.conf:2: unexpected \"}\""},
      {"a b }", "t.conf:1: directive \"a\" is not terminated by \";\""},
      {";", "t.conf:1: unexpected \";\""},
      {"{ }", "t.conf:1: unexpected \"{\""},
      {"root \"/srv;\n\n", "t.conf:1: unexpected end of file, unterminated quoted string"},
      {"root \"a\"b;", "t.conf:1: unexpected character after a quoted string"},
      {"root a\"b\";", "t.conf:1: unexpected quote in the middle of a word"},
      {"\n\nhttp {\n server {\n listen 80\n }\n}",
       "t.conf:6: directive \"listen\" is not terminated by \";\""},
  };
  for (const Case& c : cases) {
    INFO(c.text);
    CHECK(error_of(c.text) == c.error);
  }
}

TEST_CASE("an empty file and a file of comments are valid", "[ch10][config_parser]") {
  CHECK(parse_config("", "t.conf").empty());
  CHECK(parse_config("# nothing\n   \n# here", "t.conf").empty());
}

TEST_CASE("deep nesting is refused, not recursed into", "[ch10][config_parser]") {
  std::string text;
  for (int i = 0; i < 1000; ++i)
    text += "a {";
  CHECK(error_of(text).find("nested too deeply") != std::string::npos);
}

TEST_CASE("a missing file is a ConfigError with the errno text", "[ch10][config_parser]") {
  try {
    (void)kit::config::parse_config_file("/nonexistent/kit.conf");
    FAIL("no error");
  } catch (const ConfigError& e) {
    CHECK(std::string(e.what()) ==
          "/nonexistent/kit.conf:0: cannot open the file (2: No such file or directory)");
  }
}
