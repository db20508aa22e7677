#!/usr/bin/env bash
# Benchmark: consul-pkg against dpkg-deb on the same staged trees.
#
#   build/bench.sh [RUNS]        (default 3 runs of each tool, alternating)
#
# Prints one markdown table: median wall time of each tool, the ratio ours/dpkg-deb, the
# output size ratio and the peak RSS of each. Not a test: numbers depend on the machine.
# BENCH_BUILD=native|jit picks the consul-pkg build measured (default: what build/consul-pkg
# picks on this machine); each is published once into .artifacts/bench-KIND/ and reused.
# BENCH_TOOL=PATH measures an executable published before instead (BENCH_BUILD then only labels it).
# Start-up cases (--version, contents of a one-file package) run RUNS x 10 times each.
# The stand-in for the Consul binary is a large Go executable (the docker client where
# there is one, else the largest ELF file in /usr/bin), which compresses like consul does.
set -euo pipefail

runs=${1:-3}
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/build/bench-trees.sh"
work=$(mktemp -d /tmp/consul-pkg-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
export SOURCE_DATE_EPOCH=1480956780 LC_ALL=C TZ=UTC

command -v /usr/bin/time >/dev/null || { echo "bench: needs GNU time (apt-get install time)" >&2; exit 1; }

if [ -z "${BENCH_BUILD:-}" ]; then
  if command -v clang >/dev/null && [ -e /usr/include/zlib.h ]; then BENCH_BUILD=native; else BENCH_BUILD=jit; fi
fi
if [ -n "${BENCH_TOOL:-}" ]; then
  ours=$BENCH_TOOL
else
  # Published (or reused) the way build/consul-pkg does it; its one line about the build goes to stderr.
  CONSUL_PKG_BUILD=$BENCH_BUILD CONSUL_PKG_ARTIFACTS="$top/.artifacts/bench-$BENCH_BUILD" "$top/build/consul-pkg" --version >/dev/null
  ours="$top/.artifacts/bench-$BENCH_BUILD/bin/consul-pkg"
fi

binary=$(standin_binary)

# stage NAME: a data tree under $work/NAME/data and the same tree plus DEBIAN/ under
# $work/NAME/dpkg (hard links, so the input is the same files read from the same disk).
stage_big() {  # NAME COPIES: the binary COPIES times (40 MB, 400 MB...)
  local d="$work/$1/data"
  mkdir -p "$d/usr/bin" "$d/etc/bench"
  for i in $(seq 1 "$2"); do cp "$binary" "$d/usr/bin/consul$i"; done
  echo '{"server": true}' > "$d/etc/bench/bench.json"
}
stage_small() {  # NAME: 20,000 files of 1-8 KB in 2,000 directories, cut from the binary
  stage_small_files "$work/$1/data/usr/share/bench" "$binary"
}
finish_stage() {  # NAME
  local s="$work/$1"
  mkdir -p "$s/dpkg"
  cp -al "$s/data/." "$s/dpkg/"
  mkdir -p "$s/dpkg/DEBIAN"
  # The md5sums file consul-pkg writes (and dh_md5sums would), made outside the timing, so the
  # two packages hold the same members and their sizes compare like for like.
  (cd "$s/data" && find . -type f -printf '%P\0' | LC_ALL=C sort -z | xargs -0 -r md5sum) > "$s/dpkg/DEBIAN/md5sums"
  printf 'Package: bench\nVersion: 1.0-1\nArchitecture: amd64\nMaintainer: Bench <bench@example.org>\nDescription: benchmark\n' > "$s/dpkg/DEBIAN/control"
}

# measure OUTFILE CMD...: appends "seconds maxrss_kib" of one run to OUTFILE.
measure() {
  local out=$1; shift
  /usr/bin/time -f '%e %M' -o "$work/time.txt" "$@" >/dev/null 2>"$work/err.txt" || { cat "$work/err.txt" >&2; exit 1; }
  cat "$work/time.txt" >> "$out"
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
maxcol() { awk -v c="$1" '$c>m{m=$c} END{print m}'; }

declare -A zname=( [gzip]=gz [xz]=xz [zstd]=zst [none]=none )

row() {  # LABEL OURS_TIMES DPKG_TIMES OURS_FILE DPKG_FILE
  local a b ra rb sa sb
  a=$(cut -d' ' -f1 "$2" | median); b=$(cut -d' ' -f1 "$3" | median)
  ra=$(maxcol 2 < "$2"); rb=$(maxcol 2 < "$3")
  sa=$(stat -c %s "$4" 2>/dev/null || echo 0); sb=$(stat -c %s "$5" 2>/dev/null || echo 1)
  awk -v l="$1" -v a="$a" -v b="$b" -v ra="$ra" -v rb="$rb" -v sa="$sa" -v sb="$sb" 'BEGIN {
    size = (sa > 0 && sb > 0) ? sprintf("%.4f", sa / sb) : "-"
    printf "| %s | %.2f s | %.2f s | %.2fx | %s | %.0f MB | %.0f MB |\n", l, a, b, (b > 0 ? a / b : 0), size, ra / 1024, rb / 1024 }'
}

build_case() {  # NAME COMPRESSION LABEL
  local s="$work/$1" c=$2
  : > "$work/o.t"; : > "$work/d.t"
  for _ in $(seq 1 "$runs"); do
    measure "$work/o.t" "$ours" fpm -s dir -t deb -n bench -v 1.0 --iteration 1 -a amd64 -m 'Bench <bench@example.org>' \
      --description benchmark --deb-compression "${zname[$c]}" --deb-no-docs -f -p "$s/ours.deb" -C "$s/data" .
    measure "$work/d.t" dpkg-deb --root-owner-group "-Z$c" -b "$s/dpkg" "$s/dpkg.deb"
  done
  row "$3" "$work/o.t" "$work/d.t" "$s/ours.deb" "$s/dpkg.deb"
}

# startup_case LABEL "OURS ARGS" "DPKG ARGS": milliseconds per run, measured one run at a time
# (RUNS x 10 runs each, alternating), median; peak RSS from one more run of each under time(1).
startup_case() {
  local label=$1 a b i t0
  local -a oa da
  read -r -a oa <<< "$2"; read -r -a da <<< "$3"
  : > "$work/o.ms"; : > "$work/d.ms"
  for i in $(seq 1 $((runs * 10))); do
    t0=$(date +%s%N); "$ours" "${oa[@]}" >/dev/null; echo $(( ($(date +%s%N) - t0) / 1000 )) >> "$work/o.ms"
    t0=$(date +%s%N); dpkg-deb "${da[@]}" >/dev/null; echo $(( ($(date +%s%N) - t0) / 1000 )) >> "$work/d.ms"
  done
  : > "$work/o.t"; : > "$work/d.t"
  measure "$work/o.t" "$ours" "${oa[@]}"; measure "$work/d.t" dpkg-deb "${da[@]}"
  a=$(median < "$work/o.ms"); b=$(median < "$work/d.ms")
  awk -v l="$label" -v a="$a" -v b="$b" -v ra="$(maxcol 2 < "$work/o.t")" -v rb="$(maxcol 2 < "$work/d.t")" 'BEGIN {
    printf "| %s | %.1f ms | %.1f ms | %.2fx | - | %.0f MB | %.0f MB |\n", l, a / 1000, b / 1000, a / b, ra / 1024, rb / 1024 }'
}

stage_big big 1; finish_stage big
echo "consul-pkg build: $BENCH_BUILD, load at start $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| case | consul-pkg | dpkg-deb | ratio | size ratio | RSS ours | RSS dpkg-deb |"
echo "|---|---|---|---|---|---|---|"

# Start-up: the version, and the listing of a one-file package (the kind a pipeline inspects).
mkdir -p "$work/tiny/usr/bin" "$work/tiny/DEBIAN"
printf '#!/bin/sh\necho hello\n' > "$work/tiny/usr/bin/hello"; chmod 0755 "$work/tiny/usr/bin/hello"
printf 'Package: tiny\nVersion: 1.0\nArchitecture: all\nMaintainer: Bench <bench@example.org>\nDescription: tiny\n' > "$work/tiny/DEBIAN/control"
dpkg-deb --root-owner-group -b "$work/tiny" "$work/tiny.deb" >/dev/null
startup_case "--version" "--version" "--version"
startup_case "contents, one-file package" "contents $work/tiny.deb" "-c $work/tiny.deb"
for c in gzip xz zstd none; do
  build_case big "$c" "40 MB binary, $c"
done

# Inspecting: contents of the largest gzip package.
build_case big gzip "40 MB binary, gzip (again, for contents)" >/dev/null
: > "$work/o.t"; : > "$work/d.t"
for _ in $(seq 1 "$runs"); do
  measure "$work/o.t" "$ours" contents "$work/big/ours.deb"
  measure "$work/d.t" dpkg-deb -c "$work/big/ours.deb"
done
row "contents, 40 MB gzip package" "$work/o.t" "$work/d.t" /dev/null /dev/null

if [ "${BENCH_LARGE:-1}" = 1 ]; then
  stage_big huge 10; finish_stage huge
  build_case huge gzip "400 MB input, gzip"
  build_case huge zstd "400 MB input, zstd"
  rm -rf "$work/huge"
fi

stage_small small; finish_stage small
build_case small gzip "20,000 small files, gzip"

# The Consul recipe from a local release: a zip holding the stand-in binary as `consul`, its
# SHA256SUMS signed by a throw-away key the build is told to trust. Measures verification
# (signature, sums, zip hash), extraction, rendering and the gzip build together.
rel="$work/release"; mkdir -p "$rel"
python3 - "$binary" "$rel/consul_9.9.9_linux_amd64.zip" <<'PY'
import sys, zipfile
with zipfile.ZipFile(sys.argv[2], "w", zipfile.ZIP_DEFLATED) as z:
    z.write(sys.argv[1], "consul")
PY
(cd "$rel" && sha256sum consul_9.9.9_linux_amd64.zip > consul_9.9.9_SHA256SUMS)
export GNUPGHOME="$work/gnupg"; mkdir -m 700 "$GNUPGHOME"
gpg --batch --quiet --passphrase '' --quick-gen-key 'Bench <bench@example.org>' rsa3072 sign never 2>/dev/null
gpg --batch --quiet --export > "$rel/bench.pub"
gpg --batch --quiet --detach-sign -o "$rel/consul_9.9.9_SHA256SUMS.sig" "$rel/consul_9.9.9_SHA256SUMS"
: > "$work/o.t"
for _ in $(seq 1 "$runs"); do
  measure "$work/o.t" "$ours" build --consul-version 9.9.9 --zip "$rel/consul_9.9.9_linux_amd64.zip" \
    --sha256sums "$rel/consul_9.9.9_SHA256SUMS" --trusted-key "$rel/bench.pub" --output "$rel/out.deb" --force
done
awk '{print $1}' "$work/o.t" | median | awk -v r="$(maxcol 2 < "$work/o.t")" '{ printf "| consul recipe, local 40 MB zip, gzip | %.2f s | - | - | - | %.0f MB | - |\n", $1, r / 1024 }'

echo
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(. /etc/os-release; echo "$PRETTY_NAME"), $(dpkg-deb --version | head -n1 | sed 's/.*version \([^ ]*\).*/dpkg-deb \1/'), input $(basename "$binary") $(( $(stat -c %s "$binary") / 1000000 )) MB, $runs runs each, load at end $(cut -d' ' -f1-3 /proc/loadavg)"
