#!/usr/bin/env bash
# Benchmark of `repo publish` at scale: a repository of EXISTING packages (default 10,000), then
# NEW more (default 10) published into a fresh copy of it, RUNS times (default 3); prints the
# median wall time and peak RSS of the incremental publish, and the time of the first big one.
#
#   build/bench-repo.sh [EXISTING] [NEW] [RUNS]
#
# The incremental publish reads only the new .deb files and the existing Packages index, never
# the pool, so it should stay well under 5 s. Not a test: numbers depend on the machine.
set -euo pipefail

existing=${1:-10000}
new=${2:-10}
runs=${3:-3}
top=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d /tmp/consul-pkg-bench-repo.XXXXXX)
trap 'rm -rf "$work"' EXIT
command -v /usr/bin/time >/dev/null || { echo "bench-repo: needs GNU time (apt-get install time)" >&2; exit 1; }
command -v gpg >/dev/null || { echo "bench-repo: needs gpg to make a throw-away signing key (apt-get install gnupg)" >&2; exit 1; }

echo "publishing consul-pkg and the package generator (Release)..." >&2
dotnet publish "$top/src/ConsulPkg.Cli" -c Release -o "$work/bin" --nologo -v quiet >&2
dotnet build -c Release -o "$work/gen" "$top/build/bench-repo.cs" >"$work/gen.log" 2>&1 || { cat "$work/gen.log" >&2; exit 1; }
ours="$work/bin/consul-pkg"

export GNUPGHOME="$work/gnupg"
mkdir -m 700 "$GNUPGHOME"
gpg --batch --pinentry-mode loopback --passphrase '' --quick-gen-key 'Bench <bench@consul-pkg.invalid>' ed25519 sign never 2>/dev/null
gpg --batch --export-secret-keys --armor bench@consul-pkg.invalid >"$work/key.asc"
gpgconf --kill all

echo "generating $existing + $new packages..." >&2
"$work/gen/bench-repo" "$work/existing" bench "$existing"
"$work/gen/bench-repo" "$work/new" fresh "$new"

publish() {  # REPO DEBDIR
  "$ours" repo publish --repo "$1" --suite stable --signing-key "$work/key.asc" --origin Bench "$2"/*.deb >/dev/null
}

echo "publishing the $existing existing packages..." >&2
start=$(date +%s.%N)
publish "$work/base" "$work/existing"
first=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN{printf "%.1f", e-s}')

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
: >"$work/times"
for _ in $(seq "$runs"); do
  rm -rf "$work/run" && cp -a "$work/base" "$work/run"
  /usr/bin/time -f "%e %M %U %S" -o "$work/time" \
    "$ours" repo publish --repo "$work/run" --suite stable --signing-key "$work/key.asc" "$work/new"/*.deb >/dev/null
  cat "$work/time" >>"$work/times"
  [ "$(grep -c '^Package:' "$work/run/dists/stable/main/binary-amd64/Packages")" -eq $((existing + new)) ] \
    || { echo "bench-repo: the index does not list all $((existing + new)) packages" >&2; exit 1; }
done

packages_size=$(stat -c %s "$work/base/dists/stable/main/binary-amd64/Packages")
# CPU time (user + system) is the figure to read on a busy machine, where wall time mostly measures the queue.
echo "| case | wall (median of $runs) | CPU, user + system (median) | peak RSS |"
echo "|---|---|---|---|"
echo "| publish $new new into $existing existing | $(cut -d' ' -f1 "$work/times" | median) s | $(awk '{printf "%.2f\n", $3 + $4}' "$work/times" | median) s | $(( $(cut -d' ' -f2 "$work/times" | median) / 1024 )) MB |"
echo "| first publish of $existing | $first s | - | - |"
echo
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(. /etc/os-release; echo "$PRETTY_NAME"); Packages index $((packages_size / 1024)) KiB; load $(cut -d' ' -f1-3 /proc/loadavg)"
