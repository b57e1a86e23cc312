#!/usr/bin/env bash
# Install Debian's Chromium for the browser tests (tests/test_web_e2e.py drives it with Playwright,
# so no browser download is needed). Does nothing when /usr/bin/chromium is already there.
set -euo pipefail

if [ -x /usr/bin/chromium ]; then
    exit 0
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
    sudo="sudo"
fi
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends chromium
/usr/bin/chromium --version
