#!/usr/bin/env bash
# Debian's Chromium for the console's browser tests (driven by playwright-core, which never
# downloads a browser here: see docs/adr/0011-console-htmx.md). Idempotent.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

if command -v chromium >/dev/null 2>&1; then
  exit 0
fi
log "installing chromium (Debian package) for the browser tests"
apt_install chromium
