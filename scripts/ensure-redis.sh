#!/usr/bin/env bash
# Make sure redis-server is installed: the distributed-mode tests start a private one on a loopback port.
# Debian/Ubuntu as root: apt-get install redis-server (bounded). Elsewhere: say how to install it.
set -u
if command -v redis-server >/dev/null 2>&1; then
  exit 0
fi
if [ -f /etc/debian_version ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "No redis-server found: installing Debian's redis-server package (apt-get install -y redis-server)..."
  if timeout 900 apt-get update -qq && DEBIAN_FRONTEND=noninteractive timeout 900 \
      apt-get install -y -qq --no-install-recommends redis-server >/dev/null; then
    command -v redis-server >/dev/null 2>&1 && exit 0
  fi
  echo "apt-get could not install redis-server." >&2
fi
echo "error: redis-server is needed by the distributed-mode tests. Install it (Debian/Ubuntu:" \
     "sudo apt-get install -y redis-server; macOS: brew install redis)." >&2
exit 1
