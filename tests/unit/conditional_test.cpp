// lib/http/conditional.hpp: ETags, If-None-Match / If-Modified-Since (304) and If-Range.
#include "http/conditional.hpp"

#include <catch2/catch.hpp>
#include <cstdint>
#include <ctime>
#include <initializer_list>
#include <string>
#include <string_view>

using kit::http::Header;
using kit::http::IfModifiedSince;
using kit::http::RequestHead;

CATCH_REGISTER_ENUM(kit::http::IfModifiedSince, kit::http::IfModifiedSince::kOff,
                    kit::http::IfModifiedSince::kExact, kit::http::IfModifiedSince::kBefore)

namespace {

constexpr std::string_view kEtag = "\"5f5e1000-264\"";
constexpr std::time_t kMtime = 784111777;
constexpr std::string_view kAtMtime = "Sun, 06 Nov 1994 08:49:37 GMT";
constexpr std::string_view kSecondBefore = "Sun, 06 Nov 1994 08:49:36 GMT";
constexpr std::string_view kSecondAfter = "Sun, 06 Nov 1994 08:49:38 GMT";

// A request carrying these fields, in this order; unused slots have an empty name.
struct Row {
  Header fields[3];
  bool expected;
  std::string_view etag = kEtag;
  IfModifiedSince mode = IfModifiedSince::kExact;
};

RequestHead request_with(std::initializer_list<Header> fields) {
  RequestHead head;
  head.method = kit::http::Method::kGet;
  for (const Header& h : fields) {
    if (!h.name.empty()) head.headers.push_back(h);
  }
  return head;
}

RequestHead request_with(const Header (&fields)[3]) {
  return request_with({fields[0], fields[1], fields[2]});
}

std::string describe(const Header (&fields)[3]) {
  std::string s;
  for (const Header& h : fields) {
    if (!h.name.empty()) s.append(h.name).append(": ").append(h.value).append(" | ");
  }
  return s.empty() ? "(no fields)" : s;
}

template <size_t N, typename Predicate>
void check_rows(const Row (&rows)[N], Predicate predicate) {
  for (size_t i = 0; i < N; ++i) {
    const Row& row = rows[i];
    DYNAMIC_SECTION("row " << i << ": " << describe(row.fields)) {
      INFO("fields: " << describe(row.fields) << " etag: " << row.etag
                      << " mode: " << Catch::Detail::stringify(row.mode));
      CHECK(predicate(request_with(row.fields), row) == row.expected);
    }
  }
}

bool not_modified_row(const RequestHead& request, const Row& row) {
  return kit::http::not_modified(request, row.etag, kMtime, row.mode);
}

bool if_range_row(const RequestHead& request, const Row& row) {
  return kit::http::if_range_matches(request, row.etag, kMtime);
}

}  // namespace

TEST_CASE("the ETag is nginx's quoted mtime-hex dash size-hex", "[conditional][ch12]") {
  CHECK(kit::http::make_etag(0x5f5e1000, 612).view() == kEtag);
  CHECK(kit::http::make_etag(0, 0).view() == "\"0-0\"");
  CHECK(kit::http::make_etag(kMtime, 0xABCDEF).view() == "\"2ebc98a1-abcdef\"");
  CHECK(kit::http::make_etag(1795694400, UINT64_MAX).view() == "\"6b081f40-ffffffffffffffff\"");
  // The longest tag there can be fits the buffer: 36 bytes, a sign included.
  const auto longest = kit::http::make_etag(INT64_MIN, UINT64_MAX);
  CHECK(longest.view() == "\"-8000000000000000-ffffffffffffffff\"");
  CHECK(longest.size == 36);
  // A copy views its own bytes, not the original's.
  const auto copy = longest;
  CHECK(copy.view().data() == copy.text);
}

TEST_CASE("If-None-Match compares entity-tags weakly, across every field", "[conditional][ch12]") {
  static const Row kRows[] = {
      {{}, false},
      {{{"If-None-Match", kEtag}}, true},
      {{{"if-none-match", kEtag}}, true},
      {{{"If-None-Match", "\"other\""}}, false},
      {{{"If-None-Match", "*"}}, true},
      {{{"If-None-Match", "*"}}, true, kEtag, IfModifiedSince::kOff},  // the mode is IMS-only
      {{{"If-None-Match", "W/\"5f5e1000-264\""}}, true},               // weak matches strong
      {{{"If-None-Match", kEtag}}, true, "W/\"5f5e1000-264\""},        // strong matches weak
      {{{"If-None-Match", "W/\"5f5e1000-264\""}}, true, "W/\"5f5e1000-264\""},
      {{{"If-None-Match", "w/\"5f5e1000-264\""}}, false},  // W/ is case-sensitive
      {{{"If-None-Match", "\"a\", \"5f5e1000-264\""}}, true},
      {{{"If-None-Match", "\"a\",W/\"5f5e1000-264\",\"b\""}}, true},
      {{{"If-None-Match", " , ,\"5f5e1000-264\""}}, true},  // empty list elements
      {{{"If-None-Match", "\"a\", \"b\""}}, false},
      {{{"If-None-Match", "\"a\" \"5f5e1000-264\""}}, false},  // no comma: malformed
      {{{"If-None-Match", "5f5e1000-264"}}, false},            // unquoted
      {{{"If-None-Match", "\"5f5e1000-2645\""}}, false},       // a longer tag
      {{{"If-None-Match", "\"5f5e1000-264,x\""}}, false},      // a comma is part of a tag
      {{{"If-None-Match", "\"x,y\", \"5f5e1000-264\""}}, true},
      {{{"If-None-Match", "\"a\""}, {"If-None-Match", "\"5f5e1000-264\""}}, true},
      {{{"If-None-Match", "\"a\""}, {"Accept", "*/*"}, {"If-None-Match", "\"b\""}}, false},
  };
  check_rows(kRows, not_modified_row);
}

TEST_CASE("If-None-Match, when present, overrides If-Modified-Since", "[conditional][ch12]") {
  static const Row kRows[] = {
      {{{"If-None-Match", "\"a\""}, {"If-Modified-Since", kAtMtime}}, false},
      {{{"If-Modified-Since", kAtMtime}, {"If-None-Match", "\"a\""}}, false},
      // nginx would answer 200 here (it wants both to pass); RFC 9110 §13.2.2 says 304.
      {{{"If-None-Match", kEtag}, {"If-Modified-Since", kSecondBefore}}, true},
      {{{"If-None-Match", "*"}, {"If-Modified-Since", "not a date"}}, true},
  };
  check_rows(kRows, not_modified_row);
}

TEST_CASE("If-Modified-Since follows the if_modified_since mode", "[conditional][ch12]") {
  constexpr auto kOff = IfModifiedSince::kOff;
  constexpr auto kBefore = IfModifiedSince::kBefore;
  static const Row kRows[] = {
      {{{"If-Modified-Since", kAtMtime}}, true},
      {{{"if-modified-since", kAtMtime}}, true},
      {{{"If-Modified-Since", kSecondBefore}}, false},
      {{{"If-Modified-Since", kSecondAfter}}, false},  // exact: any other date is another version
      {{{"If-Modified-Since", kAtMtime}}, true, kEtag, kBefore},
      {{{"If-Modified-Since", kSecondAfter}}, true, kEtag, kBefore},
      {{{"If-Modified-Since", kSecondBefore}}, false, kEtag, kBefore},
      {{{"If-Modified-Since", kAtMtime}}, false, kEtag, kOff},
      {{{"If-Modified-Since", kSecondAfter}}, false, kEtag, kOff},
      {{{"If-Modified-Since", "yesterday"}}, false},
      {{{"If-Modified-Since", "yesterday"}}, false, kEtag, kBefore},
      {{{"If-Modified-Since", ""}}, false, kEtag, kBefore},
      {{{"If-Modified-Since", "Sunday, 06-Nov-94 08:49:37 GMT"}}, false},  // RFC 850: not parsed
  };
  check_rows(kRows, not_modified_row);
}

TEST_CASE("a made ETag round-trips through If-None-Match", "[conditional][ch12]") {
  const auto tag = kit::http::make_etag(kMtime, 4096);
  CHECK(kit::http::not_modified(request_with({{"If-None-Match", tag.view()}}), tag.view(), kMtime));
  const auto changed = kit::http::make_etag(kMtime, 4097);
  CHECK_FALSE(kit::http::not_modified(request_with({{"If-None-Match", tag.view()}}), changed.view(),
                                      kMtime));
}

TEST_CASE("If-Range needs a strong tag match or the exact mtime", "[conditional][ch12]") {
  static const Row kRows[] = {
      {{}, true},  // no If-Range: Range applies
      {{{"If-Range", kEtag}}, true},
      {{{"if-range", kEtag}}, true},
      {{{"If-Range", "\"other\""}}, false},
      {{{"If-Range", "\"5f5e1000-2645\""}}, false},
      {{{"If-Range", "W/\"5f5e1000-264\""}}, false},  // a weak tag never matches strongly
      {{{"If-Range", "W/\"5f5e1000-264\""}}, false, "W/\"5f5e1000-264\""},
      {{{"If-Range", kEtag}}, false, "W/\"5f5e1000-264\""},
      {{{"If-Range", kAtMtime}}, true},
      {{{"If-Range", kSecondBefore}}, false},
      {{{"If-Range", kSecondAfter}}, false},
      {{{"If-Range", "yesterday"}}, false},
      {{{"If-Range", ""}}, false},
      {{{"If-None-Match", "\"a\""}}, true},  // other conditionals do not concern If-Range
  };
  check_rows(kRows, if_range_row);
}
