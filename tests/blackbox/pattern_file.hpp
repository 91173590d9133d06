// The bytes of the generated pattern files (www/1m.bin), rebuilt independently of the file
// on disk so a test can tell a wrong download from a wrong file: `size` bytes of 64-byte
// lines "0000042 c10k-kit pattern line: abcdefghijklmnopqrstuvwxyz012345\n", numbered from 0.
// Must match chapters/make_pattern_file.cmake.
#pragma once

#include <cstddef>
#include <string>

namespace blackbox {

std::string pattern_bytes(size_t size);

// Where two byte strings first differ ("identical" if they do not), for failure messages.
std::string first_difference(const std::string& got, const std::string& want);

}  // namespace blackbox
