#!/usr/bin/env bash
# The browser tests drive Debian's Chromium (playwright-core downloads no browser of its
# own): install it when /usr/bin/chromium is missing. Needs root and Debian's apt sources.
# Exit 0 when Chromium is there (already or now), non-zero with one line when it can't be.
set -uo pipefail

CHROMIUM=/usr/bin/chromium
if [ -x "$CHROMIUM" ]; then
  exit 0
fi

fail() {
  echo "ensure-chromium: $1 (the browser tests need $CHROMIUM; as root: apt-get update && apt-get install -y --no-install-recommends chromium)" >&2
  exit 1
}

command -v apt-get >/dev/null 2>&1 || fail "no apt-get on this machine"
[ "$(id -u)" -eq 0 ] || fail "not root, cannot install chromium"

echo "ensure-chromium: installing Debian's chromium (once per machine)"
log=$(mktemp)
export DEBIAN_FRONTEND=noninteractive
if ! { apt-get update -q && apt-get install -y -q --no-install-recommends chromium; } >"$log" 2>&1; then
  tail -n 5 "$log" >&2
  rm -f "$log"
  fail "apt-get could not install chromium"
fi
rm -f "$log"
[ -x "$CHROMIUM" ] || fail "chromium was installed but $CHROMIUM is missing"
echo "ensure-chromium: $("$CHROMIUM" --version 2>/dev/null || echo chromium) installed"
