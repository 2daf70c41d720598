#!/bin/sh
# Install Confide from this folder (the unpacked confide-VERSION-linux-ARCH.tar.gz):
#
#     ./install.sh               for you only: ~/.local/lib/confide, a menu entry, `confide` command
#     sudo ./install.sh          for everyone on this computer: /opt/confide, /usr/share/applications
#     ./install.sh --uninstall   removes the program and its menu entry (sudo if installed so)
#     --user                     as root, install (or uninstall) for root alone, like a user
#
# Neither ever touches Confide's data folder (~/.local/share/Confide for each person).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
uninstall=no
for_user=no
for arg in "$@"; do
  case "$arg" in
    --uninstall) uninstall=yes ;;
    --user) for_user=yes ;;
    *) echo "Unknown option: $arg (use --uninstall or --user)" >&2; exit 2 ;;
  esac
done
if [ "$(id -u)" -eq 0 ] && [ "$for_user" = no ]; then
  target=/opt/confide
  bin=/usr/local/bin
  share=/usr/share
else
  target="$HOME/.local/lib/confide"
  bin="$HOME/.local/bin"
  share="${XDG_DATA_HOME:-$HOME/.local/share}"
fi
entry="$share/applications/confide.desktop"
svg="$share/icons/hicolor/scalable/apps/confide.svg"
png="$share/icons/hicolor/256x256/apps/confide.png"

refresh_menus() {
  command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q "$share/applications" || true
  command -v gtk-update-icon-cache >/dev/null 2>&1 && gtk-update-icon-cache -q -t "$share/icons/hicolor" || true
}

if [ "$uninstall" = yes ]; then
  rm -f "$entry" "$svg" "$png"
  [ -L "$bin/confide" ] && rm -f "$bin/confide"
  rm -rf "$target"
  refresh_menus
  echo "Confide has been removed. Its data folder was left as it was."
  exit 0
fi

if [ ! -x "$here/confide" ] || [ ! -d "$here/_internal" ]; then
  echo "Run this from the unpacked Confide folder (it holds 'confide' and '_internal')." >&2
  exit 1
fi

if [ "$here" != "$target" ]; then
  rm -rf "$target.new"
  mkdir -p "$(dirname "$target")"
  cp -a "$here" "$target.new"
  rm -rf "$target"
  mv "$target.new" "$target"
fi
mkdir -p "$bin" "$(dirname "$entry")" "$(dirname "$svg")" "$(dirname "$png")"
ln -sf "$target/confide" "$bin/confide"
cp "$target/_internal/resources/icons/confide.svg" "$svg"
cp "$target/_internal/resources/icons/confide-256.png" "$png"
# The menu entry names the program by its full path: ~/.local/bin is not always on the PATH
# of a desktop session.
sed "s|^Exec=confide|Exec=\"$target/confide\"|" "$target/confide.desktop" > "$entry"
chmod 644 "$entry"
refresh_menus

echo "Confide is installed in $target."
echo "Start it from the applications menu (Office → Confide), or type: confide"
if ! "$target/confide" self-test >/dev/null 2>&1; then
  echo "Warning: the installed copy failed its self-test. Run '$target/confide self-test' to see why." >&2
  exit 1
fi
echo "Self-test passed: encryption works on this computer."
