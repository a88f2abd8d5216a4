#!/usr/bin/env bash
# Installs the external programs the tests drive: Debian's chromium (editor/dashboard browser tests,
# driven by playwright-core at /usr/bin/chromium) and mosquitto (MQTT demo tests start their own broker
# on a free loopback port). Skips apt entirely when both are already present, so it is cheap to re-run.
# It never starts or enables a system mosquitto service: tests own their broker's lifetime.
set -euo pipefail

need_chromium=0
need_mosquitto=0
need_font=0
[ -x /usr/bin/chromium ] || need_chromium=1
command -v mosquitto >/dev/null 2>&1 || [ -x /usr/sbin/mosquitto ] || need_mosquitto=1
# A Korean font, so the screenshots kept as test artefacts show 한글 instead of empty boxes.
[ -d /usr/share/fonts/truetype/nanum ] || need_font=1

if [ "$need_chromium" = 0 ] && [ "$need_mosquitto" = 0 ] && [ "$need_font" = 0 ]; then
  echo "ci-setup: chromium, mosquitto and fonts-nanum already installed, skipping apt"
  exit 0
fi

if [ "$(id -u)" != 0 ]; then
  echo "ci-setup: chromium and/or mosquitto are missing and this is not root; install them with:" >&2
  echo "  apt-get install -y chromium mosquitto" >&2
  exit 1
fi

packages=()
[ "$need_chromium" = 1 ] && packages+=(chromium)
[ "$need_mosquitto" = 1 ] && packages+=(mosquitto)
[ "$need_font" = 1 ] && packages+=(fonts-nanum)
echo "ci-setup: installing ${packages[*]}"

# policy-rc.d exit 101 tells Debian maintainer scripts not to start services (mosquitto's unit/init script)
# in this container; remove it again only if we created it.
created_policy=0
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
  chmod +x /usr/sbin/policy-rc.d
  created_policy=1
fi
cleanup() { if [ "$created_policy" = 1 ]; then rm -f /usr/sbin/policy-rc.d; fi; }
trap cleanup EXIT

export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends "${packages[@]}"

[ -x /usr/bin/chromium ] || { echo "ci-setup: /usr/bin/chromium still missing after install" >&2; exit 1; }
command -v mosquitto >/dev/null 2>&1 || [ -x /usr/sbin/mosquitto ] || { echo "ci-setup: mosquitto still missing after install" >&2; exit 1; }
echo "ci-setup: $(/usr/bin/chromium --version 2>/dev/null || echo chromium installed)"
