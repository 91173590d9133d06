#include "suite_config.hpp"

#include <fmt/format.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <optional>

namespace blackbox {

const ChapterUnderTest& chapter_under_test() {
  // Read once, at the first test: the run's name is set by then and never changes.
  static const std::optional<ChapterUnderTest> chapter = []() -> std::optional<ChapterUnderTest> {
    const std::string name = Catch::getCurrentContext().getConfig()->name();
    if (chapter_number(name) < 0) return std::nullopt;
    const char* server = std::getenv("KIT_SERVER");
    const char* root = std::getenv("KIT_ROOT");
    return ChapterUnderTest{
        .name = name,
        .server = server != nullptr ? server : std::string(KIT_CHAPTERS_DIR) + "/" + name,
        .root = root != nullptr ? root : KIT_WWW_DIR};
  }();
  if (!chapter) FAIL("no chapter under test: run as `blackbox --name chNN-name`");
  return *chapter;
}

int chapter_number(std::string_view chapter_name) {
  if (chapter_name.size() < 4 || chapter_name.substr(0, 2) != "ch") return -1;
  const char tens = chapter_name[2], units = chapter_name[3];
  if (tens < '0' || tens > '9' || units < '0' || units > '9') return -1;
  return (tens - '0') * 10 + (units - '0');
}

ServerProcess start_chapter(const std::vector<std::string>& extra_args) {
  const ChapterUnderTest& chapter = chapter_under_test();
  ServerSpec spec{.name = chapter.name,
                  .executable = chapter.server,
                  .args = {"--port", "0", "--root", chapter.root.string()}};
  spec.args.insert(spec.args.end(), extra_args.begin(), extra_args.end());
  return ServerProcess(spec);
}

void require_healthy(ServerProcess& server) {
  const std::string log = server.stderr_text();
  INFO("server stderr:\n" << log);
  REQUIRE(server.alive());
  CHECK(log.find("Sanitizer") == std::string::npos);
  CHECK(log.find("runtime error:") == std::string::npos);
}

std::string file_contents(std::string_view path_below_root) {
  const std::filesystem::path path = chapter_under_test().root / path_below_root;
  std::ifstream in(path, std::ios::binary);
  if (!in) FAIL(fmt::format("cannot read {}", path.string()));
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace blackbox
