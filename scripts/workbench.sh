#!/usr/bin/env bash
# NormAD Workbench: install what is missing (Debian 12 packages only), build, then run or test.
#
#   bash scripts/workbench.sh run    build (Release) and start the workbench with the XOR example;
#                                    without a display, train the same example headless with the CLI
#   bash scripts/workbench.sh test   build and run every test suite (CTest), then the engine and CLI
#                                    suites again under AddressSanitizer + UndefinedBehaviorSanitizer,
#                                    and the threaded suites under ThreadSanitizer (as `tsan` does)
#   bash scripts/workbench.sh tsan   build only what the threaded suites need (training worker,
#                                    background jobs, parallel epochs) with ThreadSanitizer and run them
#
# Environment: BUILD_DIR (default build), JOBS (default: all cores), NORMAD_SKIP_SANITIZERS=1.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$here"
# Paths inside the checkout are hashed relative to it, so a fresh clone reuses what another clone compiled.
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$here}
mode=${1:-}
build=${BUILD_DIR:-build}
jobs=${JOBS:-$(nproc)}

packages=(build-essential cmake pkg-config
          qt6-base-dev qt6-svg-dev libqcustomplot-dev libqcustomplot2.1-qt6 libgl-dev
          libeigen3-dev nlohmann-json3-dev libbenchmark-dev
          libzip-dev zlib1g-dev libssl-dev dataset-fashion-mnist python3-numpy python3-brian poppler-utils ccache
          clang-format pybind11-dev python3-dev python3-matplotlib openmpi-bin libopenmpi-dev)

install_missing() {
    local missing=()
    for p in "${packages[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    if ((${#missing[@]})); then
        echo "== installing: ${missing[*]}"
        local sudo=""
        [ "$(id -u)" -eq 0 ] || sudo="sudo"
        $sudo apt-get update -q
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
    fi
}

configure_and_build() {
    local dir=$1; shift
    # ccache (installed with the packages) makes the three builds of `test` and every rebuild cheap.
    # MPI data-parallel training is part of every set-up (openmpi-bin and libopenmpi-dev are in `packages`).
    cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DNORMAD_WITH_MPI=ON "$@"
    cmake --build "$dir" -j "$jobs"
}

# The suites where threads meet: the training worker and its controller, the background jobs, and
# the engine's thread pool, exact sums and parallel epochs. Only their targets are built: the worker,
# controller and jobs live in normad_ui_core (no widgets), so no plot or window is compiled under
# TSan (the main window only calls them from the GUI thread; building it too cost CI ~6 minutes).
# A data race fails the suite (-fno-sanitize-recover=all).
tsan_suites=(tst_trainingworker tst_backgroundjob tst_exactsum tst_paralleltraining)
# Sanitizer builds: -O1 (what the sanitizers recommend) and line tables only (-g1: file:line in
# reports) compile ~40 % faster than RelWithDebInfo's -O2 -g, which keeps CI within its budget.
sanitizer_flags=(-DCMAKE_BUILD_TYPE=RelWithDebInfo "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -g1 -DNDEBUG")
run_tsan_suites() {
    local dir="$build-tsan" start=$SECONDS
    cmake -S . -B "$dir" "${sanitizer_flags[@]}" -DNORMAD_SANITIZE=thread -DNORMAD_BUILD_BENCHMARKS=OFF -DCMAKE_CXX_COMPILER_LAUNCHER=ccache
    cmake --build "$dir" -j "$jobs" --target "${tsan_suites[@]}"
    local pattern
    pattern=$(IFS='|'; echo "${tsan_suites[*]}")
    (cd "$dir" && ctest --output-on-failure -R "^($pattern)\$")
    echo "== ThreadSanitizer step took $((SECONDS - start)) s"
}

case "$mode" in
run)
    install_missing
    configure_and_build "$build" -DNORMAD_BUILD_BENCHMARKS=OFF
    example="$build/xor-example.json"
    "$build/app/normad" example xor -o "$example"
    if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
        exec "$build/app/normad-workbench" "$example"
    fi
    echo "== no display: training the XOR example headless"
    exec "$build/app/normad" train "$example" --out "$build/xor-run"
    ;;
test)
    install_missing
    step=$SECONDS
    configure_and_build "$build"
    echo "== Release build took $((SECONDS - step)) s"; step=$SECONDS
    (cd "$build" && ctest --output-on-failure -j "$jobs")
    echo "== Release tests took $((SECONDS - step)) s"
    if [ "${NORMAD_SKIP_SANITIZERS:-0}" != 1 ]; then
        echo "== engine and CLI suites under ASan + UBSan"
        step=$SECONDS
        configure_and_build "$build-asan" "${sanitizer_flags[@]}" -DNORMAD_SANITIZE=address,undefined \
            -DNORMAD_BUILD_GUI=OFF -DNORMAD_BUILD_BENCHMARKS=OFF
        echo "== ASan + UBSan build took $((SECONDS - step)) s"; step=$SECONDS
        # Not tst_experiments (label experiments): training runs to convergence, the long pole under
        # ASan (129 s of a 241-s step); it runs in the Release pass above. The fuzz label: every
        # loader's fuzzing corpus replayed under ASan + UBSan (tests/fuzz, docs/testing.md). Nor the
        # memory label: an address-space limit (tst_longtrial) means nothing beside ASan's shadow.
        (cd "$build-asan" && ctest --output-on-failure -j "$jobs" -L 'engine|cli|fuzz' -LE 'experiments|memory')
        echo "== ASan + UBSan tests took $((SECONDS - step)) s"
        echo "== threaded suites under ThreadSanitizer"
        run_tsan_suites
    fi
    echo "== everything took $SECONDS s"
    ;;
tsan)
    install_missing
    run_tsan_suites
    ;;
*)
    echo "usage: bash scripts/workbench.sh run|test|tsan" >&2
    exit 2
    ;;
esac
