// The chapter under test: which binary the suite starts and which document root it serves,
// read by every scenario. The suite runs on Catch's own main(), so the chapter is the run's
// name — `blackbox --name ch04-select` (ctest passes it) — and the binary and root default to
// the build tree this suite was built in; KIT_SERVER and KIT_ROOT in the environment override
// them (to test another build). Also how a scenario starts that chapter (start_chapter()) and
// checks it survived (require_healthy()), so no test spells out paths or argv.
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

// Fails the current test if the run has no chapter's name (--name chNN-name).
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
