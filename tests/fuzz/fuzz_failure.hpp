// What a fuzz target does when its property does not hold: print the property, the input as
// the inside of a C++ string literal (ready to paste into a table row of
// tests/unit/<module>_test.cpp) and what differed, then abort(). libFuzzer catches the signal
// and saves the input as a crash-<sha1> file. Not assert(): the check must not vanish under
// NDEBUG. Alternative not taken: __builtin_trap(), which works too but prints nothing.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace kit::fuzz {

// Printable ASCII as is; \r \n \t \" \\ by name; any other byte as a three-digit octal escape,
// which (unlike \x) never swallows a hex digit that follows it.
inline std::string escaped(std::string_view bytes) {
  std::string out;
  for (const char c : bytes) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '\r') {
      out += "\\r";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (u >= 0x20 && u < 0x7f) {
      out += c;
    } else {
      char octal[8];
      std::snprintf(octal, sizeof octal, "\\%03o", static_cast<unsigned>(u));
      out += octal;
    }
  }
  return out;
}

[[noreturn]] inline void property_failed(std::string_view property, std::string_view input,
                                         const std::string& details) {
  std::fprintf(stderr, "\n== fuzz property failed: %.*s\n== input: \"%s\"\n%s\n",
               static_cast<int>(property.size()), property.data(), escaped(input).c_str(),
               details.c_str());
  std::abort();
}

}  // namespace kit::fuzz
