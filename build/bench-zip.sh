#!/usr/bin/env bash
# How the Consul zip is best read once (src/ConsulPkg.Debian/DECISIONS.md): the `consul` entry of
# a release-sized zip extracted RUNS times (default 5) by each reader of build/bench-zip.cs, runs
# interleaved; prints the median wall and CPU time of each. The zip is made here from the largest
# shared library on the machine (a binary the size of Consul 1.x's, ~110 MB), deflated as
# HashiCorp's zips are. Not a test: numbers depend on the machine and its load.
#
#   build/bench-zip.sh [RUNS] [BINARY]
set -euo pipefail

runs=${1:-5}
binary=${2:-$(find /usr/lib -name 'libLLVM*.so*' -type f -size +50M 2>/dev/null | head -n1)}
[ -n "$binary" ] || { echo "bench-zip: no large binary found: give one as the second argument" >&2; exit 1; }
command -v zip >/dev/null || { echo "bench-zip: needs zip (apt-get install zip)" >&2; exit 1; }
top=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d /tmp/consul-pkg-bench-zip.XXXXXX)
trap 'rm -rf "$work"' EXIT

cp "$binary" "$work/consul"
(cd "$work" && zip -q -6 release.zip consul && rm consul)
dotnet build -c Release -o "$work/bin" "$top/build/bench-zip.cs" >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; exit 1; }
"$work/bin/bench-zip" "$work/release.zip" "$runs" "$work/out" >"$work/times"

[ "$(cut -d' ' -f4 "$work/times" | sort -u | wc -l)" -eq 1 ] || { echo "bench-zip: the readers disagree on the CRC-32" >&2; exit 1; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
echo "| reader | wall (median of $runs) | CPU (median) |"
echo "|---|---|---|"
for reader in two-reads sharpcompress ziparchive; do
  echo "| $reader | $(awk -v r=$reader '$1 == r {print $2}' "$work/times" | median) s | $(awk -v r=$reader '$1 == r {print $3}' "$work/times" | median) s |"
done
echo
echo "entry: $(basename "$binary"), $(( $(stat -c %s "$binary") / 1048576 )) MiB inflated, zip $(( $(stat -c %s "$work/release.zip") / 1048576 )) MiB; $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg)"
