#!/usr/bin/env bash
# summarize.sh DEB - what the fpm-compatibility suite compares of a .deb, one fact a line:
#   field NAME: VALUE        each control field (a description's continuation lines as "field Description+:")
#   entry MODE OWNER/GROUP PATH[ -> TARGET]   each data.tar member, in archive order sorted by path
#   conffile PATH            each line of conffiles
#   script NAME              each maintainer script present
#   script NAME: LINE        each line of it that mentions "fpm-compat" (the suite's user scripts'
#                            markers), in the order they appear
#   member NAME MODE         each other control member (config, templates, triggers, shlibs...)
#   member NAME: LINE        each line of it
#   changes LINE             each line of the .changes beside the package (DEB's name with
#                            .changes), checksums and sizes as HASH and SIZE: the .deb's bytes differ
# Uses dpkg-deb and GNU tar only, so the goldens made from fpm's packages and the test's
# summaries of consul-pkg's packages come from the same code.
set -euo pipefail
deb=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

dpkg-deb -e "$deb" "$tmp/control"
awk '/^[^ ]/ { n = index($0, ":"); name = substr($0, 1, n - 1); print "field " $0; next }
     /^ / { print "field " name "+:" $0 }' "$tmp/control/control"

dpkg-deb --fsys-tarfile "$deb" | tar -tv --quoting-style=literal |
  awk '{ mode = $1; owner = $2; gsub(/(^|\/)root/, "&", owner); sub(/^root\//, "0/", owner); sub(/\/root$/, "/0", owner); $1 = $2 = $3 = $4 = $5 = ""; sub(/^ +/, ""); print "entry " mode " " owner " " $0 }' |
  LC_ALL=C sort -k4

if [[ -f $tmp/control/conffiles ]]; then
  sed 's/^/conffile /' "$tmp/control/conffiles"
fi

for s in preinst postinst prerm postrm; do
  [[ -f $tmp/control/$s ]] || continue
  echo "script $s"
  grep -o 'fpm-compat[^"]*' "$tmp/control/$s" | sed "s/^/script $s: /" || true
done

for m in $(cd "$tmp/control" && LC_ALL=C ls); do
  case $m in control|md5sums|conffiles|preinst|postinst|prerm|postrm) continue ;; esac
  echo "member $m $(stat -c %a "$tmp/control/$m")"
  sed "s/^/member $m: /" "$tmp/control/$m"
done

changes=${deb%.deb}.changes
if [[ -f $changes ]]; then
  sed -E 's/^ [0-9a-f]{32,64} [0-9]+ / HASH SIZE /; s/^/changes /' "$changes"
fi
