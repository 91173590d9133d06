// lib/http/byte_range.hpp: every row is one Range value against one file size.
#include "http/byte_range.hpp"

#include <catch2/catch.hpp>
#include <cstdint>
#include <string_view>

using kit::http::ByteRange;
using kit::http::parse_range;
using kit::http::RangeKind;

CATCH_REGISTER_ENUM(kit::http::RangeKind, kit::http::RangeKind::kNone,
                    kit::http::RangeKind::kSatisfiable, kit::http::RangeKind::kUnsatisfiable)

namespace {

constexpr uint64_t kMax = UINT64_MAX;

struct Row {
  std::string_view value;
  uint64_t size;
  RangeKind kind;
  uint64_t offset = 0;  // checked when kind == kSatisfiable
  uint64_t length = 0;
};

void check_rows(const Row* begin, const Row* end) {
  for (const Row* row = begin; row != end; ++row) {
    DYNAMIC_SECTION('"' << row->value << "\" of " << row->size << " bytes") {
      INFO("Range: " << row->value << " / size " << row->size);
      const ByteRange r = parse_range(row->value, row->size);
      CHECK(r.kind == row->kind);
      if (row->kind == RangeKind::kSatisfiable) {
        CHECK(r.offset == row->offset);
        CHECK(r.length == row->length);
      }
    }
  }
}

template <size_t N>
void check_rows(const Row (&rows)[N]) {
  check_rows(rows, rows + N);
}

}  // namespace

TEST_CASE("first-last, first- and -suffix select the bytes asked for", "[byte_range][ch12]") {
  constexpr Row kRows[] = {
      {"bytes=0-499", 1000, RangeKind::kSatisfiable, 0, 500},
      {"bytes=500-999", 1000, RangeKind::kSatisfiable, 500, 500},
      {"bytes=500-", 1000, RangeKind::kSatisfiable, 500, 500},
      {"bytes=-500", 1000, RangeKind::kSatisfiable, 500, 500},
      {"bytes=0-0", 1000, RangeKind::kSatisfiable, 0, 1},
      {"bytes=999-999", 1000, RangeKind::kSatisfiable, 999, 1},
      {"bytes=999-", 1000, RangeKind::kSatisfiable, 999, 1},
      {"bytes=-1", 1000, RangeKind::kSatisfiable, 999, 1},
      {"bytes=0-", 1000, RangeKind::kSatisfiable, 0, 1000},
      {"bytes=-1000", 1000, RangeKind::kSatisfiable, 0, 1000},
  };
  check_rows(kRows);
}

TEST_CASE("a one-byte file has exactly one satisfiable byte", "[byte_range][ch12]") {
  constexpr Row kRows[] = {
      {"bytes=0-0", 1, RangeKind::kSatisfiable, 0, 1},
      {"bytes=0-", 1, RangeKind::kSatisfiable, 0, 1},
      {"bytes=-1", 1, RangeKind::kSatisfiable, 0, 1},
      {"bytes=0-5", 1, RangeKind::kSatisfiable, 0, 1},
      {"bytes=-5", 1, RangeKind::kSatisfiable, 0, 1},
      {"bytes=1-", 1, RangeKind::kUnsatisfiable},
      {"bytes=1-1", 1, RangeKind::kUnsatisfiable},
  };
  check_rows(kRows);
}

TEST_CASE("past the end: a last-pos is clamped, a suffix means the whole file",
          "[byte_range][ch12]") {
  constexpr Row kRows[] = {
      {"bytes=5-5000", 1000, RangeKind::kSatisfiable, 5, 995},
      {"bytes=0-1000", 1000, RangeKind::kSatisfiable, 0, 1000},
      {"bytes=-1001", 1000, RangeKind::kSatisfiable, 0, 1000},
      {"bytes=-5000", 1000, RangeKind::kSatisfiable, 0, 1000},
  };
  check_rows(kRows);
}

TEST_CASE("a first-pos at or past the end and -0 are unsatisfiable (416)", "[byte_range][ch12]") {
  constexpr Row kRows[] = {
      {"bytes=1000-", 1000, RangeKind::kUnsatisfiable},
      {"bytes=1000-1000", 1000, RangeKind::kUnsatisfiable},
      {"bytes=1000-2000", 1000, RangeKind::kUnsatisfiable},
      {"bytes=-0", 1000, RangeKind::kUnsatisfiable},
      {"bytes=-000", 1000, RangeKind::kUnsatisfiable},
  };
  check_rows(kRows);
}

TEST_CASE("every valid range of an empty file is unsatisfiable", "[byte_range][ch12]") {
  constexpr Row kRows[] = {
      {"bytes=0-0", 0, RangeKind::kUnsatisfiable},
      {"bytes=0-", 0, RangeKind::kUnsatisfiable},
      {"bytes=0-100", 0, RangeKind::kUnsatisfiable},
      {"bytes=-1", 0, RangeKind::kUnsatisfiable},
      {"bytes=-0", 0, RangeKind::kUnsatisfiable},
      {"bytes=5-2", 0, RangeKind::kNone},  // invalid before it is unsatisfiable
      {"bytes=abc", 0, RangeKind::kNone},
  };
  check_rows(kRows);
}

TEST_CASE("numbers too big for 64 bits saturate instead of failing", "[byte_range][ch12]") {
  constexpr Row kRows[] = {
      {"bytes=99999999999999999999-", 1000, RangeKind::kUnsatisfiable},
      {"bytes=18446744073709551616-", 1000, RangeKind::kUnsatisfiable},
      {"bytes=0-99999999999999999999", 1000, RangeKind::kSatisfiable, 0, 1000},
      {"bytes=10-18446744073709551616", 1000, RangeKind::kSatisfiable, 10, 990},
      {"bytes=-99999999999999999999", 1000, RangeKind::kSatisfiable, 0, 1000},
      {"bytes=99999999999999999999-5", 1000, RangeKind::kNone},  // still last < first
      // The largest file there can be: no wrap-around in last - first + 1.
      {"bytes=0-", kMax, RangeKind::kSatisfiable, 0, kMax},
      {"bytes=18446744073709551614-", kMax, RangeKind::kSatisfiable, kMax - 1, 1},
      {"bytes=-18446744073709551615", kMax, RangeKind::kSatisfiable, 0, kMax},
      {"bytes=18446744073709551615-", kMax, RangeKind::kUnsatisfiable},
  };
  check_rows(kRows);
}

TEST_CASE("the unit is case-insensitive, OWS around the range-spec is tolerated",
          "[byte_range][ch12]") {
  constexpr Row kRows[] = {
      {"BYTES=1-2", 10, RangeKind::kSatisfiable, 1, 2},
      {"Bytes=1-2", 10, RangeKind::kSatisfiable, 1, 2},
      {" bytes=1-2", 10, RangeKind::kSatisfiable, 1, 2},  // OWS is not part of a field value
      {"bytes=1-2 \t", 10, RangeKind::kSatisfiable, 1, 2},
      {"bytes= 1-2", 10, RangeKind::kSatisfiable, 1, 2},
      {"bytes=\t 1-2", 10, RangeKind::kSatisfiable, 1, 2},
      {"bytes=  -3", 10, RangeKind::kSatisfiable, 7, 3},
      // Empty list elements are allowed by the # rule: still one range.
      {"bytes=1-2,", 10, RangeKind::kSatisfiable, 1, 2},
      {"bytes= , 1-2 ,, ", 10, RangeKind::kSatisfiable, 1, 2},
  };
  check_rows(kRows);
}

TEST_CASE("several ranges are served as the whole file", "[byte_range][ch12]") {
  constexpr Row kRows[] = {
      {"bytes=1-2,3-4", 10, RangeKind::kNone},
      {"bytes=0-0, -1", 10, RangeKind::kNone},
      {"bytes=1-2 , 1-2", 10, RangeKind::kNone},
      {"bytes=100-200,300-400", 10, RangeKind::kNone},  // even when none is satisfiable
  };
  check_rows(kRows);
}

TEST_CASE("syntax errors and other units are ignored, not 416", "[byte_range][ch12]") {
  constexpr Row kRows[] = {
      {"", 10, RangeKind::kNone},
      {"bytes", 10, RangeKind::kNone},
      {"bytes=", 10, RangeKind::kNone},
      {"bytes= , ", 10, RangeKind::kNone},
      {"bytes:1-2", 10, RangeKind::kNone},
      {"=1-2", 10, RangeKind::kNone},
      {"items=0-1", 10, RangeKind::kNone},
      {"bytesx=0-1", 10, RangeKind::kNone},
      {"bytes =1-2", 10, RangeKind::kNone},  // no whitespace before '='
      {"bytes=5-2", 10, RangeKind::kNone},   // last < first is invalid
      {"bytes=abc", 10, RangeKind::kNone},
      {"bytes=a-b", 10, RangeKind::kNone},
      {"bytes=1-b", 10, RangeKind::kNone},
      {"bytes=1", 10, RangeKind::kNone},
      {"bytes=-", 10, RangeKind::kNone},
      {"bytes=--1", 10, RangeKind::kNone},
      {"bytes=1--2", 10, RangeKind::kNone},
      {"bytes=1-2-3", 10, RangeKind::kNone},
      {"bytes=+1-2", 10, RangeKind::kNone},
      {"bytes=0x1-2", 10, RangeKind::kNone},
      {"bytes=1 -2", 10, RangeKind::kNone},  // no whitespace inside a range-spec
      {"bytes=1- 2", 10, RangeKind::kNone},
      {"bytes=- 1", 10, RangeKind::kNone},
      {"bytes=1-2;x", 10, RangeKind::kNone},
      {"bytes=1-2,abc", 10, RangeKind::kNone},
  };
  check_rows(kRows);
}
