# bench/summarize.awk — raw.csv (one line per repetition, written by bench/ladder) → summary.csv
# (one line per server and workload: medians of the repetitions, req/s min and max, KiB per
# idle connection, CPU and context switches per request, response-body MiB/s median, min and
# max, bytes dripped per second by slowloris holders). Run: awk -F, -f bench/summarize.awk raw.csv
# Tested by bench/tests/summarize_test.sh on a fixed input.
# Columns are found by their names in the header line, so a column loadgen adds (it prints its
# own header) moves none of them; a column an older raw.csv lacks reads as 0.
NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
  function f(name) { return (name in col) ? $(col[name]) : 0 }
  {
    k = $1 "," $2; n[k]++
    rps[k, n[k]] = f("rps"); mib[k, n[k]] = f("mib_per_s"); p50[k, n[k]] = f("p50_us")
    p99[k, n[k]] = f("p99_us"); p999[k, n[k]] = f("p999_us")
    err[k] += f("resets") + f("timeouts") + f("connect_errors") + f("bad_responses"); non2xx[k] += f("non_2xx")
    rss[k, n[k]] = f("server_rss_kib"); base[k] = f("base_rss_kib")
    cpu[k, n[k]] = f("cpu_s"); cs[k, n[k]] = f("ctx_switches"); req[k, n[k]] = f("requests")
    idle_lost[k] += f("idle_lost"); idle_open[k, n[k]] = f("idle_open"); drips[k, n[k]] = f("drips")
    secs[k, n[k]] = f("seconds")
    if (!(k in order)) { order[k] = ++m; keys[m] = k }
  }
  function median(arr, k, c,    i, j, t, v) {
    for (i = 1; i <= c; i++) v[i] = arr[k, i] + 0
    for (i = 1; i <= c; i++) for (j = i + 1; j <= c; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
    return (c % 2) ? v[(c + 1) / 2] : (v[c / 2] + v[c / 2 + 1]) / 2
  }
  function minmax(arr, k, c, want,    i, r) {
    r = arr[k, 1] + 0
    for (i = 2; i <= c; i++) if ((want == "min" && arr[k, i] + 0 < r) || (want == "max" && arr[k, i] + 0 > r)) r = arr[k, i] + 0
    return r
  }
  END {
    print "server,workload,reps,rps,rps_min,rps_max,p50_us,p99_us,p999_us,errors,non_2xx,rss_kib,base_rss_kib,kib_per_conn,cpu_s,cpu_us_per_req,ctx_per_req,idle_open,idle_lost,mib_per_s,mib_per_s_min,mib_per_s_max,drips_per_s"
    for (i = 1; i <= m; i++) {
      k = keys[i]; c = n[k]
      r = median(rps, k, c); io = median(idle_open, k, c)
      kpc = (io > 0) ? (median(rss, k, c) - base[k]) / io : 0
      reqs = median(req, k, c); cpu_s = median(cpu, k, c)
      for (j = 1; j <= c; j++) dps[k, j] = (secs[k, j] > 0) ? drips[k, j] / secs[k, j] : 0
      printf "%s,%d,%.1f,%.1f,%.1f,%.1f,%.1f,%.1f,%d,%d,%d,%d,%.2f,%.2f,%.1f,%.2f,%d,%d,%.1f,%.1f,%.1f,%.0f\n", k, c, r,
        minmax(rps, k, c, "min"), minmax(rps, k, c, "max"), median(p50, k, c), median(p99, k, c),
        median(p999, k, c), err[k], non2xx[k], median(rss, k, c), base[k], kpc, cpu_s,
        (reqs > 0) ? cpu_s * 1e6 / reqs : 0, (reqs > 0) ? median(cs, k, c) / reqs : 0, io, idle_lost[k],
        median(mib, k, c), minmax(mib, k, c, "min"), minmax(mib, k, c, "max"), median(dps, k, c)
    }
  }
