// The expectations table: for every black-box scenario, which chapters pass it and which are
// expected to fail it because the failure *is* their lesson (STYLE rule 20). A lesson row is
// not a skip: the scenario then asserts the limit itself (e.g. "the fresh client is NOT
// answered while the idle ones hold the server, and IS answered once they leave"), so a
// chapter that fails in the wrong way — or stops failing — still fails the test.
// Rows also carry the scenario's load for that chapter (how many clients) and any extra
// server arguments, so the per-chapter differences live here and nowhere else.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace blackbox {

// Expected failures come in the two shapes the ladder teaches; the test asserts the shape.
enum class Outcome {
  kPass,              // the scenario's normal assertions hold
  kStalls,            // a fresh client is NOT answered while the others hold the server, and
                      // IS answered once they leave
  kRefusesPastLimit,  // connections past a fixed limit are refused cleanly (503 or closed)
                      // while those below it are served and the server lives
  kNoTimeout,         // the chapter has no timers: the slow or idle client keeps its
                      // connection past the window and is still served afterwards
};

struct Expectation {
  std::string_view scenario;  // scenario id, as used by the TEST_CASE
  std::string_view chapter;   // "ch03" (matches ch03-threadpool), "<ch08" (every chapter
                              // before 08), or "*" for all others
  Outcome outcome;
  int clients;                   // the scenario's load on this chapter; 0 where it has none
  std::string_view server_args;  // extra server arguments, space-separated
  std::string_view why;          // the lesson, or why the load differs
};

// Every row, in table order (one "*" row per scenario: the earliest chapter that passes it).
std::span<const Expectation> expectation_table();

// The row for `scenario` on the chapter under test: its own row if any, else the "*" row.
// Fails the test if the scenario is missing from the table.
const Expectation& expectation(std::string_view scenario);

// server_args split on spaces.
std::vector<std::string> server_args(const Expectation& e);

}  // namespace blackbox
