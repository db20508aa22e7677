#!/usr/bin/env bash
# compare-outputs.sh OLD NEW - builds one fixed set of outputs with two consul-pkg builds and
# compares them byte for byte (cmp), for changes that must not change what the tool writes.
#
# OLD and NEW are commands that run consul-pkg: an executable, or "dotnet path/consul-pkg.dll"
# (quote it). A build of another commit is one `dotnet publish src/ConsulPkg.Cli -c Release -o DIR`
# away (git worktree add DIR COMMIT first).
#
# The set: the Consul recipe in both layouts (a local zip holding a stand-in binary, a fixed key,
# --skip-signature), every fpm compatibility case (tests/ConsulPkg.Cli.Tests/FpmCompatibility)
# that builds, and one `repo publish` (the seed-layout package and the dir-basic case) with a key
# made here and a fixed date.
# Everything runs with the same SOURCE_DATE_EPOCH. Prints one line per output that differs and
# exits 1 when any does; a case that fails with both builds is reported, not counted.
set -euo pipefail
if [ "$#" -ne 2 ]; then
    echo "usage: $0 OLD-COMMAND NEW-COMMAND" >&2
    exit 2
fi
old=$1 new=$2
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
suite=$top/tests/ConsulPkg.Cli.Tests/FpmCompatibility
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export SOURCE_DATE_EPOCH=1480956780 DEBFULLNAME='Ops' DEBEMAIL='ops@example.org'
export FPM_EDITOR="sed -i -e 's/^Section: .*/Section: admin/'"

# A stand-in release: the zip and its SHA256SUMS; the version is one no pin covers.
mkdir -p "$work/release"
printf '#!/bin/sh\necho consul\n' > "$work/release/consul"
chmod 0755 "$work/release/consul"
(cd "$work/release" && python3 -c '
import zipfile, os
z = zipfile.ZipFile("consul_1.5.3_linux_amd64.zip", "w", zipfile.ZIP_DEFLATED)
i = zipfile.ZipInfo("consul", (2016, 12, 5, 0, 0, 0)); i.external_attr = 0o100755 << 16
z.writestr(i, open("consul", "rb").read()); z.close()' \
    && sha256sum consul_1.5.3_linux_amd64.zip > consul_1.5.3_SHA256SUMS)
printf 'pUqJrVyVRj5jsiYEkM/tFQ==\n' > "$work/gossip.key"
chmod 0600 "$work/gossip.key"

# One repository signing key for both sides.
export GNUPGHOME="$work/gnupg"
mkdir -m 0700 "$GNUPGHOME"
gpg --batch --quiet --pinentry-mode loopback --passphrase '' \
    --quick-generate-key 'Compare <compare@example.org>' ed25519 sign never 2>/dev/null
gpg --batch --quiet --export-secret-keys --armor > "$work/repo-key.asc"

run_side() {
    local side=$1 tool=$2
    local out=$work/$side
    mkdir -p "$out/debs" "$out/repo"
    for layout in seed debian; do
        $tool build --consul-version 1.5.3 --iteration 1 --layout "$layout" \
            --zip "$work/release/consul_1.5.3_linux_amd64.zip" \
            --sha256sums "$work/release/consul_1.5.3_SHA256SUMS" --skip-signature \
            --gossip-key-file "$work/gossip.key" --source-date-epoch "$SOURCE_DATE_EPOCH" \
            --output "$out/debs/consul-$layout.deb" >/dev/null 2>"$out/build-$layout.err" \
            || echo "build --layout $layout failed ($side): $(tail -1 "$out/build-$layout.err")"
    done
    local meta name args
    meta=$(sed -n 's/^META=//p' "$suite/cases.txt")
    grep ' | ' "$suite/cases.txt" | grep -v '^#' | while IFS= read -r line; do
        name=${line%% | *}
        args=${line#* | }
        args=${args//\$META/$meta}
        rm -rf "$work/scratch" && mkdir "$work/scratch" && cp -a "$suite/fixture/." "$work/scratch/"
        eval "set -- $args"
        if (cd "$work/scratch" && $tool fpm "$@" >/dev/null 2>&1); then
            mkdir -p "$out/fpm/$name"
            find "$work/scratch" -maxdepth 1 \( -name '*.deb' -o -name '*.changes' \) -exec mv {} "$out/fpm/$name/" \;
        else
            echo "$name" >> "$out/fpm-failed"
        fi
    done
    $tool repo publish --repo "$out/repo" --suite stable --signing-key "$work/repo-key.asc" \
        --source-date-epoch "$SOURCE_DATE_EPOCH" "$out/debs/consul-seed.deb" "$out"/fpm/dir-basic/*.deb \
        >/dev/null 2>"$out/publish.err" || echo "repo publish failed ($side): $(tail -1 "$out/publish.err")"
}

run_side old "$old"
run_side new "$new"

status=0
if ! cmp -s <(sort "$work/old/fpm-failed" 2>/dev/null) <(sort "$work/new/fpm-failed" 2>/dev/null); then
    echo "fpm cases failing differ: old [$(tr '\n' ' ' < "$work/old/fpm-failed" 2>/dev/null)] new [$(tr '\n' ' ' < "$work/new/fpm-failed" 2>/dev/null)]"
    status=1
fi
compared=0
while IFS= read -r -d '' file; do
    rel=${file#"$work/old/"}
    case $rel in *.err|fpm-failed|repo/.consul-pkg.lock) continue ;; esac
    compared=$((compared + 1))
    if [ ! -e "$work/new/$rel" ]; then
        echo "only in old: $rel"; status=1
    elif ! cmp -s "$file" "$work/new/$rel"; then
        echo "differs: $rel"; status=1
    fi
done < <(find "$work/old" -type f -print0)
while IFS= read -r -d '' file; do
    rel=${file#"$work/new/"}
    case $rel in *.err|fpm-failed|repo/.consul-pkg.lock) continue ;; esac
    [ -e "$work/old/$rel" ] || { echo "only in new: $rel"; status=1; }
done < <(find "$work/new" -type f -print0)
echo "compared $compared files: $([ "$status" -eq 0 ] && echo identical || echo 'differences above')"
exit "$status"
