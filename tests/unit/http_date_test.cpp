// lib/http/http_date.hpp
#include "http/http_date.hpp"

#include <catch2/catch.hpp>

using kit::http::DateCache;
using kit::http::format_http_date;
using kit::http::parse_http_date;

TEST_CASE("IMF-fixdate is formatted in English and GMT", "[ch00][http_date]") {
  CHECK(format_http_date(784111777) == "Sun, 06 Nov 1994 08:49:37 GMT");  // RFC 9110's example
  CHECK(format_http_date(0) == "Thu, 01 Jan 1970 00:00:00 GMT");
  CHECK(format_http_date(1795694400) == "Thu, 26 Nov 2026 12:00:00 GMT");
}

TEST_CASE("parsing is the inverse of formatting", "[ch00][http_date]") {
  for (std::time_t t : {std::time_t{0}, std::time_t{784111777}, std::time_t{951782400},
                        std::time_t{1795694400}, std::time_t{4102444799}}) {
    CHECK(parse_http_date(format_http_date(t)) == t);
  }
  CHECK_FALSE(parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT"));  // RFC 850 form: not accepted
  CHECK_FALSE(parse_http_date("Sun Nov  6 08:49:37 1994"));
  CHECK_FALSE(parse_http_date("Sun, 06 Nov 1994 08:49:37 UTC"));
  CHECK_FALSE(parse_http_date("Sun, 06 Foo 1994 08:49:37 GMT"));
  CHECK_FALSE(parse_http_date("Sun, 36 Nov 1994 08:49:37 GMT"));
  CHECK_FALSE(parse_http_date(""));
}

TEST_CASE("DateCache reformats only when the second changes", "[ch00][http_date]") {
  DateCache cache;
  const std::string_view a = cache.at(784111777);
  CHECK(a == "Sun, 06 Nov 1994 08:49:37 GMT");
  const char* where = a.data();
  CHECK(cache.at(784111777).data() == where);  // same buffer, no new string
  CHECK(cache.at(784111778) == "Sun, 06 Nov 1994 08:49:38 GMT");
  CHECK(cache.now().size() == kit::http::kHttpDateLength);
}
