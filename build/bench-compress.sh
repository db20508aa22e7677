#!/usr/bin/env bash
# Micro-benchmark of the compressors alone (no tar, no ar): consul-pkg's stream against the
# reference tool dpkg-deb would run, on one large file, alternating runs, median wall time.
# Also proves each output with the reference tool's own test (-t).
# Usage: build/bench-compress.sh [FILE] [RUNS]   (default: the docker client, a 42 MB Go binary)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
input="${1:-$(command -v docker || true)}"
runs="${2:-3}"
[ -f "$input" ] || { echo "bench-compress: no input file (give one, e.g. a large ELF binary)" >&2; exit 2; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# Build once; run the built program, not `dotnet run`, so start-up is the app's own.
dotnet build -c Release -o "$work/bin" "$here/bench-compress.cs" >"$work/build.log" 2>&1 \
  || { cat "$work/build.log" >&2; exit 1; }
ours="$work/bin/bench-compress"

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# measure NAME CMD... : one run, appends "wall maxrss_kb size" to $work/NAME
measure() {
  local name="$1"; shift
  /usr/bin/time -f "%e %M" -o "$work/time" "$@" >/dev/null
  echo "$(cat "$work/time") $(stat -c %s "$work/out")" >>"$work/$name"
}

printf '%-6s %-22s %9s %12s %8s %9s\n' format tool "wall (s)" bytes "ratio" "RSS (MB)"
for fmt in gzip xz zstd; do
  case "$fmt" in
    gzip) ref=(sh -c "gzip -9n -c '$input' >'$work/out'"); test=(gzip -t); refname="gzip -9n" ;;
    xz)   ref=(sh -c "xz -6 -T1 -c '$input' >'$work/out'"); test=(xz -t); refname="xz -6 -T1" ;;
    zstd) ref=(sh -c "zstd -q -3 -c '$input' >'$work/out'"); test=(zstd -q -t); refname="zstd -3" ;;
  esac
  rm -f "$work/ours" "$work/ref"
  for _ in $(seq "$runs"); do
    measure ours "$ours" "$fmt" "$input" "$work/out"
    "${test[@]}" "$work/out"
    cmp -s <("${test[0]}" -dc "$work/out") "$input" || { echo "$fmt: round trip differs" >&2; exit 1; }
    measure ref "${ref[@]}"
  done
  ours_t=$(cut -d' ' -f1 "$work/ours" | median); ref_t=$(cut -d' ' -f1 "$work/ref" | median)
  ours_m=$(cut -d' ' -f2 "$work/ours" | median); ref_m=$(cut -d' ' -f2 "$work/ref" | median)
  ours_s=$(cut -d' ' -f3 "$work/ours" | head -1); ref_s=$(cut -d' ' -f3 "$work/ref" | head -1)
  printf '%-6s %-22s %9s %12s %8s %9s\n' "$fmt" consul-pkg "$ours_t" "$ours_s" \
    "$(awk -v a="$ours_t" -v b="$ref_t" 'BEGIN{printf "%.2fx", a/b}')" "$((ours_m / 1024))"
  printf '%-6s %-22s %9s %12s %8s %9s\n' "" "$refname" "$ref_t" "$ref_s" \
    "$(awk -v a="$ours_s" -v b="$ref_s" 'BEGIN{printf "%+.2f%%", (a/b-1)*100}')" "$((ref_m / 1024))"
done
echo "input: $input ($(stat -c %s "$input") bytes), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "ratio column: consul-pkg row = wall time ours/reference; reference row = size ours/reference - 1"
