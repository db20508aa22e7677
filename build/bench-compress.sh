#!/usr/bin/env bash
# Micro-benchmark of the compressors and decompressors alone (no tar, no ar): consul-pkg's
# streams against the reference tool dpkg-deb would run, on one large file, alternating runs,
# median wall time and median CPU time (user + system: what a shared, loaded machine distorts
# least). Also proves each output with the reference tool's own test (-t).
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

# measure NAME CMD... : one run, appends "wall maxrss_kb size cpu" to $work/NAME
measure() {
  local name="$1"; shift
  /usr/bin/time -f "%e %M %U %S" -o "$work/time" "$@" >/dev/null
  read -r wall rss user sys <"$work/time"
  echo "$wall $rss $(stat -c %s "$work/out") $(awk -v u="$user" -v s="$sys" 'BEGIN{printf "%.2f", u+s}')" >>"$work/$name"
}

printf '%-6s %-22s %9s %8s %12s %8s %9s\n' format tool "wall (s)" "CPU (s)" bytes "ratio" "RSS (MB)"
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
  ours_c=$(cut -d' ' -f4 "$work/ours" | median); ref_c=$(cut -d' ' -f4 "$work/ref" | median)
  printf '%-6s %-22s %9s %8s %12s %8s %9s\n' "$fmt" consul-pkg "$ours_t" "$ours_c" "$ours_s" \
    "$(awk -v a="$ours_t" -v b="$ref_t" 'BEGIN{printf "%.2fx", a/b}')" "$((ours_m / 1024))"
  printf '%-6s %-22s %9s %8s %12s %8s %9s\n' "" "$refname" "$ref_t" "$ref_c" "$ref_s" \
    "$(awk -v a="$ours_s" -v b="$ref_s" 'BEGIN{printf "%+.2f%%", (a/b-1)*100}')" "$((ref_m / 1024))"
  cp "$work/out" "$work/compressed.$fmt"
done

# Decoding: each decoder reads the reference tool's output in 64 KiB reads, as the tar
# reader does, against the tool's own -dc. "bytes" is the decoded size.
echo
printf '%-6s %-22s %9s %8s %12s %9s\n' decode tool "wall (s)" "CPU (s)" bytes "RSS (MB)"
for fmt in gzip xz zstd; do
  case "$fmt" in
    gzip) tool=gzip ;; xz) tool=xz ;; zstd) tool=zstd ;;
  esac
  rm -f "$work/dours" "$work/dref"
  for _ in $(seq "$runs"); do
    /usr/bin/time -f "%e %M %U %S" -o "$work/time" "$ours" decode "$fmt" "$work/compressed.$fmt" >"$work/decoded"
    read -r _ size <"$work/decoded"
    [ "$size" = "$(stat -c %s "$input")" ] || { echo "$fmt: decoded $size bytes" >&2; exit 1; }
    read -r wall rss user sys <"$work/time"
    echo "$wall $rss $size $(awk -v u="$user" -v s="$sys" 'BEGIN{printf "%.2f", u+s}')" >>"$work/dours"
    /usr/bin/time -f "%e %M %U %S" -o "$work/time" sh -c "$tool -dc '$work/compressed.$fmt' >/dev/null"
    read -r wall rss user sys <"$work/time"
    echo "$wall $rss $size $(awk -v u="$user" -v s="$sys" 'BEGIN{printf "%.2f", u+s}')" >>"$work/dref"
  done
  for side in dours dref; do
    name=consul-pkg; [ "$side" = dref ] && name="$tool -dc"
    label="$fmt"; [ "$side" = dref ] && label=""
    printf '%-6s %-22s %9s %8s %12s %9s\n' "$label" "$name" "$(cut -d' ' -f1 "$work/$side" | median)" \
      "$(cut -d' ' -f4 "$work/$side" | median)" "$(cut -d' ' -f3 "$work/$side" | head -1)" \
      "$(( $(cut -d' ' -f2 "$work/$side" | median) / 1024 ))"
  done
done
echo "input: $input ($(stat -c %s "$input") bytes), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "ratio column: consul-pkg row = wall time ours/reference; reference row = size ours/reference - 1"
