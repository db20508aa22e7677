#!/usr/bin/env bash
# The one test command, for developers and CI alike: restore, build once, run every test
# project of the solution, and print one line "N passed, N failed[, N skipped]" computed from
# the TRX result files. Exit status: the build's when it fails, else non-zero when any test failed.
#
#   build/test.sh [extra dotnet test arguments, e.g. --filter 'TestCategory!=Install&TestCategory!=Publish']
#
# Environment: CONFIGURATION (default Release), TEST_RESULTS_DIR (default TestResults/),
# CONSUL_PKG_TEST_CACHE (where the install tests keep their debootstrapped roots, default
# /var/cache/consul-pkg-tests). Category Install needs root, Publish runs dotnet publish and
# NativeAOT; the filter above runs the rest as any user (docs/testing.md, "Parts of the suite").
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

configuration="${CONFIGURATION:-Release}"
results="${TEST_RESULTS_DIR:-$root/TestResults}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

rm -rf "$results"
mkdir -p "$results"

dotnet restore consul-pkg.sln
dotnet build consul-pkg.sln --no-restore -c "$configuration"

# One test project at a time, each with its own TRX file name: names made from timestamps can
# collide when two projects finish within the same second, and a lost file is a lost count.
mapfile -t projects < <(dotnet sln consul-pkg.sln list | grep -E 'Tests\.csproj$' | sed 's|\\|/|g' | sort)
if [ "${#projects[@]}" -eq 0 ]; then
    echo "test.sh: no *.Tests.csproj in consul-pkg.sln" >&2
    exit 2
fi

# Tests never change the machine they run on: the host's accounts are compared after the suite
# (maintainer scripts, adduser and systemctl run only inside the install tests' scratch roots).
accounts=(/etc/passwd /etc/group /etc/shadow /etc/gshadow)
accounts_before="$(sha256sum "${accounts[@]}" 2>/dev/null || true)"

# A hung test host is killed (and dumped) well inside CI's 90 minutes instead of eating them.
status=0
for project in "${projects[@]}"; do
    name="$(basename "$project" .csproj)"
    dotnet test "$project" --no-build -c "$configuration" \
        --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=normal" \
        --results-directory "$results" --blame-hang-timeout 20m "$@" || status=$?
done

if [ "$(sha256sum "${accounts[@]}" 2>/dev/null || true)" != "$accounts_before" ]; then
    echo "test.sh: the test suite changed this host's accounts (${accounts[*]}): a test ran a maintainer script outside a scratch root" >&2
    status=1
fi

summary=0
"$root/build/trx-summary.sh" "$results" || summary=$?
if [ "$status" -eq 0 ] && [ "$summary" -ne 0 ]; then
    status="$summary"
fi
exit "$status"
