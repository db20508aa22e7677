#!/usr/bin/env bash
# Builds the release of consul-pkg into dist/:
#
#   build/release.sh
#
#   dist/consul-pkg_VERSION_amd64.deb            built by consul-pkg itself (its `fpm` command)
#   dist/consul-pkg-VERSION-linux-x64.tar.gz     the same files, for other distributions
#
# VERSION is the project's (VersionPrefix in Directory.Build.props). The executable is the
# NativeAOT one, published through build/consul-pkg (so it needs clang and zlib1g-dev, and the
# .NET SDK); the machine that installs the package needs no .NET. The Depends line is what the
# executable loads: libc6 at the version its symbols need (dpkg-shlibdeps), and the libraries
# it opens with dlopen, which no tool can see: libssl3 (HTTPS, hashes), liblzma5, libzstd1 and
# zlib1g (the compressors). Reproducible: SOURCE_DATE_EPOCH (default: the last commit's time)
# is every timestamp.
#
# CONSUL_PKG_DIST overrides the output directory; CONSUL_PKG_MAINTAINER the Maintainer field.
set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
dist=${CONSUL_PKG_DIST:-$top/dist}
maintainer=${CONSUL_PKG_MAINTAINER:-consul-pkg maintainers <maintainers@consul-pkg.invalid>}
export LC_ALL=C.UTF-8 TZ=UTC

if [ -z "${SOURCE_DATE_EPOCH:-}" ]; then
  SOURCE_DATE_EPOCH=$(git -C "$top" log -1 --format=%ct 2>/dev/null || date +%s)
fi
export SOURCE_DATE_EPOCH

case "$(uname -m)" in
  x86_64) arch=amd64 rid=linux-x64 ;;
  aarch64) arch=arm64 rid=linux-arm64 ;;
  *) echo "release: no release for $(uname -m): build on x86_64 (or aarch64)" >&2; exit 1 ;;
esac

version=$(dotnet msbuild "$top/src/ConsulPkg.Cli/ConsulPkg.Cli.csproj" -getProperty:VersionPrefix -nologo)
[[ $version =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || { echo "release: project version '$version' is not X.Y.Z: fix VersionPrefix in Directory.Build.props" >&2; exit 1; }

# The native executable, published (or reused) by the launcher; it then builds its own package.
CONSUL_PKG_BUILD=native "$top/build/consul-pkg" --version >/dev/null
bin=${CONSUL_PKG_ARTIFACTS:-$top/.artifacts}/bin
tool=$bin/consul-pkg

work=$(mktemp -d /tmp/consul-pkg-release.XXXXXX)
trap 'rm -rf "$work"' EXIT

# libc6 (>= X) from the executable's versioned symbols, as a Debian package build computes it.
mkdir -p "$work/shlibs/debian"
printf 'Source: consul-pkg\n\nPackage: consul-pkg\nArchitecture: any\n' > "$work/shlibs/debian/control"
libc=$(cd "$work/shlibs" && dpkg-shlibdeps -O -e"$tool" 2>/dev/null | sed -n 's/^shlibs:Depends=//p')
[[ $libc == libc6* ]] || { echo "release: dpkg-shlibdeps found no libc6 dependency in '$libc'" >&2; exit 1; }

# The installed tree: the executable with the templates and keys it finds beside itself.
root=$work/root
lib=$root/usr/lib/consul-pkg
install -d "$lib" "$root/usr/bin" "$root/usr/share/man/man1" "$root/usr/share/lintian/overrides"
install -m 0755 "$tool" "$lib/consul-pkg"
# dpkg-deb's front end alone, for a PATH that wants our dpkg-deb (docs/inspection.md); in its own
# directory so that putting it on PATH brings nothing else.
install -D -m 0755 "$bin/bin/dpkg-deb" "$lib/bin/dpkg-deb"
cp -r "$bin/templates" "$bin/keys" "$lib/"
chmod -R u=rwX,go=rX "$lib"
ln -s ../lib/consul-pkg/consul-pkg "$root/usr/bin/consul-pkg"
"$top/build/manpage.sh" "$tool" "$version" > "$work/consul-pkg.1"
gzip -9n -c "$work/consul-pkg.1" > "$root/usr/share/man/man1/consul-pkg.1.gz"
install -m 0644 "$top/build/release.lintian-overrides" "$root/usr/share/lintian/overrides/consul-pkg"

mkdir -p "$dist"
deb=$dist/consul-pkg_${version}_${arch}.deb
"$tool" fpm -s dir -t deb -n consul-pkg -v "$version" -a "$arch" -m "$maintainer" \
  --license MIT --category utils --deb-priority optional \
  --description "$(printf '%s\n%s\n%s\n%s' \
    'build, inspect and verify Debian packages without Ruby, tar or ar' \
    'consul-pkg builds .deb packages from a directory with the command line of' \
    'fpm, prints and extracts packages as dpkg-deb does, and packages HashiCorp' \
    'Consul from a verified release in one command. It needs no .NET runtime.')" \
  -d "$libc" -d libssl3 -d liblzma5 -d libzstd1 -d zlib1g --deb-recommends ca-certificates \
  -f -p "$deb" -C "$root" . >/dev/null

# The tar.gz: the same files under one directory, with the man page uncompressed.
name=consul-pkg-$version-$rid
tree=$work/$name
install -d "$tree"
cp -a "$lib/." "$tree/"
cp "$work/consul-pkg.1" "$top/LICENSE" "$top/README.md" "$tree/"
tar --sort=name --mtime="@$SOURCE_DATE_EPOCH" --owner=0 --group=0 --numeric-owner \
  --format=gnu -C "$work" -cf - "$name" | gzip -9n > "$dist/$name.tar.gz"

echo "$deb"
echo "$dist/$name.tar.gz"
