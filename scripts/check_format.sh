#!/usr/bin/env bash
# The house style (docs/architecture.md, .clang-format): every tracked C++ file is as clang-format
# writes it, and no line is wider than 120 characters (string literals and comments included, which
# clang-format leaves alone). Run by CTest as source_format; fix with: clang-format -i FILE.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
clang_format=${CLANG_FORMAT:-clang-format}
mapfile -t files < <(git ls-files '*.cpp' '*.h' '*.cpp.in')
status=0
if ! "$clang_format" --dry-run --Werror "${files[@]}"; then
    echo "source_format: the files above differ from clang-format's output; run: $clang_format -i FILE" >&2
    status=1
fi
if ! python3 - "${files[@]}" <<'PY'; then
import sys
bad = [f"{f}:{i}: {len(l)} characters" for f in sys.argv[1:]
       for i, l in enumerate(open(f, encoding="utf-8").read().split("\n"), 1) if len(l) > 120]
if bad:
    print("\n".join(bad), file=sys.stderr)
sys.exit(1 if bad else 0)
PY
    echo "source_format: lines above are wider than 120 characters" >&2
    status=1
fi
[ "$status" -eq 0 ] && echo "source_format: ${#files[@]} files as clang-format writes them, no line over 120 characters"
exit "$status"
