#!/usr/bin/env bash
# regenerate.sh [CASE...] - rebuilds the fpm-compatibility suite's golden summaries with the real
# fpm 1.17, for a developer with fpm's source at hand (CI cannot install fpm; it only compares).
#
# Runs each case of tests/ConsulPkg.Cli.Tests/FpmCompatibility/cases.txt (all, or those named)
# through the fpm-run.sh tool (FPM_RUN overrides its path) in a fresh copy of
# fixture/, and writes golden/CASE.summary with summarize.sh. A case fpm fails gets a summary of
# one line "fpm failed" and its last error line. Commit the changed goldens with the reason.
set -euo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
suite=$top/tests/ConsulPkg.Cli.Tests/FpmCompatibility
fpm_run=${FPM_RUN:-/work/shared/tools/fpm-run.sh}
export SOURCE_DATE_EPOCH=1480956780
# The -e/--edit case: fpm runs "$FPM_EDITOR FILE" through the shell, as consul-pkg does.
export FPM_EDITOR="sed -i -e 's/^Section: .*/Section: admin/'"
mkdir -p "$suite/golden"
meta=$(sed -n 's/^META=//p' "$suite/cases.txt")
only=("$@")

grep ' | ' "$suite/cases.txt" | grep -v '^#' | while IFS= read -r line; do
  name=${line%% | *}
  args=${line#* | }
  if [[ ${#only[@]} -gt 0 ]] && ! printf '%s\n' "${only[@]}" | grep -qx "$name"; then continue; fi
  args=${args//\$META/$meta}
  scratch=$(mktemp -d)
  cp -a "$suite/fixture/." "$scratch/"
  eval "set -- $args"
  if (cd "$scratch" && bash "$fpm_run" "$@" >"$scratch/.log" 2>&1); then
    deb=$(cd "$scratch" && find . -maxdepth 1 -name '*.deb' | head -1)
    bash "$top/build/fpm-compat/summarize.sh" "$scratch/$deb" > "$suite/golden/$name.summary"
  else
    { echo "fpm failed"; grep -v '^\s*$' "$scratch/.log" | tail -1; } > "$suite/golden/$name.summary"
  fi
  echo "$name: $(head -1 "$suite/golden/$name.summary")"
  rm -rf "$scratch"
done
