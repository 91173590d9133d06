#include "pattern_file.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace blackbox {

std::string pattern_bytes(size_t size) {
  std::string out;
  out.reserve(size + 64);
  for (size_t line = 0; out.size() < size; ++line) {
    out += fmt::format("{:07} c10k-kit pattern line: abcdefghijklmnopqrstuvwxyz012345\n", line);
  }
  out.resize(size);
  return out;
}

std::string first_difference(const std::string& got, const std::string& want) {
  const auto [g, w] = std::mismatch(got.begin(), got.end(), want.begin(), want.end());
  if (g == got.end() && w == want.end()) return "identical";
  const size_t at = static_cast<size_t>(g - got.begin());
  const size_t from = at - std::min<size_t>(at, 32);
  return fmt::format("sizes {} vs {}; first difference at byte {}: got \"{}\", want \"{}\"",
                     got.size(), want.size(), at, got.substr(from, 64), want.substr(from, 64));
}

}  // namespace blackbox
