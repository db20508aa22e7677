#!/usr/bin/env bash
# What the secret scan adds to `repo publish`: a package with SIZE MiB of incompressible data
# (a Consul binary is about 100-150 MiB) published RUNS times into a fresh repository, against
# reading that package once with our reader (`consul-pkg contents`, the same decompression the
# scan does) and with dpkg-deb. Prints medians of wall and CPU time.
#
#   build/bench-secret-scan.sh [SIZE_MIB] [RUNS]
#
# Not a test: numbers depend on the machine and its load (printed with them).
set -euo pipefail

size=${1:-64}
runs=${2:-5}
top=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d /tmp/consul-pkg-bench-scan.XXXXXX)
trap 'rm -rf "$work"' EXIT
command -v /usr/bin/time >/dev/null || { echo "bench-secret-scan: needs GNU time (apt-get install time)" >&2; exit 1; }
command -v gpg >/dev/null || { echo "bench-secret-scan: needs gpg to make a throw-away signing key" >&2; exit 1; }

echo "building consul-pkg (Release)..." >&2
dotnet build "$top/src/ConsulPkg.Cli" -c Release --nologo -v quiet >&2
ours=(dotnet "$top/src/ConsulPkg.Cli/bin/Release/net10.0/consul-pkg.dll")

export GNUPGHOME="$work/gnupg"
mkdir -m 700 "$GNUPGHOME"
gpg --batch --pinentry-mode loopback --passphrase '' --quick-gen-key 'Bench <bench@consul-pkg.invalid>' ed25519 sign never 2>/dev/null
gpg --batch --export-secret-keys --armor bench@consul-pkg.invalid >"$work/key.asc"
gpgconf --kill all

mkdir -p "$work/tree/usr/bin" "$work/tree/etc/bench"
head -c $((size << 20)) /dev/urandom >"$work/tree/usr/bin/bench"
printf '{ "server": true }\n' >"$work/tree/etc/bench/config.json"
(cd "$work" && "${ours[@]}" fpm -s dir -t deb -n bench -v 1.0 -C tree --deb-compression gz -p bench.deb . >/dev/null)

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
measure() {  # NAME COMMAND...
  local name=$1
  shift
  : >"$work/times"
  for _ in $(seq "$runs"); do
    rm -rf "$work/repo"
    /usr/bin/time -f "%e %U %S" -o "$work/time" "$@" >/dev/null
    cat "$work/time" >>"$work/times"
  done
  echo "| $name | $(cut -d' ' -f1 "$work/times" | median) s | $(awk '{printf "%.2f\n", $2 + $3}' "$work/times" | median) s |"
}

echo "package: $(stat -c %s "$work/bench.deb") bytes ($size MiB of random data, gzip); load average: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores"
echo "| case (median of $runs) | wall | CPU, user + system |"
echo "|---|---|---|"
measure "repo publish (reads it, scans it, copies it, signs)" "${ours[@]}" repo publish --repo "$work/repo" --suite stable --signing-key "$work/key.asc" "$work/bench.deb"
measure "consul-pkg contents (one read of the data member)" "${ours[@]}" contents "$work/bench.deb"
measure "dpkg-deb --fsys-tarfile (one read, dpkg's)" dpkg-deb --fsys-tarfile "$work/bench.deb"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
