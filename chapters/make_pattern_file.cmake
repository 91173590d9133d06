# cmake -DOUT=<file> -DSIZE=<bytes> -P make_pattern_file.cmake
# Writes SIZE bytes of 64-byte numbered lines ("0000042 c10k-kit pattern ...\n"): every line
# differs, so a test comparing a downloaded copy with this file catches reordered or
# repeated chunks, not just a wrong length.
if(NOT OUT OR NOT SIZE)
  message(FATAL_ERROR "usage: cmake -DOUT=<file> -DSIZE=<bytes> -P make_pattern_file.cmake")
endif()
math(EXPR lines "(${SIZE} + 63) / 64")
set(block "")
set(content "")
math(EXPR last "${lines} - 1")
foreach(i RANGE ${last})
  string(LENGTH "${i}" digits)
  math(EXPR pad "7 - ${digits}")
  string(REPEAT "0" ${pad} zeros)
  # 7 digits + 56 characters + newline = 64 bytes
  string(APPEND block "${zeros}${i} c10k-kit pattern line: abcdefghijklmnopqrstuvwxyz012345\n")
  math(EXPR flush "${i} % 1024")
  if(flush EQUAL 1023)
    string(APPEND content "${block}")
    set(block "")
  endif()
endforeach()
string(APPEND content "${block}")
string(SUBSTRING "${content}" 0 ${SIZE} content)
file(WRITE "${OUT}" "${content}")
