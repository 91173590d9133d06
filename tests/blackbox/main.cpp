// The black-box suite's entry point: Catch2's own-main pattern, with three options added so
// one binary can test any chapter — ctest registers it once per chapter (CMakeLists.txt):
//   blackbox --chapter ch04-select [--server PATH] [--root DIR] [catch options...]
// --server and --root default to the build tree this binary was built in.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>
#include <string>

#include "suite_config.hpp"

int main(int argc, char* argv[]) {
  Catch::Session session;
  std::string chapter, server, root = KIT_WWW_DIR;
  using Catch::clara::Opt;
  session.cli(session.cli() |
              Opt(chapter, "chNN-name")["--chapter"]("the chapter under test, e.g. ch04-select") |
              Opt(server, "path")["--server"]("its executable (default: <build>/chapters/<name>)") |
              Opt(root, "dir")["--root"]("the document root it serves (default: <build>/www)"));
  if (const int rc = session.applyCommandLine(argc, argv); rc != 0) return rc;
  if (!chapter.empty()) {
    if (server.empty()) server = std::string(KIT_CHAPTERS_DIR) + "/" + chapter;
    blackbox::set_chapter_under_test({.name = chapter, .server = server, .root = root});
  }
  return session.run();
}
