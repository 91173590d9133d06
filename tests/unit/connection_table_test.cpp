// lib/event/connection_table.hpp: slots, free list, and generations that reject stale tokens.
#include "event/connection_table.hpp"

#include <catch2/catch.hpp>
#include <string>

TEST_CASE("emplace hands out tokens until the table is full", "[ch06][connection_table]") {
  kit::ConnectionTable<std::string> t(2);
  auto a = t.emplace("a");
  auto b = t.emplace("b");
  REQUIRE(a);
  REQUIRE(b);
  CHECK_FALSE(t.emplace("c"));
  CHECK(t.in_use() == 2);
  CHECK(*t.find(*a) == "a");
  CHECK(*t.find(*b) == "b");
}

TEST_CASE("a freed slot is reused, and the old token no longer finds it",
          "[ch06][connection_table]") {
  kit::ConnectionTable<std::string> t(1);
  auto first = t.emplace("first");
  REQUIRE(first);
  t.erase(*first);
  CHECK(t.find(*first) == nullptr);
  auto second = t.emplace("second");
  REQUIRE(second);
  CHECK(static_cast<uint32_t>(*second) == static_cast<uint32_t>(*first));  // same slot
  CHECK(*second != *first);                                                // new generation
  CHECK(t.find(*first) == nullptr);  // a stale event for "first" is not delivered to "second"
  CHECK(*t.find(*second) == "second");
}

TEST_CASE("erase of a stale token is harmless", "[ch06][connection_table]") {
  kit::ConnectionTable<std::string> t(1);
  auto first = t.emplace("x");
  t.erase(*first);
  auto second = t.emplace("y");
  t.erase(*first);  // must not free "y"
  CHECK(t.in_use() == 1);
  CHECK(*t.find(*second) == "y");
}

TEST_CASE("out-of-range tokens find nothing", "[ch06][connection_table]") {
  kit::ConnectionTable<int> t(4);
  CHECK(t.find(99) == nullptr);
  CHECK(t.find(~uint64_t{0}) == nullptr);
}
