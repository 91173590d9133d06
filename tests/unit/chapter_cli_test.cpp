// lib/chapter/chapter_cli.hpp: the options every chapter binary shares.
#include "chapter/chapter_cli.hpp"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

namespace {

std::optional<int> parse(kit::ChapterCli& cli, std::vector<std::string> args) {
  args.insert(args.begin(), "chXX-test");
  std::vector<char*> argv;
  for (auto& a : args)
    argv.push_back(a.data());
  return cli.parse(static_cast<int>(argv.size()), argv.data());
}

}  // namespace

TEST_CASE("chapter CLI defaults", "[ch00][chapter_cli]") {
  kit::ChapterCli cli("chXX-test", "lesson");
  REQUIRE_FALSE(parse(cli, {}).has_value());
  CHECK(cli.options().host == "127.0.0.1");
  CHECK(cli.options().port == 8080);
  CHECK_FALSE(cli.options().root.empty());
}

TEST_CASE("chapter CLI reads host, port and root", "[ch00][chapter_cli]") {
  kit::ChapterCli cli("chXX-test", "lesson");
  REQUIRE_FALSE(parse(cli, {"--host", "0.0.0.0", "--port", "0", "--root", "/tmp"}).has_value());
  CHECK(cli.options().host == "0.0.0.0");
  CHECK(cli.options().port == 0);
  CHECK(cli.options().root == "/tmp");
}

TEST_CASE("chapter CLI rejects bad values with a non-zero exit", "[ch00][chapter_cli]") {
  struct Case {
    std::vector<std::string> args;
  };
  const std::vector<Case> cases = {
      {{"--port", "70000"}},     {{"--port", "http"}}, {{"--root", "/no/such/dir/anywhere"}},
      {{"--log-level", "loud"}}, {{"--unknown"}},
  };
  for (const auto& c : cases) {
    kit::ChapterCli cli("chXX-test", "lesson");
    auto exit_code = parse(cli, c.args);
    INFO(c.args.front());
    REQUIRE(exit_code.has_value());
    CHECK(*exit_code != 0);
  }
}

TEST_CASE("chapter CLI --help exits 0", "[ch00][chapter_cli]") {
  kit::ChapterCli cli("chXX-test", "lesson");
  auto exit_code = parse(cli, {"--help"});
  REQUIRE(exit_code.has_value());
  CHECK(*exit_code == 0);
}

TEST_CASE("worker connections option: default 10240, a value, and out of range refused",
          "[ch06][chapter_cli]") {
  size_t n = 0;
  kit::ChapterCli a("chNN-test", "test");
  a.add_worker_connections(n);
  REQUIRE_FALSE(parse(a, {}).has_value());
  CHECK(n == 10240);
  kit::ChapterCli b("chNN-test", "test");
  b.add_worker_connections(n);
  REQUIRE_FALSE(parse(b, {"--worker-connections", "64"}).has_value());
  CHECK(n == 64);
  kit::ChapterCli c("chNN-test", "test");
  c.add_worker_connections(n);
  CHECK(parse(c, {"--worker-connections", "0"}).value_or(0) != 0);
}

TEST_CASE("a chapter's own flag, bounded number and choice: values kept, bad ones refused",
          "[ch00][chapter_cli]") {
  const auto make = [](kit::ChapterCli& cli, bool& flag, size_t& n, std::string& word) {
    cli.add_flag("--fast", flag, "a flag");
    cli.add_option("--count", n, "a number", 2, 9);
    cli.add_choice("--mode", word, "a word", {"one", "two"});
  };
  bool flag = false;
  size_t n = 5;
  std::string word = "one";
  kit::ChapterCli defaults("chNN-test", "test");
  make(defaults, flag, n, word);
  REQUIRE_FALSE(parse(defaults, {}).has_value());
  CHECK_FALSE(flag);
  CHECK(n == 5);
  CHECK(word == "one");

  kit::ChapterCli given("chNN-test", "test");
  make(given, flag, n, word);
  REQUIRE_FALSE(parse(given, {"--fast", "--count", "9", "--mode", "two"}).has_value());
  CHECK(flag);
  CHECK(n == 9);
  CHECK(word == "two");

  for (const std::vector<std::string>& bad :
       {std::vector<std::string>{"--count", "1"}, {"--count", "10"}, {"--mode", "three"}}) {
    kit::ChapterCli cli("chNN-test", "test");
    make(cli, flag, n, word);
    INFO(bad[0] << " " << bad[1]);
    const auto exit_code = parse(cli, bad);
    REQUIRE(exit_code.has_value());
    CHECK(*exit_code != 0);
  }
}
