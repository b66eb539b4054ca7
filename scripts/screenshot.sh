#!/usr/bin/env bash
# Screenshot evidence: runs the workbench under xvfb with the XOR example, presses Start and saves
# docs/screenshots/workbench.png (grabbed by the application itself with QWidget::grab()).
#   bash scripts/screenshot.sh [BUILD_DIR] [WxH] [AFTER_MS]
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${1:-$here/build-gui}
size=${2:-1280x800}
after=${3:-2500}
missing=()
for p in xvfb xauth; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p"); done
if ((${#missing[@]})); then
    sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -q && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
[ -x "$build/app/normad-workbench" ] || cmake --build "$build" --target normad-workbench
mkdir -p "$here/docs/screenshots"
out="$here/docs/screenshots/workbench.png"
[ "$size" = 1280x800 ] || out="$here/docs/screenshots/workbench-$size.png"
xvfb-run -a -s "-screen 0 1920x1200x24" "$build/app/normad-workbench" --example xor --start --size "$size" \
    --screenshot "$out" --after-ms "$after"
