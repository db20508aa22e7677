#!/usr/bin/env bash
# The one test command, for developers and CI alike: restore, build once, run every test
# project of the solution, and print one line "N passed, N failed[, N skipped]" computed from
# the TRX result files. Exit status: the build's when it fails, else non-zero when any test failed.
#
#   build/test.sh [extra dotnet test arguments, e.g. --filter TestCategory!=Install]
#
# Environment: CONFIGURATION (default Release), TEST_RESULTS_DIR (default TestResults/),
# CONSUL_PKG_TEST_CACHE (where the install tests keep their debootstrapped root).
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

# A hung test host is killed (and dumped) well inside CI's 90 minutes instead of eating them.
status=0
dotnet test consul-pkg.sln --no-build -c "$configuration" \
    --logger "trx;LogFilePrefix=consul-pkg" --logger "console;verbosity=normal" \
    --results-directory "$results" --blame-hang-timeout 20m "$@" || status=$?

summary=0
"$root/build/trx-summary.sh" "$results" || summary=$?
if [ "$status" -eq 0 ] && [ "$summary" -ne 0 ]; then
    status="$summary"
fi
exit "$status"
