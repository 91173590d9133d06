// The chapter under test: which binary the suite starts and which document root it serves,
// set once by main() from --chapter/--server/--root before any test runs, and read by every
// scenario. Also how a scenario starts that chapter (start_chapter()) and checks it survived
// (require_healthy()), so no test spells out paths or argv.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "server_process.hpp"

namespace blackbox {

struct ChapterUnderTest {
  std::string name;              // "ch04-select"
  std::filesystem::path server;  // the chapter's executable
  std::filesystem::path root;    // the document root it serves (the build's www/)
};

// Called once by main(). The suite is single-threaded, so this is the one piece of state
// written after start-up, and it is written before the first test.
void set_chapter_under_test(ChapterUnderTest chapter);

// Fails the current test if main() was given no --chapter.
const ChapterUnderTest& chapter_under_test();

// "ch04-select" → 4; -1 when the name does not start with chNN.
int chapter_number(std::string_view chapter_name);

// Starts the chapter under test on a free port, with `extra_args` after the common ones.
ServerProcess start_chapter(const std::vector<std::string>& extra_args = {});

// The server is still running and its stderr holds no sanitizer report (a forked child's
// report does not stop the parent, so "alive" alone is not enough).
void require_healthy(ServerProcess& server);

// The exact bytes of a file below the document root.
std::string file_contents(std::string_view path_below_root);

}  // namespace blackbox
