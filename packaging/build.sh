#!/usr/bin/env bash
# Build the one-folder program with PyInstaller, then smoke-test the frozen result:
# the command line works against a temporary data folder, and the window starts (offscreen),
# shows, and quits cleanly with nothing unexpected on stderr.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
OUT=build/dist/smarketing-desktop

"$PY" -m PyInstaller --noconfirm --log-level WARN --distpath build/dist --workpath build/work \
    packaging/smarketing-desktop.spec
# The command line is the same program started under another name.
ln -sf smarketing-desktop "$OUT/smarketing"

# Strip debug symbols from binaries that still carry them (the Python library alone drops from
# 22 to 5 MB), except numpy's: stripping its OpenBLAS makes it unloadable.
find "$OUT/_internal" -type f \( -name "*.so" -o -name "*.so.*" \) -not -path "*/numpy*" \
    -exec sh -c 'file "$1" | grep -q "not stripped" && strip --strip-unneeded "$1"' _ {} \;

home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT
errors="$home/stderr.txt"

echo "Smoke test: command line"
"$OUT/smarketing" --version
"$OUT/smarketing" --home "$home/data" prospect add "Smoke Test" --email smoke@example.com --json >/dev/null 2>>"$errors"
"$OUT/smarketing" --home "$home/data" prospect list --json | grep -q '"Smoke Test"'
"$OUT/smarketing" --home "$home/data" demo --json >/dev/null 2>>"$errors" || true  # refuses: workspace not empty
rm -rf "$home/demo"; "$OUT/smarketing" --home "$home/demo" demo --json >/dev/null 2>>"$errors"
SMARKETING_NOW=2026-11-23T09:00:00+00:00 "$OUT/smarketing" --home "$home/demo" suggest --json >/dev/null 2>>"$errors"

echo "Smoke test: window"
QT_QPA_PLATFORM=offscreen "$OUT/smarketing-desktop" --home "$home/demo" --smoke-test 2>>"$errors"

grep -v -e "propagateSizeHints" -e "already has data" "$errors" > "$home/unexpected.txt" || true
if [ -s "$home/unexpected.txt" ]; then
    echo "Unexpected output on stderr:" >&2
    cat "$home/unexpected.txt" >&2
    exit 1
fi
echo "Build folder: $(du -sh "$OUT" | cut -f1) in $OUT"
