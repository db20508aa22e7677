#!/usr/bin/env bash
# Sums the <Counters> of every TRX file under DIR and prints "N passed, N failed[, N skipped]".
# Failed counts failed, error, timeout and aborted outcomes; skipped counts the tests NUnit
# reports as not executed or inconclusive (Ignore, Explicit, Assume). Exits 1 when any test
# failed, 2 when DIR holds no TRX file at all.
set -euo pipefail

dir="${1:?usage: trx-summary.sh RESULTS_DIR}"

mapfile -t files < <(find "$dir" -name '*.trx' -type f | sort)
if [ "${#files[@]}" -eq 0 ]; then
    echo "trx-summary: no TRX file under $dir: did the test run start?" >&2
    exit 2
fi

# One <Counters .../> element per TRX file; attributes in any order.
grep -ho '<Counters [^>]*>' "${files[@]}" | awk '
    function attr(name,   m) {
        if (match($0, " " name "=\"[0-9]+\"")) {
            m = substr($0, RSTART, RLENGTH); gsub(/[^0-9]/, "", m); return m + 0
        }
        return 0
    }
    {
        passed  += attr("passed")
        failed  += attr("failed") + attr("error") + attr("timeout") + attr("aborted")
        skipped += attr("notExecuted") + attr("inconclusive")
    }
    END {
        line = passed " passed, " failed " failed"
        if (skipped > 0) line = line ", " skipped " skipped"
        print line
        exit (failed > 0 ? 1 : 0)
    }'
