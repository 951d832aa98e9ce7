#!/usr/bin/env bash
# Install a built Smarketing Desktop for the current user (no root needed):
#   program   ~/.local/lib/smarketing-desktop/
#   commands  ~/.local/bin/smarketing-desktop, ~/.local/bin/smarketing
#   menu      ~/.local/share/applications/smarketing-desktop.desktop (+ icons, AppStream metainfo)
#
#   packaging/install-linux.sh [BUILD_FOLDER]      (default: build/dist/smarketing-desktop)
#   packaging/install-linux.sh --uninstall         (removes all of the above; your data stays)
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
PREFIX="${PREFIX:-$HOME/.local}"
LIB="$PREFIX/lib/smarketing-desktop"
BIN="$PREFIX/bin"
SHARE="$PREFIX/share"
METAINFO="io.github.smarketing_desktop.SmarketingDesktop.metainfo.xml"

refresh_caches() {
    command -v update-desktop-database >/dev/null && update-desktop-database -q "$SHARE/applications" || true
    command -v gtk-update-icon-cache >/dev/null && gtk-update-icon-cache -q -t "$SHARE/icons/hicolor" || true
}

if [ "${1:-}" = "--uninstall" ]; then
    rm -rf "$LIB"
    rm -f "$BIN/smarketing-desktop" "$BIN/smarketing"
    rm -f "$SHARE/applications/smarketing-desktop.desktop" "$SHARE/metainfo/$METAINFO"
    find "$SHARE/icons/hicolor" -name "smarketing-desktop.*" -delete 2>/dev/null || true
    refresh_caches
    echo "Smarketing Desktop removed. Your data is still in ~/.local/share/smarketing-desktop;"
    echo "delete that folder too if you want it gone."
    exit 0
fi

BUILD="${1:-$HERE/../build/dist/smarketing-desktop}"
if [ ! -x "$BUILD/smarketing-desktop" ]; then
    echo "No build found at $BUILD: run 'make package' first." >&2
    exit 1
fi
mkdir -p "$LIB" "$BIN" "$SHARE/applications" "$SHARE/metainfo"
rm -rf "$LIB" && cp -a "$BUILD" "$LIB"
ln -sf "$LIB/smarketing-desktop" "$BIN/smarketing-desktop"
ln -sf "$LIB/smarketing-desktop" "$BIN/smarketing"
sed "s|^Exec=.*|Exec=$LIB/smarketing-desktop %U|" "$HERE/smarketing-desktop.desktop" \
    > "$SHARE/applications/smarketing-desktop.desktop"
cp "$HERE/$METAINFO" "$SHARE/metainfo/"
for png in "$HERE"/icons/hicolor/*/apps/smarketing-desktop.png; do
    size_dir="$(basename "$(dirname "$(dirname "$png")")")"
    mkdir -p "$SHARE/icons/hicolor/$size_dir/apps"
    cp "$png" "$SHARE/icons/hicolor/$size_dir/apps/"
done
mkdir -p "$SHARE/icons/hicolor/scalable/apps"
cp "$HERE/icons/smarketing-desktop.svg" "$SHARE/icons/hicolor/scalable/apps/"
refresh_caches
echo "Installed. Start it from your applications menu or with: smarketing-desktop"
case ":$PATH:" in *":$BIN:"*) ;; *) echo "(Add $BIN to your PATH to use the commands in a terminal.)" ;; esac
