#!/usr/bin/env bash
# Benchmark of the repository commands at scale, consul-pkg beside aptly and reprepro (both from
# Debian, installed here when missing) on the same generated packages:
#
#   build/bench-repo.sh [SIZES] [RUNS]      e.g. build/bench-repo.sh "10000 50000" 3
#
# FIRST_RUNS (default RUNS) sets the runs of the first-publish case alone, the long one.
# For each size N (default "10000 50000"): the first publish of N packages, 10 more into N, and
# removing 1 from N, each RUNS times (default 3) on a fresh copy of the same repository; prints
# the medians of wall time, CPU time (user + system) and peak RSS, and the machine's load.
# The same work where the tools allow it: one suite, amd64 and all, Packages plain + .gz,
# Contents-ARCH.gz, signed InRelease and Release.gpg. Where they differ: consul-pkg and reprepro
# also write Packages.xz (aptly cannot: it writes .bz2, skipped here); consul-pkg and aptly
# write by-hash copies (reprepro does not). Not a test: numbers depend on the machine.
set -euo pipefail

sizes=${1:-10000 50000}
runs=${2:-3}
new=10
top=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d /tmp/consul-pkg-bench-repo.XXXXXX)
trap 'gpgconf --kill all 2>/dev/null; rm -rf "$work"' EXIT

missing=()
for tool in aptly reprepro gpg strace; do
  command -v "$tool" >/dev/null || missing+=("$( [ "$tool" = gpg ] && echo gnupg || echo "$tool")")
done
command -v /usr/bin/time >/dev/null || missing+=(time)
if [ ${#missing[@]} -gt 0 ]; then
  echo "bench-repo: installing ${missing[*]} from Debian..." >&2
  apt-get install -y --no-install-recommends "${missing[@]}" >&2
fi

echo "publishing consul-pkg as build/consul-pkg would (the native executable where clang is here), and the package generator..." >&2
CONSUL_PKG_ARTIFACTS="$work/artifacts" "$top/build/consul-pkg" --version >&2
dotnet build -c Release -o "$work/gen" "$top/build/bench-repo.cs" >"$work/gen.log" 2>&1 || { cat "$work/gen.log" >&2; exit 1; }
ours="$work/artifacts/bin/consul-pkg"

export GNUPGHOME="$work/gnupg"
mkdir -m 700 "$GNUPGHOME"
gpg --batch --pinentry-mode loopback --passphrase '' --quick-gen-key 'Bench <bench@consul-pkg.invalid>' ed25519 sign never 2>/dev/null
gpg --batch --export-secret-keys --armor bench@consul-pkg.invalid >"$work/key.asc"
keyid=$(gpg --batch --with-colons --list-secret-keys bench@consul-pkg.invalid | awk -F: '/^sec/ {print $5; exit}')

# --- the three tools, each: first DIR DEBS, add DIR DEBS, remove DIR NAME -------------------------
ours_first() { (cd "$2" && ls >"$work/list" && "$ours" repo publish --repo "$1" --suite stable --signing-key "$work/key.asc" --origin Bench @"$work/list" >/dev/null); }
ours_add() { "$ours" repo publish --repo "$1" --suite stable --signing-key "$work/key.asc" "$2"/*.deb >/dev/null; }
ours_remove() { "$ours" repo remove --repo "$1" --suite stable --signing-key "$work/key.asc" "$2" >/dev/null; }

aptly_config() {
  printf '{"rootDir": "%s/aptly", "gpgProvider": "gpg", "architectures": ["amd64", "all"], "skipContentsPublishing": false}\n' "$1" >"$1/aptly.conf"
}
aptly_first() {
  mkdir -p "$1"; aptly_config "$1"
  aptly -config="$1/aptly.conf" repo create -distribution=stable -component=main bench >/dev/null
  aptly -config="$1/aptly.conf" repo add bench "$2" >/dev/null
  aptly -config="$1/aptly.conf" publish repo -batch -gpg-key="$keyid" -skip-bz2 -architectures=amd64,all bench >/dev/null
}
aptly_add() {
  aptly_config "$1" # the copy lives elsewhere
  aptly -config="$1/aptly.conf" repo add bench "$2" >/dev/null
  aptly -config="$1/aptly.conf" publish update -batch -gpg-key="$keyid" -skip-bz2 stable >/dev/null
}
aptly_remove() {
  aptly_config "$1"
  aptly -config="$1/aptly.conf" repo remove bench "$2" >/dev/null
  aptly -config="$1/aptly.conf" publish update -batch -gpg-key="$keyid" -skip-bz2 stable >/dev/null
}

reprepro_first() {
  mkdir -p "$1/conf"
  cat >"$1/conf/distributions" <<CONF
Codename: stable
Origin: Bench
Architectures: amd64
Components: main
SignWith: $keyid
DebIndices: Packages Release . .gz .xz
Contents: .gz
CONF
  # One includedeb per 5,000 files (the argument list has a limit), exporting once at the end.
  (cd "$2" && ls | xargs -n 5000 reprepro -b "$1" --export=never includedeb stable >/dev/null 2>&1)
  reprepro -b "$1" export stable >/dev/null 2>&1
}
reprepro_add() { reprepro -b "$1" includedeb stable "$2"/*.deb >/dev/null 2>&1; }
reprepro_remove() { reprepro -b "$1" remove stable "$2" >/dev/null 2>&1; }

# /usr/bin/time runs programs, not functions: each case runs in a bash that has them (a few ms, the same for every tool).
export ours work keyid
export -f ours_first ours_add ours_remove aptly_config aptly_first aptly_add aptly_remove reprepro_first reprepro_add reprepro_remove

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# measure TOOL CASE N SETUP-COMMAND... : runs the case RUNS times, appends "tool case n wall cpu rss".
measure() {
  local tool=$1 case=$2 n=$3 count=$runs
  [ "$case" = first ] && count=${FIRST_RUNS:-$runs}
  : >"$work/times"
  for _ in $(seq "$count"); do
    rm -rf "$work/run"
    case $case in
      first) mkdir "$work/run"; set -- "${tool}_first" "$work/run/repo" "$work/existing" ;;
      add) cp -a "$work/base-$tool" "$work/run"; set -- "${tool}_add" "$work/run/repo" "$work/new" ;;
      remove) cp -a "$work/base-$tool" "$work/run"; set -- "${tool}_remove" "$work/run/repo" "bench-5" ;;
    esac
    sync
    /usr/bin/time -f "%e %M %U %S" -o "$work/time" bash -c '"$@"' bash "$@"
    cat "$work/time" >>"$work/times"
  done
  echo "$tool $case $n $(cut -d' ' -f1 "$work/times" | median) $(awk '{printf "%.2f\n", $3 + $4}' "$work/times" | median) $(( $(cut -d' ' -f2 "$work/times" | median) / 1024 ))" >>"$work/results"
  echo "  $tool $case $n: $(tail -1 "$work/results" | cut -d' ' -f4-)  (load $(cut -d' ' -f1 /proc/loadavg))" >&2
}

: >"$work/results"
loads=()
for n in $sizes; do
  echo "generating $n + $new packages..." >&2
  rm -rf "$work/existing" "$work/new"
  "$work/gen/bench-repo" "$work/existing" bench "$n"
  "$work/gen/bench-repo" "$work/new" fresh "$new"
  for tool in ours aptly reprepro; do
    echo "$tool: the base repository of $n..." >&2
    rm -rf "$work/base-$tool" && mkdir "$work/base-$tool"
    "${tool}_first" "$work/base-$tool/repo" "$work/existing"
  done
  # The incremental cases must not read the pool: every file consul-pkg opens below pool/ is a new one.
  rm -rf "$work/run" && cp -a "$work/base-ours" "$work/run"
  strace -f -qq -e trace=openat -o "$work/strace" "$ours" repo publish --repo "$work/run/repo" --suite stable --signing-key "$work/key.asc" "$work/new"/*.deb >/dev/null
  pool_reads=$(grep -c '/pool/.*O_RDONLY' "$work/strace" || true)
  echo "  pool files opened for reading by +$new into $n: $pool_reads" >&2
  for case in first add remove; do
    for tool in ours aptly reprepro; do
      loads+=("$(cut -d' ' -f1 /proc/loadavg)")
      measure "$tool" "$case" "$n"
    done
  done
  packages_size=$(stat -c %s "$work/base-ours/repo/dists/stable/main/binary-amd64/Packages")
  echo "  $n: Packages index $((packages_size / 1024)) KiB, pool files read by the incremental publish: $pool_reads" >>"$work/notes"
  rm -rf "$work/base-ours" "$work/base-aptly" "$work/base-reprepro" "$work/run"
done

label() { case $1 in first) echo "first publish of $2" ;; add) echo "+$new into $2" ;; remove) echo "remove 1 from $2" ;; esac; }
echo "| case | consul-pkg wall / CPU / RSS | aptly wall / CPU / RSS | reprepro wall / CPU / RSS |"
echo "|---|---|---|---|"
for n in $sizes; do
  for case in first add remove; do
    row="| $(label "$case" "$n") "
    for tool in ours aptly reprepro; do
      row+="| $(awk -v t="$tool" -v c="$case" -v n="$n" '$1 == t && $2 == c && $3 == n {printf "%s s / %s s / %s MB", $4, $5, $6}' "$work/results") "
    done
    echo "$row|"
  done
done
echo
cat "$work/notes"
printf '%s\n' "${loads[@]}" | sort -n | awk '{a[NR]=$1} END {printf "machine: load average %s-%s during the runs (1-minute, sampled before each case), ", a[1], a[NR]}'
echo "$(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(. /etc/os-release; echo "$PRETTY_NAME"); medians of $runs runs (first publish: ${FIRST_RUNS:-$runs})"
echo "versions: $(aptly version | head -1), $(reprepro --version 2>&1 | head -1)"
