#!/usr/bin/env bash
# CPU time of packaging many small files, compared between consul-pkg executables.
#
#   build/bench-cpu.sh [RUNS] TOOL...     e.g. build/bench-cpu.sh 9 /tmp/before/consul-pkg .artifacts/bin/consul-pkg
#
# Each TOOL (a published consul-pkg executable) builds `fpm -s dir` packages of the same tree of
# 20,000 files of 1-8 KB in 2,000 directories (build/bench-trees.sh), the tools in turn, RUNS
# times each (default 9). Prints, per tool, the median and spread of user+sys CPU seconds, the
# median wall time, and peak RSS. CPU time rather than wall time, because the machine may be
# shared: other work delays a run but does not add to its CPU time. BENCH_COMPRESSION picks the
# compression (default none, so that the per-file work, not the compressor, is what is compared).
# BENCH_STRACE=1 adds one more build per tool under `strace -c -f` and prints its counts of the
# file system calls (deterministic, unlike times). Not a test: numbers depend on the machine.
set -euo pipefail

runs=9
if [[ ${1:-} =~ ^[0-9]+$ ]]; then runs=$1; shift; fi
[ $# -gt 0 ] || { echo "usage: build/bench-cpu.sh [RUNS] TOOL..." >&2; exit 2; }
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/build/bench-trees.sh"
command -v /usr/bin/time >/dev/null || { echo "bench-cpu: needs GNU time (apt-get install time)" >&2; exit 1; }
compression=${BENCH_COMPRESSION:-none}
work=$(mktemp -d /tmp/consul-pkg-bench-cpu.XXXXXX)
trap 'rm -rf "$work"' EXIT
export SOURCE_DATE_EPOCH=1480956780 LC_ALL=C TZ=UTC

stage_small_files "$work/tree/usr/share/bench" "$(standin_binary)"

# One build of the tree, after the tool's path.
build=(fpm -s dir -t deb -n bench -v 1.0 --iteration 1 -a amd64 -m 'Bench <bench@example.org>'
  --description benchmark --deb-compression "$compression" --deb-no-docs -f -p "$work/out.deb" -C "$work/tree" .)

tools=("$@")
for i in "${!tools[@]}"; do : > "$work/t$i"; "${tools[$i]}" "${build[@]}" >/dev/null; done  # warm the page cache
for _ in $(seq 1 "$runs"); do
  for i in "${!tools[@]}"; do
    /usr/bin/time -f '%U %S %e %M' -o "$work/one" "${tools[$i]}" "${build[@]}" >/dev/null
    cat "$work/one" >> "$work/t$i"
  done
done

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
echo "20,000 small files, $compression, $runs runs each, load at end $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| tool | CPU (user+sys) median | CPU min-max | wall median | peak RSS |"
echo "|---|---|---|---|---|"
for i in "${!tools[@]}"; do
  cpu=$(awk '{print $1 + $2}' "$work/t$i" | median)
  spread=$(awk '{c = $1 + $2; if (NR == 1 || c < lo) lo = c; if (c > hi) hi = c} END {printf "%.2f-%.2f s", lo, hi}' "$work/t$i")
  wall=$(awk '{print $3}' "$work/t$i" | median)
  rss=$(awk '$4 > m {m = $4} END {printf "%.0f MB", m / 1024}' "$work/t$i")
  printf '| %s | %.2f s | %s | %.2f s | %s |\n' "${tools[$i]}" "$cpu" "$spread" "$wall" "$rss"
done

if [ "${BENCH_STRACE:-0}" = 1 ]; then
  echo
  echo "| tool | openat | statx | newfstatat/fstat | close | read/pread64 | flock | fadvise64 | lseek | getdents64 | all calls |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|"
  for t in "${tools[@]}"; do
    strace -c -f -o "$work/strace" "$t" "${build[@]}" >/dev/null
    # strace -c: "% time, seconds, usecs/call, calls, [errors,] syscall"; the calls are column 4.
    awk -v t="$t" '$1 ~ /^[0-9.]+$/ && NF >= 5 { calls[$NF] = $4 }
      END {
        printf "| %s | %d | %d | %d | %d | %d | %d | %d | %d | %d | %d |\n", t, calls["openat"], calls["statx"],
          calls["newfstatat"] + calls["fstat"], calls["close"], calls["read"] + calls["pread64"], calls["flock"],
          calls["fadvise64"], calls["lseek"], calls["getdents64"], calls["total"] }' "$work/strace"
  done
fi
