#!/bin/sh
# Installs the Debian/Ubuntu packages Minwon Desk needs (as root), or says exactly which are
# missing. npm runs it before `npm ci` installs anything (preinstall: better-sqlite3 compiles
# from source with python3, make and g++) and before `npm test` (pretest: Debian's Chromium for
# the end-to-end tests, iproute2 and util-linux for their loopback-only network namespace,
# Kamailio with its WebSocket and SQLite modules, rtpengine, baresip, SIPp and PostgreSQL, and a
# Korean font: the citizens' page uses the system's, as citizens' phones and PCs have one).
# Usage: ensure-system-packages.sh [check:package ...]  (defaults: the native-build toolchain)
# A check is a command name, or a path (glob allowed) for packages that install no command.
# A package ending in ! is installed without its recommends (rtpengine-daemon's pull in a
# recording daemon and its media libraries, which nothing here uses).
set -eu

needed=${*:-"python3:python3 make:make g++:g++"}
missing=""
for pair in $needed; do
  check=${pair%%:*}
  case $check in
    */*) ls $check >/dev/null 2>&1 || missing="$missing ${pair#*:}" ;;
    *) command -v "$check" >/dev/null 2>&1 || missing="$missing ${pair#*:}" ;;
  esac
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "minwon: installing system packages:$missing" >&2
  apt-get update -qq
  plain=$(printf '%s\n' $missing | grep -v '!$' | tr '\n' ' ')
  lean=$(printf '%s\n' $missing | grep '!$' | tr -d '!' | tr '\n' ' ')
  [ -z "$plain" ] || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $plain >/dev/null
  [ -z "$lean" ] || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $lean >/dev/null
  exit 0
fi
missing=$(echo "$missing" | tr -d '!')
echo "minwon: missing system packages:$missing" >&2
echo "minwon: install them first, e.g.: sudo apt-get install -y --no-install-recommends$missing" >&2
exit 1
