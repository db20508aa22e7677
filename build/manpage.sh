#!/usr/bin/env bash
# Writes consul-pkg's manual page (roff, section 1) to stdout, made from the tool's own --help
# and each command's, so the page cannot drift from the options the executable accepts.
#
#   build/manpage.sh TOOL VERSION > consul-pkg.1
#
# The date is SOURCE_DATE_EPOCH's (default: now), so the page is reproducible.
set -euo pipefail

tool=$1
version=$2
date=$(date -u -d "@${SOURCE_DATE_EPOCH:-$(date +%s)}" +%Y-%m-%d)

# Help text as literal roff: no filling, backslashes escaped, and \& in front of every line so
# one that starts with '.' or "'" is never read as a request.
literal() {
  echo '.nf'
  sed -e 's/\\/\\e/g' -e 's/^/\\\&/'
  echo '.fi'
}

# The commands, in --help's order: the first word of each line under "Commands:".
commands=$(COLUMNS=200 "$tool" --help | awk '/^Commands:/ {on = 1; next} on && NF {print $1}')

cat <<ROFF
.TH CONSUL-PKG 1 "$date" "consul-pkg $version" "User Commands"
.SH NAME
consul-pkg \\- build, inspect and verify Debian packages without Ruby, tar or ar
.SH SYNOPSIS
.B consul-pkg
.I command
.RI [ options ]
.SH DESCRIPTION
.B consul-pkg
builds Debian packages from a directory with fpm's command line
.RB ( "consul-pkg fpm" ),
prints and extracts packages byte for byte as
.BR dpkg-deb (1)
does
.RB ( contents ", " info ", " extract ),
and packages HashiCorp Consul from a verified release in one command
.RB ( build ", " keygen ", " configs ),
and rotates the gossip key of a running cluster
.RB ( "keyring rotate" ).
Every package is reproducible: the same inputs and
.B SOURCE_DATE_EPOCH
give the same bytes.
Bad input gets one line on standard error naming the value and the fix; the exit status is 1
for bad input and 2 for bad usage.
.SH OPTIONS
ROFF
COLUMNS=200 "$tool" --help | literal
echo '.SH COMMANDS'
for command in $commands; do
  echo ".SS $command"
  COLUMNS=200 "$tool" "$command" --help | literal
  # dpkg-deb's help is dpkg-deb's own: its "Commands:" are options, not subcommands.
  [ "$command" = dpkg-deb ] && continue
  # A command with subcommands (repo publish, keyring rotate): each one's help too.
  for sub in $(COLUMNS=200 "$tool" "$command" --help | awk '/^Commands:/ {on = 1; next} on && NF {print $1}'); do
    echo ".SS $command $sub"
    COLUMNS=200 "$tool" "$command" "$sub" --help | literal
  done
done
cat <<ROFF
.SH ENVIRONMENT
.TP
.B SOURCE_DATE_EPOCH
the one timestamp of a build (default: now).
.TP
.B CONSUL_PKG_RELEASE_URL
a mirror with HashiCorp's release layout, for
.BR build .
.TP
.B CONSUL_PKG_GOSSIP_KEY
the gossip key for
.B build
and
.BR configs ,
when no key file is given.
.TP
.B CONSUL_HTTP_ADDR
the agent's HTTP API for
.B keyring rotate
when no
.B \\-\\-http\\-addr
is given.
.TP
.B CONSUL_HTTP_TOKEN
the ACL token for
.B keyring rotate
when no token file is given.
.TP
.BR http_proxy ", " https_proxy ", " no_proxy
proxies for downloads.
.SH FILES
.TP
.I /usr/lib/consul-pkg/templates/
the Scriban templates of the Consul package;
.B \\-\\-templates
replaces them file by file.
.TP
.I /usr/lib/consul-pkg/keys/
HashiCorp's release signing keys.
.SH SEE ALSO
.BR dpkg-deb (1),
.BR fpm (1)
ROFF
