#!/usr/bin/env bash
# Make sure a Chromium the auditor can drive is present. In order: a Playwright-managed one, a system one
# (chromium, chromium-browser, google-chrome), Debian/Ubuntu's package when running as root, then
# `playwright install chromium` (bounded, so a closed network fails fast with a clear message).
set -u
PY=${1:-.venv/bin/python}
if "$PY" -c 'from auditor.browser import find_chromium; print(find_chromium().executable)' 2>/dev/null; then
  exit 0
fi
if [ -f /etc/debian_version ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "No Chromium found: installing Debian's chromium package (apt-get install -y chromium)..."
  if timeout 900 apt-get update -qq && DEBIAN_FRONTEND=noninteractive timeout 900 apt-get install -y -qq chromium >/dev/null; then
    "$PY" -c 'from auditor.browser import find_chromium; print(find_chromium().executable)' && exit 0
  fi
  echo "apt-get could not install chromium." >&2
fi
echo "No Chromium found: trying 'playwright install chromium' (gives up after 180 s)..."
if timeout 180 "$PY" -m playwright install chromium; then
  "$PY" -c 'from auditor.browser import find_chromium; print(find_chromium().executable)' && exit 0
fi
echo "error: no Chromium available. Install one (Debian/Ubuntu: sudo apt-get install -y chromium;" \
     "elsewhere: python -m playwright install chromium), or set AUDITOR_CHROMIUM=/path/to/chrome." >&2
exit 1
