#!/usr/bin/env bash
# Benchmark of fpm's --template-scripts rendering: the product's direct substitution against the
# Scriban translation it replaced (build/bench-templates.cs holds both). RUNS fresh processes per
# way (default 15), alternating, each rendering a 60-line templated postinst once: the medians of
# the process wall time and of that first render (what a one-shot `consul-pkg fpm` pays: loading
# and compiling the renderer); then one process per way rendering it COUNT times (default 2000):
# the median warm render. Not a test: numbers depend on the machine and its load, printed too.
#
#   build/bench-templates.sh [RUNS] [COUNT]
set -euo pipefail
runs=${1:-15}
count=${2:-2000}
top=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d /tmp/consul-pkg-bench-templates.XXXXXX)
trap 'rm -rf "$work"' EXIT
echo "building the benchmark (Release)..." >&2
(cd "$top/build" && dotnet build -c Release -o "$work/bin" bench-templates.cs >"$work/build.log" 2>&1) || { cat "$work/build.log" >&2; exit 1; }

# Cold: a fresh process rendering once, as `consul-pkg fpm --template-scripts` does.
for ((i = 0; i < runs; i++)); do
  for mode in direct scriban; do
    start=$(date +%s%N)
    line=$("$work/bin/bench-templates" "$mode" 1)
    end=$(date +%s%N)
    echo "$mode $(( (end - start) / 1000000 )) $(sed -E 's/.*first=([0-9.]+)ms.*/\1/' <<<"$line")" >>"$work/cold"
  done
done
# Warm: one process per way rendering COUNT times after the first.
for mode in direct scriban; do
  "$work/bin/bench-templates" "$mode" "$count" | sed -E "s/.*median=([0-9.]+)us.*/$mode \1/" >>"$work/warm"
done

median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
printf '%-8s %14s %16s %16s\n' way "process ms" "first render ms" "warm render us"
for mode in direct scriban; do
  printf '%-8s %14s %16s %16s\n' "$mode" \
    "$(awk -v m=$mode '$1 == m { print $2 }' "$work/cold" | median)" \
    "$(awk -v m=$mode '$1 == m { print $3 }' "$work/cold" | median)" \
    "$(awk -v m=$mode '$1 == m { print $2 }' "$work/warm")"
done
echo "runs: $runs per way, alternating; load average: $(cut -d' ' -f1-3 /proc/loadavg); cores: $(nproc)"
