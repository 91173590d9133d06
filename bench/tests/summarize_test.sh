#!/bin/sh
# bench/summarize.awk on a fixed raw.csv: medians (odd and even counts), spread, error sums,
# KiB per idle connection, per-request costs, MiB/s (median, min, max) and drips per second
# (median of drips / seconds) must come out exactly as computed by hand. Columns are read by
# name: the same input without its drips column must give the same summary, drips_per_s 0.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cat > "$tmp/raw.csv" <<'CSV'
server,workload,rep,requests,seconds,rps,mib_per_s,p50_us,p90_us,p99_us,p999_us,max_us,mean_us,non_2xx,resets,timeouts,connect_errors,bad_responses,connects,idle_open,idle_lost,drips,server_rss_kib,base_rss_kib,cpu_s,ctx_switches
A,w,1,1000,10,100,5.5,10,0,30,40,50,0,1,1,0,0,0,0,100,0,50,2000,1000,0.10,50
A,w,2,3000,10,300,1.5,30,0,90,99,99,0,0,0,2,0,0,0,100,0,120,3000,1000,0.30,150
A,w,3,2000,10,200,2.5,20,0,60,70,80,0,0,0,0,0,0,0,100,0,0,2500,1000,0.20,100
B,v,1,100,10,10,100,1,0,2,3,3,0,0,0,0,0,0,0,0,0,0,500,400,0.01,10
B,v,2,200,10,20,300,3,0,4,5,5,0,0,0,0,0,0,0,0,0,0,700,400,0.03,30
CSV
cat > "$tmp/expected.csv" <<'CSV'
server,workload,reps,rps,rps_min,rps_max,p50_us,p99_us,p999_us,errors,non_2xx,rss_kib,base_rss_kib,kib_per_conn,cpu_s,cpu_us_per_req,ctx_per_req,idle_open,idle_lost,mib_per_s,mib_per_s_min,mib_per_s_max,drips_per_s
A,w,3,200.0,100.0,300.0,20.0,60.0,70.0,3,1,2500,1000,15.00,0.20,100.0,0.05,100,0,2.5,1.5,5.5,5
B,v,2,15.0,10.0,20.0,2.0,3.0,4.0,0,0,600,400,0.00,0.02,133.3,0.13,0,0,200.0,100.0,300.0,0
CSV
awk -F, -f "$here/summarize.awk" "$tmp/raw.csv" > "$tmp/got.csv"
if ! diff -u "$tmp/expected.csv" "$tmp/got.csv"; then
  echo "summarize_test: summary differs from the hand-computed one" >&2
  exit 1
fi
# An older raw.csv, from before loadgen's drips column: nothing else moves.
cut -d, -f1-21,23- "$tmp/raw.csv" > "$tmp/old.csv"
sed '2,$s/,[0-9]*$/,0/' "$tmp/expected.csv" > "$tmp/expected_old.csv"
awk -F, -f "$here/summarize.awk" "$tmp/old.csv" > "$tmp/got_old.csv"
if ! diff -u "$tmp/expected_old.csv" "$tmp/got_old.csv"; then
  echo "summarize_test: columns are not read by name" >&2
  exit 1
fi
echo "summarize_test: ok"
