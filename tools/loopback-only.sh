#!/bin/sh
# Runs a command in a new network namespace that has only loopback, so tests cannot reach (or
# be reached from) any other address. Needs root, or an unprivileged user namespace.
set -eu
if [ "$(id -u)" = 0 ]; then
  exec unshare --net -- sh -c 'ip link set lo up && exec "$@"' sh "$@"
fi
exec unshare --map-root-user --net -- sh -c 'ip link set lo up && exec "$@"' sh "$@"
