#!/bin/sh
# bench/malloc_count: preloaded into a program that allocates (ls -l on a directory of 2,000
# files), the counters in the shared file move; without $KIT_MALLOC_COUNTS nothing is written.
#   malloc_count_test.sh <path to malloc_count.so>
set -eu
lib=${1:?usage: malloc_count_test.sh path/to/malloc_count.so}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
counts="$dir/counts"
mkdir "$dir/files"
(cd "$dir/files" && i=0 && while [ $i -lt 2000 ]; do : > "f$i"; i=$((i + 1)); done)
# ls -l allocates at least once per directory entry (its name and stat data).
LD_PRELOAD="$lib" KIT_MALLOC_COUNTS="$counts" ls -l "$dir/files" > /dev/null
set -- $(od -An -t u8 -N 24 "$counts")
allocs=$1 frees=$2 bytes=$3
echo "allocations $allocs, frees $frees, bytes $bytes"
[ "$allocs" -ge 2000 ] || { echo "FAIL: expected at least 2000 allocations"; exit 1; }
[ "$frees" -le "$allocs" ] || { echo "FAIL: more frees than allocations"; exit 1; }
[ "$bytes" -gt 0 ] || { echo "FAIL: no bytes counted"; exit 1; }
LD_PRELOAD="$lib" ls "$dir" > /dev/null
[ ! -e "$dir/none" ] && [ "$(ls "$dir" | tr "\n" " ")" = "counts files " ] || { echo "FAIL: wrote a file without KIT_MALLOC_COUNTS"; exit 1; }
echo "ok"
