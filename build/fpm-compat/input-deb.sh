#!/usr/bin/env bash
# input-deb.sh - remakes the fpm-compatibility suite's -s deb input,
# tests/ConsulPkg.Cli.Tests/FpmCompatibility/fixture/debs/tool_1.0-1_amd64.deb, with dpkg-deb:
# fields fpm reads and fields it drops, two scripts, a conffile, a triggers member and a
# directory owned by daemon (the owners a repackaged tree keeps). Run as root (chown).
set -euo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
out=$top/tests/ConsulPkg.Cli.Tests/FpmCompatibility/fixture/debs/tool_1.0-1_amd64.deb
tree=$(mktemp -d)
chmod 0755 "$tree"
trap 'rm -rf "$tree"' EXIT
mkdir -p "$tree/DEBIAN" "$tree/usr/bin" "$tree/etc/tool" "$tree/var/lib/tool"
printf '#!/bin/sh\necho tool\n' > "$tree/usr/bin/tool"
printf 'port = 8080\n' > "$tree/etc/tool/tool.conf"
chmod 0755 "$tree/usr/bin/tool"
chmod 0750 "$tree/var/lib/tool"
chown daemon:daemon "$tree/var/lib/tool"
cat > "$tree/DEBIAN/control" <<'CONTROL'
Package: tool
Version: 1.0-1
License: MIT
Vendor: Example
Architecture: amd64
Maintainer: Me <me@example.org>
Installed-Size: 1
Pre-Depends: dpkg (>= 1.17)
Depends: libc6 (>= 2.17), adduser
Recommends: curl
Conflicts: oldtool
Provides: tool-api
Section: utils
Priority: optional
Homepage: https://example.org
X-Origin: upstream
Description: A tool
 It does things.
CONTROL
printf '/etc/tool/tool.conf\n' > "$tree/DEBIAN/conffiles"
printf 'interest-noawait /usr/share/tool/hooks\n' > "$tree/DEBIAN/triggers"
printf '#!/bin/sh\necho fpm-compat:deb-postinst "$@"\n' > "$tree/DEBIAN/postinst"
printf '#!/bin/sh\necho fpm-compat:deb-prerm "$@"\n' > "$tree/DEBIAN/prerm"
chmod 0755 "$tree/DEBIAN/postinst" "$tree/DEBIAN/prerm"
mkdir -p "$(dirname "$out")"
SOURCE_DATE_EPOCH=1480956780 dpkg-deb -Zgzip -b "$tree" "$out" >/dev/null
echo "$out"
