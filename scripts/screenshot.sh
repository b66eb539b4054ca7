#!/usr/bin/env bash
# The documentation's pictures (docs/screenshots), each grabbed by the application itself with QWidget::grab().
#   bash scripts/screenshot.sh [BUILD_DIR] [WxH] [AFTER_MS]
# workbench.png: the workbench under xvfb with the XOR example, Start pressed, grabbed after AFTER_MS
# (workbench-WxH.png for another size). With the default size, also every other picture: the designers,
# the lessons, the runs dock and the rule inspector (normad-doc-screenshots, offscreen, with its own settings
# and recovery folders; one set alone: NORMAD_SCREENSHOT_DIR=docs/screenshots QT_QPA_PLATFORM=offscreen
# BUILD_DIR/tests/ui/normad-doc-screenshots lessons). These are pictures, not tests: CTest does not run them.
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
targets=(normad-workbench)
[ "$size" = 1280x800 ] && targets+=(normad-doc-screenshots)
cmake --build "$build" --target "${targets[@]}"
mkdir -p "$here/docs/screenshots"
out="$here/docs/screenshots/workbench.png"
[ "$size" = 1280x800 ] || out="$here/docs/screenshots/workbench-$size.png"
xvfb-run -a -s "-screen 0 1920x1200x24" "$build/app/normad-workbench" --example xor --start --size "$size" \
    --screenshot "$out" --after-ms "$after"
if [ "$size" = 1280x800 ]; then
    # Recent files and autosaves of these windows must not land in the user's own folders.
    home=$(mktemp -d)
    trap 'rm -rf "$home"' EXIT
    NORMAD_SCREENSHOT_DIR="$here/docs/screenshots" QT_QPA_PLATFORM=offscreen XDG_CONFIG_HOME="$home/config" \
        XDG_DATA_HOME="$home/data" XDG_CACHE_HOME="$home/cache" "$build/tests/ui/normad-doc-screenshots"
fi
