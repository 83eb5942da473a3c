#!/usr/bin/env bash
# System libraries the Python packages load at run time: Pango (with HarfBuzz and fontconfig) for the PDF
# letters WeasyPrint lays out, HarfBuzz-Subset to embed font subsets, and a font family to embed (DejaVu);
# Debian's chromium for the browser tests of the web pages (Playwright drives it; nothing is downloaded).
#
# Run by .ci/run before `make test`, as root on a fresh Debian machine. Idempotent: when every package is
# installed already it changes nothing and does not touch the network. Not root: nothing to do; the PDF
# and browser tests then skip with a message if these are missing (except under CI=true, where they fail).
set -euo pipefail

PACKAGES=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 libfontconfig1 fonts-dejavu-core chromium)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "ci-system-packages: ${PACKAGES[*]} already installed" >&2
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "ci-system-packages: not root; cannot install ${missing[*]} (PDF letters and browser tests need them)" >&2
  exit 0
fi
echo "ci-system-packages: installing ${missing[*]} from the Debian packages" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
