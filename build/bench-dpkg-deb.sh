#!/usr/bin/env bash
# Benchmark: consul-pkg's dpkg-deb front end against the real dpkg-deb, in the same run, on the
# same trees, alternating. Ours is the dpkg-deb published beside the tool (bin/dpkg-deb), run by
# that name, as a pipeline would have it.
#
#   build/bench-dpkg-deb.sh [RUNS]     (default 3 runs of each large case)
#
# Prints three markdown tables, with the load average at start and end:
# - building (-b --root-owner-group) the 40 MB and 400 MB trees of build/bench.sh with gzip,
#   zstd and none (and xz, dpkg-deb's default, on the 40 MB tree): median wall time and CPU time (user+sys, children included) of each tool,
#   the ratio of wall times, the size ratio, peak RSS, and whether the packages agree: the whole
#   file byte for byte with none, the decompressed members (--ctrl-tarfile, --fsys-tarfile, read
#   by the real dpkg-deb) otherwise;
# - reading the packages dpkg-deb built from both trees (-c, -x, --fsys-tarfile), gzip and zstd
#   (and xz from the 40 MB tree);
# - start-up on a one-file package (-c, -I, -W, -f, --version): STARTUP_RUNS runs of each
#   (default 200), alternating, one at a time; median CPU time and median wall time; ours is the
#   bin/dpkg-deb published beside the tool, and the whole tool through a link is shown as well.
# CPU time is the figure to compare on a shared machine: other work delays a run but does not
# add to its CPU time. BENCH_BUILD / BENCH_TOOL pick the executable as in build/bench.sh;
# BENCH_LARGE=0 skips the 400 MB tree. Not a test: numbers depend on the machine.
set -euo pipefail

runs=${1:-3}
startup_runs=${STARTUP_RUNS:-200}
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/build/bench-trees.sh"
work=$(mktemp -d /tmp/consul-pkg-bench-dpkg-deb.XXXXXX)
trap 'rm -rf "$work"' EXIT
export SOURCE_DATE_EPOCH=1480956780 LC_ALL=C TZ=UTC

command -v /usr/bin/time >/dev/null || { echo "bench-dpkg-deb: needs GNU time (apt-get install time)" >&2; exit 1; }

if [ -z "${BENCH_BUILD:-}" ]; then
  if command -v clang >/dev/null && [ -e /usr/include/zlib.h ]; then BENCH_BUILD=native; else BENCH_BUILD=jit; fi
fi
if [ -n "${BENCH_TOOL:-}" ]; then
  tool=$BENCH_TOOL
else
  CONSUL_PKG_BUILD=$BENCH_BUILD CONSUL_PKG_ARTIFACTS="$top/.artifacts/bench-$BENCH_BUILD" "$top/build/consul-pkg" --version >/dev/null
  tool="$top/.artifacts/bench-$BENCH_BUILD/bin/consul-pkg"
fi
# Ours is the dpkg-deb published beside the tool (bin/dpkg-deb: in the native build the small
# executable of the front end alone, in the JIT build a link to the tool); the whole tool run
# through a link named dpkg-deb is measured at start-up too.
mkdir -p "$work/bin"
ln -s "$tool" "$work/bin/dpkg-deb"
whole=$work/bin/dpkg-deb
ours=$(dirname "$tool")/bin/dpkg-deb
[ -x "$ours" ] || ours=$whole
theirs=$(command -v dpkg-deb)

binary=$(standin_binary)

# stage NAME COPIES: the stand-in binary COPIES times, a small config and a control file.
stage() {
  local d="$work/$1"
  mkdir -p "$d/usr/bin" "$d/etc/bench" "$d/DEBIAN"
  for i in $(seq 1 "$2"); do cp "$binary" "$d/usr/bin/consul$i"; done
  echo '{"server": true}' > "$d/etc/bench/bench.json"
  printf 'Package: bench\nVersion: 1.0-1\nArchitecture: amd64\nMaintainer: Bench <bench@example.org>\nDescription: benchmark\n' > "$d/DEBIAN/control"
}

# measure OUTFILE CMD...: appends "wall user sys maxrss_kib" of one run to OUTFILE. Each run
# starts with nothing left to write back (sync): hundreds of megabytes written by the run before
# would otherwise be flushed during this one, on the same two cores and disk, and charge one
# tool for the other's writing.
measure() {
  local out=$1; shift
  sync
  /usr/bin/time -f '%e %U %S %M' -o "$work/time.txt" "$@" >/dev/null 2>"$work/err.txt" || { cat "$work/err.txt" >&2; exit 1; }
  cat "$work/time.txt" >> "$out"
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
walls() { cut -d' ' -f1 "$1" | median; }
cpus() { awk '{print $2 + $3}' "$1" | median; }
maxrss() { awk '$4>m{m=$4} END{print m}' "$1"; }

# row LABEL OURS_TIMES DPKG_TIMES SIZE_RATIO AGREEMENT
row() {
  awk -v l="$1" -v a="$(walls "$2")" -v b="$(walls "$3")" -v ca="$(cpus "$2")" -v cb="$(cpus "$3")" \
      -v ra="$(maxrss "$2")" -v rb="$(maxrss "$3")" -v s="$4" -v g="$5" 'BEGIN {
    printf "| %s | %.2f s (%.2f s CPU) | %.2f s (%.2f s CPU) | %.2fx | %s | %.0f MB | %.0f MB | %s |\n",
      l, a, ca, b, cb, (b > 0 ? a / b : 0), s, ra / 1024, rb / 1024, g }'
}

# agreement OURS.deb DPKG.deb COMPRESSION: how the two packages compare.
agreement() {
  if [ "$3" = none ]; then
    cmp -s "$1" "$2" && echo "identical file" || echo "FILES DIFFER"
    return
  fi
  local part
  for part in --ctrl-tarfile --fsys-tarfile; do
    if ! cmp -s <("$theirs" "$part" "$1") <("$theirs" "$part" "$2"); then echo "MEMBERS DIFFER ($part)"; return; fi
  done
  echo "same members decompressed"
}

build_case() {  # NAME COMPRESSION LABEL
  local s="$work/$1" c=$2
  : > "$work/o.t"; : > "$work/d.t"
  for _ in $(seq 1 "$runs"); do
    measure "$work/o.t" "$ours" --root-owner-group "-Z$c" -b "$s" "$work/$1-$c-ours.deb"
    measure "$work/d.t" "$theirs" --root-owner-group "-Z$c" -b "$s" "$work/$1-$c-dpkg.deb"
  done
  local size
  size=$(awk -v a="$(stat -c %s "$work/$1-$c-ours.deb")" -v b="$(stat -c %s "$work/$1-$c-dpkg.deb")" 'BEGIN { printf "%.4f", a / b }')
  row "$3" "$work/o.t" "$work/d.t" "$size" "$(agreement "$work/$1-$c-ours.deb" "$work/$1-$c-dpkg.deb" "$c")"
  rm -f "$work/$1-$c-ours.deb"
}

read_case() {  # PACKAGE LABEL OPERATION...: the operation on dpkg-deb's package, by each tool.
  local deb=$1 label=$2; shift 2
  : > "$work/o.t"; : > "$work/d.t"
  for _ in $(seq 1 "$runs"); do
    rm -rf "$work/x"; measure "$work/o.t" "$ours" "$@" "$deb" ${extract_to:+"$work/x"}
    rm -rf "$work/x"; measure "$work/d.t" "$theirs" "$@" "$deb" ${extract_to:+"$work/x"}
  done
  rm -rf "$work/x"
  row "$label" "$work/o.t" "$work/d.t" - -
}

echo "consul-pkg build: $BENCH_BUILD ($tool; dpkg-deb: $ours), load at start $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| build | ours | dpkg-deb | ratio | size ratio | RSS ours | RSS dpkg-deb | packages |"
echo "|---|---|---|---|---|---|---|---|"
sizes=(40)
stage t40 1
if [ "${BENCH_LARGE:-1}" = 1 ]; then sizes+=(400); stage t400 10; fi
# xz, dpkg-deb's default, on the 40 MB tree only: xz -6 of the 400 MB tree takes minutes a run.
with_xz() { [ "$1" = 40 ] && echo xz; return 0; }
for mb in "${sizes[@]}"; do
  for c in gzip zstd none $(with_xz "$mb"); do
    build_case "t$mb" "$c" "-b, $mb MB tree, $c"
  done
done

echo
echo "| read dpkg-deb's package | ours | dpkg-deb | ratio | - | RSS ours | RSS dpkg-deb | - |"
echo "|---|---|---|---|---|---|---|---|"
for mb in "${sizes[@]}"; do
  for c in gzip zstd $(with_xz "$mb"); do
    deb="$work/t$mb-$c-dpkg.deb"
    extract_to='' read_case "$deb" "-c, $mb MB, $c" -c
    extract_to='' read_case "$deb" "--fsys-tarfile, $mb MB, $c" --fsys-tarfile
    extract_to=1 read_case "$deb" "-x, $mb MB, $c" -x
  done
done
rm -rf "$work/t400"

# Start-up: a one-file package as a loop over thousands of packages meets it.
mkdir -p "$work/tiny/usr/bin" "$work/tiny/DEBIAN"
printf '#!/bin/sh\necho hello\n' > "$work/tiny/usr/bin/hello"; chmod 0755 "$work/tiny/usr/bin/hello"
printf 'Package: tiny\nVersion: 1.0\nArchitecture: all\nMaintainer: Bench <bench@example.org>\nDescription: tiny\n' > "$work/tiny/DEBIAN/control"
"$theirs" --root-owner-group -b "$work/tiny" "$work/tiny.deb" >/dev/null
echo
echo "| start-up, one-file package ($startup_runs runs each) | ours CPU | dpkg-deb CPU | CPU ratio | ours wall | dpkg-deb wall | wall ratio |"
echo "|---|---|---|---|---|---|---|"
python3 - "$startup_runs" "$ours" "$theirs" "$work/tiny.deb" "$whole" <<'PY'
import os, statistics, sys, time

runs, ours, theirs, deb, whole = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5]
cases = [("-c", ["-c", deb]), ("-I", ["-I", deb]), ("-W", ["-W", deb]), ("-f", ["-f", deb, "Version"]), ("--version", ["--version"])]
devnull = os.open(os.devnull, os.O_WRONLY)

def run(program, args):
    start = time.perf_counter_ns()
    pid = os.posix_spawn(program, ["dpkg-deb", *args], os.environ, file_actions=[(os.POSIX_SPAWN_DUP2, devnull, 1)])
    _, status, usage = os.wait4(pid, 0)  # the child's usage and that of the children it waited for
    if status != 0:
        sys.exit(f"{program} {' '.join(args)}: exit status {status}")
    return (usage.ru_utime + usage.ru_stime) * 1000, (time.perf_counter_ns() - start) / 1e6

# Each round runs ours, the whole tool (when ours is not it) and dpkg-deb, one after the other.
programs = [ours, whole, theirs] if whole != ours else [ours, theirs]
for label, args in cases:
    samples = {program: ([], []) for program in programs}
    for _ in range(runs):
        for program in programs:
            cpu, wall = run(program, args)
            samples[program][0].append(cpu)
            samples[program][1].append(wall)
    tc, tw = (statistics.median(x) for x in samples[theirs])
    for program in programs[:-1]:
        oc, ow = (statistics.median(x) for x in samples[program])
        name = label if program == ours else f"{label} (consul-pkg as dpkg-deb)"
        print(f"| {name} | {oc:.2f} ms | {tc:.2f} ms | {oc / tc:.2f}x | {ow:.2f} ms | {tw:.2f} ms | {ow / tw:.2f}x |")
PY

echo
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(. /etc/os-release; echo "$PRETTY_NAME"), $("$theirs" --version | head -n1 | sed 's/.*version \([^ ]*\).*/dpkg-deb \1/'), input $(basename "$binary") $(( $(stat -c %s "$binary") / 1000000 )) MB, $runs runs each, load at end $(cut -d' ' -f1-3 /proc/loadavg)"
