#!/bin/sh
# bench/report.sh OUT "SERVERS" MODE — turns a ladder run's summary.csv (and syscalls.csv,
# fingerprint.txt, warnings.txt, crosscheck.csv) into OUT/report.md, OUT/headtohead.csv (with
# chapter 12 in the run) and gnuplot plots (PNG + SVG). Called by bench/ladder; can be rerun on
# an old results directory.
set -eu
out=${1:?usage: bench/report.sh OUT "SERVERS" MODE}
servers=${2:?servers}
mode=${3:-quick}
summary="$out/summary.csv"
report="$out/report.md"

# value SERVER WORKLOAD COLUMN → one field of summary.csv ("" if that point was not run)
value() {
  awk -F, -v s="$1" -v w="$2" -v col="$3" '
    NR == 1 { for (i = 1; i <= NF; i++) idx[$i] = i; next }
    $1 == s && $2 == w { print $(idx[col]); exit }' "$summary"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || b + 0 == 0) print "–"; else printf "%.2f×", a / b }'; }
num() { awk -v v="$1" 'BEGIN { if (v == "") print "–"; else printf "%.0f", v }'; }
ms() { awk -v v="$1" 'BEGIN { if (v == "") print "–"; else printf "%.2f", v / 1000 }'; }
mib() { awk -v v="$1" 'BEGIN { if (v == "") print "–"; else printf "%.1f", v / 1024 }'; }
label() { case "$1" in nginx*) echo "$1" ;; *) echo "ch$1" ;; esac; }
# KiB per idle connection, "–" for a workload without idle connections
kib() { if [ "$(value "$1" "$2" idle_open)" = 0 ]; then echo "–"; else value "$1" "$2" kib_per_conn; fi; }
# a count summed over the repetitions (idle_lost), per repetition
per_rep() { awk -v v="$(value "$1" "$2" "$3")" -v r="$(value "$1" "$2" reps)" 'BEGIN { if (v == "" || r + 0 == 0) print "–"; else printf "%.0f", v / r }'; }
# the first warning the server logged during a point, if any (notes.csv)
note() { awk -F, -v s="$1" -v w="$2" '$1 == s && $2 == w { $1 = $2 = $3 = ""; sub(/^ +/, ""); print; exit }' "$out/notes.csv" 2>/dev/null; }
# errors of a point, with its non-2xx answers when there were any: "0", "12 + 30 non-2xx"
errcell() {
  e=$(value "$1" "$2" errors); n=$(value "$1" "$2" non_2xx)
  [ -n "$e" ] || { echo "–"; return; }
  if [ "${n:-0}" -gt 0 ]; then echo "$e + $n non-2xx"; else echo "$e"; fi
}

# The workloads each server exists for, as bench/ladder wrote them (own.txt: "server w1 w2").
own_workloads() { awk -v s="$1" '$1 == s { $1 = ""; sub(/^ /, ""); print; exit }' "$out/own.txt"; }

last=""
for s in $servers; do [ "$s" = nginx ] || last=$s; done

# --- chapter 12 against nginx, head to head: headtohead.csv ---------------------------------
# The issue's comparison, from bench/ladder's variants 12_1w (chapter 12, one worker),
# 12_1w_nosendfile (the same with --sendfile off) and nginx_1w (worker_processes 1), all
# pinned to the server's CPU; then the 2-worker ratios from the main ladder's nginx pair.
# Written only when the variants ran; the report's table is rendered from it, so the chapter
# README can cite the same rows.
h2h_csv="$out/headtohead.csv"
# h2h_row METRIC WORKLOAD CH12 NGINX OFF NUM DEN OP TARGET DECIMALS [SPREADS…]: one row. The
# three values are printed with DECIMALS; the ratio NUM / DEN is computed from the unrounded
# medians and judged against TARGET with OP (">=" or "<="; none for a ratio only reported).
h2h_row() {
  awk -v OFS=, -v m="$1" -v w="$2" -v a="$3" -v b="$4" -v c="$5" -v x="$6" -v y="$7" \
      -v op="$8" -v t="$9" -v d="${10}" -v sa="${11:-}" -v sb="${12:-}" -v sc="${13:-}" '
    function f(v) { return v == "" ? "" : sprintf("%." d "f", v) }
    BEGIN {
      r = ""; met = ""
      if (x != "" && y != "" && y + 0 != 0) {
        q = x / y; r = sprintf("%.3f", q)
        if (op == ">=") met = (q >= t + 0) ? "yes" : "no"
        if (op == "<=") met = (q <= t + 0) ? "yes" : "no"
      }
      print m, w, f(a), f(b), f(c), r, (op == "" ? "" : op t), met, sa, sb, sc
    }' >> "$h2h_csv"
}
# spread SERVER WORKLOAD MIN-COLUMN MAX-COLUMN DECIMALS → "min–max" ("" if not run)
spread() {
  awk -v lo="$(value "$1" "$2" "$3")" -v hi="$(value "$1" "$2" "$4")" -v d="$5" \
    'BEGIN { if (lo != "") printf "%." d "f–%." d "f", lo, hi }'
}
# µs → ms, unrounded; and a point's p99 in ms
ms_of() { awk -v v="$1" 'BEGIN { if (v != "") printf "%.3f", v / 1000 }'; }
p99_ms() { ms_of "$(value "$1" "$2" p99_us)"; }
# KiB per idle connection as summarize.awk computes it, (RSS under load − RSS before any load) /
# idle connections open, from the same medians but unrounded
kib_exact() {
  awk -v r="$(value "$1" "$2" rss_kib)" -v b="$(value "$1" "$2" base_rss_kib)" -v n="$(value "$1" "$2" idle_open)" \
    'BEGIN { if (r != "" && n + 0 > 0) printf "%.4f", (r - b) / n }'
}
# quotient A B of two unrounded values, "" if either is missing
quot() { awk -v a="$1" -v b="$2" 'BEGIN { if (a != "" && b != "" && b + 0 != 0) printf "%.4f", a / b }'; }
# a count summed over the repetitions, per repetition; "" if that point was not run
per_rep_or_empty() {
  awk -v v="$(value "$1" "$2" "$3")" -v r="$(value "$1" "$2" reps)" 'BEGIN { if (v != "" && r + 0 > 0) printf "%.1f", v / r }'
}
syscalls_per_request() {
  awk -F, -v s="$1" -v w="$2" 'NR > 1 && $1 == s && $2 == w { print $5; exit }' "$out/syscalls.csv" 2>/dev/null || true
}
rm -f "$h2h_csv"
if grep -q '^12_1w,' "$summary"; then
  echo "metric,workload,ch12,nginx,ch12_variant,ratio,target,met,ch12_spread,nginx_spread,ch12_variant_spread" > "$h2h_csv"
  for w in ka100 ka1000; do
    a=$(value 12_1w "$w" rps); b=$(value nginx_1w "$w" rps)
    h2h_row "req/s" "$w" "$a" "$b" "" "$a" "$b" ">=" 1.30 0 \
      "$(spread 12_1w "$w" rps_min rps_max 0)" "$(spread nginx_1w "$w" rps_min rps_max 0)"
    a=$(p99_ms 12_1w "$w"); b=$(p99_ms nginx_1w "$w")
    h2h_row "p99 ms" "$w" "$a" "$b" "" "$a" "$b" "<=" 1.00 2
  done
  a=$(value 12_1w big100 mib_per_s); b=$(value nginx_1w big100 mib_per_s); c=$(value 12_1w_nosendfile big100 mib_per_s)
  sa=$(spread 12_1w big100 mib_per_s_min mib_per_s_max 0); sb=$(spread nginx_1w big100 mib_per_s_min mib_per_s_max 0)
  sc=$(spread 12_1w_nosendfile big100 mib_per_s_min mib_per_s_max 0)
  h2h_row "MiB/s" big100 "$a" "$b" "$c" "$a" "$b" ">=" 1.00 0 "$sa" "$sb" "$sc"
  h2h_row "MiB/s (ratio sendfile on / off)" big100 "$a" "$b" "$c" "$a" "$c" ">=" 1.50 0 "$sa" "$sb" "$sc"
  # Server CPU per MiB served (one request is 1 MiB): what sendfile saves even when the load
  # generator, copying every byte, limits the MiB/s.
  a=$(value 12_1w big100 cpu_us_per_req); b=$(value nginx_1w big100 cpu_us_per_req); c=$(value 12_1w_nosendfile big100 cpu_us_per_req)
  h2h_row "server CPU ms per MiB (ratio on / off)" big100 "$(ms_of "$a")" "$(ms_of "$b")" "$(ms_of "$c")" "$a" "$c" "" "" 2
  a=$(kib_exact 12_1w idle8000); b=$(kib_exact nginx_1w idle8000)
  h2h_row "KiB per idle connection" idle8000 "$a" "$b" "" "$a" "$b" "<=" 0.50 2
  a=$(syscalls_per_request 12_1w ka100); b=$(syscalls_per_request nginx_1w ka100)
  h2h_row "syscalls per request" ka100 "$a" "$b" "" "$a" "$b" "" "" 2
  # What the open-file cache (no open/fstat/close per request, small files from memory) is worth.
  a=$(value 12_1w ka100 rps); c=$(value 12_1w_nocache ka100 rps)
  h2h_row "req/s (ratio open-file cache on / off)" ka100 "$a" "" "$c" "$a" "$c" "" "" 0 \
    "$(spread 12_1w ka100 rps_min rps_max 0)" "" "$(spread 12_1w_nocache ka100 rps_min rps_max 0)"
  # Under load (issue 8): the same 50 keep-alive clients alone (slowloris0) and beside 5,000
  # slowloris connections (slowloris5000), repetitions alternating. The target: chapter 12's
  # p99 beside them at most 2× its p99 alone; nginx's quotient is shown beside it.
  if [ -n "$(value 12_1w slowloris5000 p99_us)" ]; then
    a0=$(p99_ms 12_1w slowloris0); b0=$(p99_ms nginx_1w slowloris0)
    a1=$(p99_ms 12_1w slowloris5000); b1=$(p99_ms nginx_1w slowloris5000)
    # (No commas in a metric's name: it is a CSV field.)
    h2h_row "p99 ms alone (50 keep-alive)" slowloris0 "$a0" "$b0" "" "$a0" "$b0" "" "" 2
    h2h_row "p99 ms beside 5000 slowloris" slowloris5000 "$a1" "$b1" "" "$a1" "$b1" "" "" 2
    h2h_row "p99 beside 5000 slowloris / alone (ratio ch12's)" slowloris5000 \
      "$(quot "$a1" "$a0")" "$(quot "$b1" "$b0")" "" "$a1" "$a0" "<=" 2.00 2
    h2h_row "req/s beside 5000 slowloris / alone" slowloris5000 \
      "$(quot "$(value 12_1w slowloris5000 rps)" "$(value 12_1w slowloris0 rps)")" \
      "$(quot "$(value nginx_1w slowloris5000 rps)" "$(value nginx_1w slowloris0 rps)")" "" "" "" "" "" 2
    h2h_row "slowloris connections (of 5000) closed by the server per repetition" slowloris5000 \
      "$(per_rep_or_empty 12_1w slowloris5000 idle_lost)" "$(per_rep_or_empty nginx_1w slowloris5000 idle_lost)" \
      "" "" "" "" "" 0
  fi
  # The main ladder's pair: chapter 12 (2 workers) and nginx with as many (nginx.conf says).
  if [ "$last" = 12 ] && echo " $servers " | grep -q " nginx "; then
    nw=$(sed -n 's/^worker_processes \([0-9]*\);$/\1/p' "$out/nginx/nginx.conf" 2>/dev/null || true)
    for w in ka100 pipe100; do
      a=$(value 12 "$w" rps); b=$(value nginx "$w" rps)
      [ -n "$a$b" ] || continue
      h2h_row "req/s ${nw:-?} workers each unpinned" "$w" "$a" "$b" "" "$a" "$b" "" "" 0 \
        "$(spread 12 "$w" rps_min rps_max 0)" "$(spread nginx "$w" rps_min rps_max 0)"
    done
  fi
fi

{
  echo "# c10k-kit ladder report"
  echo
  echo "Medians of the repetitions; req/s spread is min–max. Ratios compare medians measured in"
  echo "this run. Server pinned to one CPU, loadgen to the other (see the fingerprint)."
  echo
  echo '```'
  cat "$out/fingerprint.txt"
  echo '```'
  if [ -s "$out/warnings.txt" ]; then
    echo
    echo "**Warnings** — these make some numbers less meaningful:"
    sed 's/^/- /' "$out/warnings.txt"
  fi

  echo
  echo "## Each chapter against the one before it, on the workload it exists for"
  echo
  echo "| chapter | workload | previous req/s | this req/s (spread) | ratio | previous p99 ms | this p99 ms | errors previous / this |"
  echo "|---|---|---:|---:|---:|---:|---:|---:|"
  prev=""
  for s in $servers; do
    for w in $(own_workloads "$s"); do
      this_rps=$(value "$s" "$w" rps)
      [ -n "$this_rps" ] || continue
      spread="$(num "$(value "$s" "$w" rps_min)")–$(num "$(value "$s" "$w" rps_max)")"
      if [ -n "$prev" ]; then
        p_rps=$(value "$prev" "$w" rps)
        echo "| $(label "$s") vs $(label "$prev") | $w | $(num "$p_rps") | $(num "$this_rps") ($spread) | $(ratio "$this_rps" "$p_rps") | $(ms "$(value "$prev" "$w" p99_us)") | $(ms "$(value "$s" "$w" p99_us)") | $(errcell "$prev" "$w") / $(errcell "$s" "$w") |"
      else
        echo "| $(label "$s") | $w | – | $(num "$this_rps") ($spread) | – | – | $(ms "$(value "$s" "$w" p99_us)") | $(errcell "$s" "$w") |"
      fi
    done
    prev=$s
  done
  echo
  echo "Workloads: ka1/ka50/ka100 keep-alive with 1/50/100 connections; short50/short100 one request per"
  echo "connection, 50/100 at a time; slow8 50 keep-alive beside 8 idle keep-alive clients; idle1000 and"
  echo "idle8000 50 keep-alive beside 1,000 / 8,000 idle keep-alive connections; pipe100 100"
  echo "connections pipelining 8 requests each; slowloris2000 50 keep-alive beside 2,000 connections"
  echo "that never send a request (4 s; chapters 08+ run with client_header_timeout 2s). All fetch"
  echo "the 612-byte /index.html but big100: 100 keep-alive connections fetching the 1 MiB /1m.bin."
  echo "reload100 is ka100 while the master is sent SIGHUP every 0.3 s."
  echo "From chapter 10 the server is a master with 2 workers that may use both CPUs (the load"
  echo "generator keeps CPU 1), and nginx, when compared with such a chapter, runs the same way."

  if [ "$(wc -l 2>/dev/null < "$out/accept.csv" || echo 0)" -gt 1 ]; then
    echo
    echo "## Chapter 11: who accepts — four accept modes, 2 and 4 workers"
    echo
    echo "Each mode is a ch11 server (\`--accept MODE --worker-processes N\`); the servers of one"
    echo "worker count ran at once, repetitions alternating. Per-worker numbers are the change of"
    echo "\`/status?workers\` over a point (warm-up included): *accepts per worker* is the median"
    echo "repetition's split, busiest first; *busiest share* the busiest worker's part of the"
    echo "accepts; *wake-ups/accept* how often a worker was woken for the listener per connection"
    echo "accepted, and *empty/accept* the wake-ups that found nothing (another worker took it:"
    echo "the thundering herd). Medians over the repetitions."
    echo
    echo "| workers | mode | workload | req/s (spread) | p99 ms | errors | accepts per worker | busiest share | wake-ups/accept | empty/accept |"
    echo "|---:|---|---|---:|---:|---:|---|---:|---:|---:|"
    for v in $(awk -F, 'NR > 1 && !seen[$1]++ { print $1 }' "$out/accept.csv"); do
      for w in $(awk -F, -v v="$v" 'NR > 1 && $1 == v && !seen[$2]++ { print $2 }' "$out/accept.csv"); do
        m=${v#*_}
        stats=$(awk -F, -v v="$v" -v w="$w" '
          function median(a, n,   i, j, t) {
            for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
            return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
          }
          NR > 1 && $1 == v && $2 == w && $4 > 0 {
            n++; split($5, p, "/"); share[n] = p[1] / $4; sorted[n] = share[n]; list[n] = $5
            wpa[n] = $6 / $4; epa[n] = $7 / $4
          }
          END {
            if (n == 0) { print "– – – –"; exit }
            ms = median(sorted, n); pick = 1
            for (i = 1; i <= n; i++) if (share[i] == ms) pick = i
            printf "%s %.0f%% %.2f %.2f\n", list[pick], 100 * ms, median(wpa, n), median(epa, n)
          }' "$out/accept.csv")
        set -- $stats
        echo "| ${m#*_} | ${m%_*} | $w | $(num "$(value "$v" "$w" rps)") ($(num "$(value "$v" "$w" rps_min)")–$(num "$(value "$v" "$w" rps_max)")) | $(ms "$(value "$v" "$w" p99_us)") | $(errcell "$v" "$w") | $1 | $2 | $3 | $4 |"
      done
    done
    echo
    echo "Modes: none = every worker watches the shared socket (chapter 10); mutex = nginx's"
    echo "accept mutex (\`accept_mutex on\`); exclusive = EPOLLEXCLUSIVE (\`listen ... exclusive\`);"
    echo "reuseport = a socket per worker (\`listen ... reuseport\`). short100: 100 clients, one"
    echo "request per connection; ka100: 100 keep-alive connections."
  fi

  echo
  echo "## Memory: idle keep-alive and silent connections"
  echo
  echo "Idle connections still open at the end of a point, and closed by the server during it (per"
  echo "repetition). For slowloris2000 RSS is sampled at the end of the point, after chapters 08+"
  echo "closed the silent connections; freed memory stays in the process (malloc keeps it), so RSS"
  echo "does not fall back: the closed count is the measure there."
  echo
  echo "| server | workload | RSS before load MiB | RSS under load MiB | idle connections open / closed | KiB per idle connection |"
  echo "|---|---|---:|---:|---:|---:|"
  for s in $servers; do
    for w in idle1000 idle8000 c10k slowloris2000; do
      r=$(value "$s" "$w" rss_kib)
      [ -n "$r" ] || continue
      echo "| $(label "$s") | $w | $(mib "$(value "$s" "$w" base_rss_kib)") | $(mib "$r") | $(value "$s" "$w" idle_open) / $(per_rep "$s" "$w" idle_lost) | $(value "$s" "$w" kib_per_conn) |"
    done
  done

  if [ -s "$out/notes.csv" ]; then
    echo
    echo "## What the servers logged"
    echo
    echo "The first warning each server logged while running a workload (all of them are in the"
    echo "server-*.log files):"
    echo
    awk -F, '!seen[$1 "," $2]++ { s = $1; w = $2; $1 = $2 = $3 = ""; sub(/^ +/, ""); printf "- %s, %s: `%s`\n", (s ~ /^nginx/ ? s : "ch" s), w, $0 }' "$out/notes.csv"
  fi

  echo
  echo "## Cost per request (own workload)"
  echo
  echo "CPU and context switches of the whole measured period, warm-up and the opening of idle"
  echo "connections excluded only where they fall outside it; divided by the responses measured."
  echo
  echo "| server | workload | CPU µs/request | context switches/request |"
  echo "|---|---|---:|---:|"
  for s in $servers; do
    w=$(own_workloads "$s" | cut -d' ' -f1)
    [ -n "$(value "$s" "$w" rps)" ] || continue
    echo "| $(label "$s") | $w | $(value "$s" "$w" cpu_us_per_req) | $(value "$s" "$w" ctx_per_req) |"
  done
  if [ -s "$out/syscalls.csv" ]; then
    echo
    echo "System calls per request, counted by \`strace -c -f\` over a separate 1 s run (the server is"
    echo "much slower under strace; the count per request is what matters):"
    echo
    echo "| server | workload | requests | syscalls | syscalls/request |"
    echo "|---|---|---:|---:|---:|"
    awk -F, -v OFS=" | " 'NR > 1 { print "| " ($1 ~ /^nginx/ ? $1 : "ch" $1), $2, $3, $4, $5 " |" }' "$out/syscalls.csv"
  fi
  if [ "$(wc -l 2>/dev/null < "$out/allocs.csv" || echo 0)" -gt 1 ]; then
    echo
    echo "Heap allocations per request (malloc, calloc, realloc, memalign…), counted by"
    echo "bench/malloc_count.so preloaded into the server, over a separate 1 s run:"
    echo
    echo "| server | workload | requests | allocations | allocations/request | bytes/request |"
    echo "|---|---|---:|---:|---:|---:|"
    awk -F, -v OFS=" | " 'NR > 1 { print "| " ($1 ~ /^nginx/ ? $1 : "ch" $1), $2, $3, $4, $5, $6 " |" }' "$out/allocs.csv"
  fi

  if echo " $servers " | grep -q " nginx " && [ -n "$last" ]; then
    echo
    echo "## The last chapter (ch$last) against nginx"
    echo
    echo "| workload | ch$last req/s | nginx req/s | ratio | ch$last p99 ms | nginx p99 ms | ch$last KiB/idle conn | nginx KiB/idle conn |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|"
    for w in $(own_workloads nginx); do
      a=$(value "$last" "$w" rps); b=$(value nginx "$w" rps)
      [ -n "$a$b" ] || continue
      echo "| $w | $(num "$a") | $(num "$b") | $(ratio "$a" "$b") | $(ms "$(value "$last" "$w" p99_us)") | $(ms "$(value nginx "$w" p99_us)") | $(kib "$last" "$w") | $(kib nginx "$w") |"
    done
  fi

  echo
  echo "## Chapter 12 vs nginx, head to head (1 worker each, pinned)"
  echo
  if [ ! -s "$h2h_csv" ]; then
    echo "Not run: chapter 12 was not in this run (\`bench/ladder\` runs this section whenever it is)."
  else
    echo "Chapter 12 as it ships (sendfile and the open-file cache on) with \`--worker-processes 1"
    echo "--accept none\`, against nginx with \`worker_processes 1\` and the ladder's configuration"
    echo "otherwise (\`nginx_1w/nginx.conf\`: \`sendfile on; tcp_nopush on; tcp_nodelay on; access_log off;"
    echo "keepalive_requests 100000;\`), and on the 1 MiB file against chapter 12 with \`--sendfile off\`."
    echo "Each server is a master and one worker, both pinned to the server's CPU; loadgen has the"
    echo "other. The servers ran at once and on every workload their repetitions alternated. Medians"
    echo "of the repetitions ($(value 12_1w ka100 reps) each) with the min–max spread; *ratio* is chapter 12's median"
    echo "over the other's, unrounded, and *met* judges the issue's target on it (p99: chapter 12 no"
    echo "worse than nginx). ka100 / ka1000: 100 / 1,000 keep-alive connections on the 612-byte /index.html;"
    echo "big100: 100 keep-alive connections on the 1 MiB /1m.bin (MiB/s of response bodies; server"
    echo "CPU per MiB is the server's CPU time over the point, warm-up included, per MiB measured:"
    echo "comparable between servers, not an absolute cost);"
    echo "idle8000: 50 keep-alive beside 8,000 idle keep-alive connections, run first, on servers that"
    echo "had served nothing yet; KiB per idle connection = (RSS under load − RSS before any load) /"
    echo "idle connections open, master and worker summed."
    echo "Syscalls per request: \`strace -c -f\` over a separate 1 s ka100 run."
    echo "slowloris0 / slowloris5000 (issue 8, under load): 50 keep-alive connections on /index.html"
    echo "alone, then beside 5,000 slowloris connections, the two alternating in every repetition."
    echo "Each slowloris connection, once all are open, sends a request line and a header, then one"
    echo "byte of a header that never ends every second (\`loadgen --idle-drip 1\`: 5,000 bytes/s"
    echo "in all, spread evenly). Both servers keep client_header_timeout at its default, 60 s,"
    echo "longer than a point, so they must hold every one of them; *closed by the server* counts"
    echo "those they dropped all the same. Target: chapter 12's p99 beside them ≤ 2× its p99 alone."
    if grep -q 'workers each unpinned' "$h2h_csv"; then
      echo "The *workers each unpinned* rows come from the main ladder's pair above: chapter 12 and"
      echo "nginx with as many workers each, free to use every CPU (loadgen keeps its own)."
    fi
    if ! grep -q '^nginx_1w,' "$summary"; then
      echo
      echo "nginx was not in this run (\`--no-nginx\`, or not installed): the comparison with nginx was"
      echo "not run; only chapter 12 against itself with \`--sendfile off\` is measured."
    fi
    echo
    echo "| measure | workload | ch12 | nginx | ch12 variant: sendfile off (big100), open-file cache off (ka100) | ratio | target | met |"
    echo "|---|---|---:|---:|---:|---:|---:|---|"
    awk -F, '
      function cell(v, sp) { return v == "" ? "–" : (sp == "" ? v : v " (" sp ")") }
      function target(t) { return t == "" ? "–" : (substr(t, 1, 2) == ">=" ? "≥ " : "≤ ") sprintf("%.2f×", substr(t, 3)) }
      NR > 1 { printf "| %s | %s | %s | %s | %s | %s | %s | %s |\n", $1, $2, cell($3, $9), cell($4, $10), cell($5, $11),
                 ($6 == "" ? "–" : sprintf("%.2f×", $6)), target($7), ($8 == "" ? "–" : $8) }' "$h2h_csv"
    # What would make a row less meaningful: errors, and idle connections that did not all open.
    for v in 12_1w nginx_1w 12_1w_nosendfile 12_1w_nocache; do
      for w in ka100 ka1000 big100 idle8000 slowloris0 slowloris5000; do
        e=$(value "$v" "$w" errors); n=$(value "$v" "$w" non_2xx)
        if [ "${e:-0}" -gt 0 ] || [ "${n:-0}" -gt 0 ]; then echo "- $(label "$v"), $w: errors $(errcell "$v" "$w") (all repetitions)"; fi
      done
      o=$(value "$v" idle8000 idle_open)
      if [ -n "$o" ] && [ "$o" -ne 8000 ]; then echo "- $(label "$v"), idle8000: only $o of 8,000 idle connections open (median)"; fi
      o=$(value "$v" slowloris5000 idle_open)
      if [ -n "$o" ] && [ "$o" -ne 5000 ]; then echo "- $(label "$v"), slowloris5000: only $o of 5,000 slowloris connections open at the end (median)"; fi
    done | { if read -r first; then echo; echo "Read with care:"; echo; echo "$first"; cat; fi; }
    # The issue's sentence, from the same row.
    awk -F, '
      $1 ~ /^p99 ms alone/ { alone = $3 }
      $1 ~ /^p99 ms beside 5000 slowloris/ { beside = $3 }
      $1 ~ /^p99 beside 5000 slowloris/ && $6 != "" {
        printf "\n**Under load (issue 8):** with 5,000 slowloris connections open, the p99 of 50 keep-alive clients on chapter 12 is %s ms against %s ms alone, %.2f× (target ≤ 2×): %s. nginx: %s×.\n",
          beside, alone, $6, ($8 == "yes" ? "met" : "not met"), ($4 == "" ? "–" : sprintf("%.2f", $4)) }' "$h2h_csv"
    echo
    echo "The same rows are in headtohead.csv (values, ratio, target, met, spreads)."
  fi

  if grep -q ',c10k,' "$summary"; then
    echo
    echo "## C10K: 50 active keep-alive connections beside 10,000 idle ones"
    echo
    echo "| server | req/s | p99 ms | errors | idle open / lost | RSS MiB | KiB per idle conn | CPU µs/request | server log |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|---|"
    for s in $servers; do
      r=$(value "$s" c10k rps); [ -n "$r" ] || continue
      echo "| $(label "$s") | $(num "$r") | $(ms "$(value "$s" c10k p99_us)") | $(value "$s" c10k errors) | $(value "$s" c10k idle_open) / $(per_rep "$s" c10k idle_lost) | $(mib "$(value "$s" c10k rss_kib)") | $(value "$s" c10k kib_per_conn) | $(value "$s" c10k cpu_us_per_req) | $(note "$s" c10k) |"
    done
  fi

  if [ "$mode" = full ]; then
    echo
    echo "## Sweep: keep-alive req/s by number of connections"
    echo
    echo "| server | 100 | 1,000 | 4,000 | 8,000 | 10,000 |"
    echo "|---|---:|---:|---:|---:|---:|"
    for s in $servers; do
      [ -n "$(value "$s" ka1000 rps)" ] || continue
      echo "| $(label "$s") | $(num "$(value "$s" ka100 rps)") | $(num "$(value "$s" ka1000 rps)") | $(num "$(value "$s" ka4000 rps)") | $(num "$(value "$s" ka8000 rps)") | $(num "$(value "$s" ka10000 rps)") |"
    done
  fi

  if [ -s "$out/crosscheck.csv" ]; then
    echo
    echo "## loadgen vs wrk on the same server (100 connections, keep-alive)"
    echo
    awk -F, '{ n[$1]++; s[$1] += $2 } END { for (t in s) printf "- %s: %.0f req/s (mean of %d)\n", t, s[t] / n[t], n[t];
      if (s["wrk"] > 0) printf "- loadgen / wrk = %.3f\n", (s["loadgen"] / n["loadgen"]) / (s["wrk"] / n["wrk"]) }' "$out/crosscheck.csv"
  fi

  echo
  echo "## Plots and data"
  echo
  echo "- ![req/s](rps.png) rps.png/svg: each chapter and its predecessor on the chapter's workload"
  echo "- ![p99](p99.png) p99.png/svg: the same pairs, p99 latency"
  echo "- ![KiB per idle connection](kib_per_conn.png) kib_per_conn.png/svg"
  echo "- ![syscalls per request](syscalls.png) syscalls.png/svg"
  [ "$mode" = full ] && echo "- ![sweep](sweep.png) sweep.png/svg and sweep_p99.png/svg: req/s and p99 by connections"
  echo "- raw.csv (every repetition), summary.csv (medians), syscalls.csv, allocs.csv, fingerprint.txt"
  if [ -s "$h2h_csv" ]; then echo "- headtohead.csv: chapter 12 against nginx, the head-to-head table"; fi
} > "$report"

# --- plots ---------------------------------------------------------------------------------
command -v gnuplot >/dev/null 2>&1 || { echo "gnuplot not installed: no plots" >&2; exit 0; }
: > "$out/pairs.dat"; : > "$out/kib.dat"; : > "$out/sys.dat"; : > "$out/sweep.dat"
prev=""
for s in $servers; do
  w=$(own_workloads "$s" | cut -d' ' -f1)
  if [ -n "$(value "$s" "$w" rps)" ]; then
    p=""; pp=""
    [ -n "$prev" ] && { p=$(value "$prev" "$w" rps); pp=$(value "$prev" "$w" p99_us); }
    echo "$(label "$s")-$w ${p:-0} $(value "$s" "$w" rps) ${pp:-0} $(value "$s" "$w" p99_us)" >> "$out/pairs.dat"
  fi
  k=$(value "$s" idle8000 kib_per_conn); [ -n "$k" ] && echo "\"$(label "$s")\" $k" >> "$out/kib.dat"
  sc=$(awk -F, -v s="$s" 'NR > 1 && $1 == s { print $5; exit }' "$out/syscalls.csv" 2>/dev/null)
  [ -n "$sc" ] && echo "\"$(label "$s")\" $sc" >> "$out/sys.dat"
  if [ "$mode" = full ] && [ -n "$(value "$s" ka1000 rps)" ]; then
    echo "$(label "$s") -" >> "$out/sweep.dat"
    for c in 100 1000 4000 8000 10000; do echo "$c $(value "$s" ka$c rps) $(value "$s" ka$c p99_us)" >> "$out/sweep.dat"; done
    printf '\n\n' >> "$out/sweep.dat"
  fi
  prev=$s
done

# plot DATA NAME TITLE YLABEL PLOT-COMMAND: one chart as PNG and SVG, skipped without data.
plot() {
  [ -s "$1" ] || return 0
  for fmt in png svg; do
    if [ $fmt = png ]; then term="png size 1000,520"; else term="svg size 1000,520 dynamic"; fi
    gnuplot > /dev/null 2>> "$out/gnuplot.log" <<EOF2 || echo "gnuplot failed for $2.$fmt (see gnuplot.log)" >&2
set terminal $term
set output "$out/$2.$fmt"
set title "$3"
set ylabel "$4"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set key top left
set grid ytics
set xtics font ",9"
$5
EOF2
  done
}
: > "$out/gnuplot.log"
plot "$out/pairs.dat" rps "req/s: each chapter and its predecessor on the chapter's workload" \
  "requests per second" \
  "plot \"$out/pairs.dat\" using 2:xtic(1) title \"previous chapter\", \"\" using 3 title \"this chapter\""
plot "$out/pairs.dat" p99 "p99 latency, same pairs (log scale)" "p99 ms" \
  "set logscale y; plot \"$out/pairs.dat\" using (\$4/1000+0.001):xtic(1) title \"previous chapter\", \"\" using (\$5/1000+0.001) title \"this chapter\""
plot "$out/kib.dat" kib_per_conn "server memory per idle keep-alive connection (8,000 idle)" \
  "KiB per connection" "plot \"$out/kib.dat\" using 2:xtic(1) title \"KiB/connection\""
plot "$out/sys.dat" syscalls "system calls per request (strace -c; ka100, ch00 ka1, ch01 short50)" \
  "syscalls/request" "plot \"$out/sys.dat\" using 2:xtic(1) title \"syscalls/request\""
if [ "$mode" = full ]; then
  plot "$out/sweep.dat" sweep "keep-alive req/s by connections" "req/s" \
    "set style data linespoints; set logscale x; set xlabel \"connections\"; plot for [i=0:*] \"$out/sweep.dat\" index i using 1:2 title columnheader(1)"
  plot "$out/sweep.dat" sweep_p99 "keep-alive p99 latency by connections" "p99 ms" \
    "set style data linespoints; set logscale x; set xlabel \"connections\"; plot for [i=0:*] \"$out/sweep.dat\" index i using 1:(\$3/1000) title columnheader(1)"
fi
rm -f "$out/pairs.dat" "$out/kib.dat" "$out/sys.dat" "$out/sweep.dat"
[ -s "$out/gnuplot.log" ] || rm -f "$out/gnuplot.log"
