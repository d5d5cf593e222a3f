#!/bin/sh
# Browser tests drive Debian's Chromium. Install it when we can (root with apt);
# otherwise the browser tests are skipped with a message saying why.
[ -x /usr/bin/chromium ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing Debian's chromium for the browser tests…"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
        || echo "Could not install chromium: browser tests will be skipped."
else
    echo "No /usr/bin/chromium and no root apt: browser tests will be skipped."
fi
exit 0
