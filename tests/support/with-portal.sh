#!/bin/sh
# Runs a command with a real XDG desktop portal on a session bus of its own:
#   with-portal.sh COMMAND [ARGS...]
# Debian's xdg-desktop-portal with the GTK backend (packages
# xdg-desktop-portal, xdg-desktop-portal-gtk; bash .ci/deps installs them).
# The backend serves org.freedesktop.appearance color-scheme from GSettings,
# kept here in a throw-away keyfile (GSETTINGS_BACKEND=keyfile), so the
# command changes the desktop's preference with `gsettings set
# org.gnome.desktop.interface color-scheme prefer-dark`. The backend opens a
# display (it shows nothing here): an Xvfb of its own. The bus activates
# nothing; the command itself runs on QT_QPA_PLATFORM=offscreen.
set -eu
portal=/usr/libexec/xdg-desktop-portal
backend=/usr/libexec/xdg-desktop-portal-gtk
for tool in dbus-daemon Xvfb gsettings gdbus "$portal" "$backend"; do
    command -v "$tool" >/dev/null || { echo "with-portal.sh: $tool is missing (bash .ci/deps installs it)" >&2; exit 1; }
done
dir="$(mktemp -d)"
pids=""
cleanup() {
    for pid in $pids; do kill "$pid" 2>/dev/null || true; done
    for pid in $pids; do wait "$pid" 2>/dev/null || true; done
    rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

cat >"$dir/bus.conf" <<CONF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig><type>session</type><listen>unix:dir=$dir</listen><auth>EXTERNAL</auth>
<policy context="default"><allow send_destination="*" eavesdrop="true"/><allow eavesdrop="true"/><allow own="*"/></policy></busconfig>
CONF
dbus-daemon --config-file="$dir/bus.conf" --nofork --nopidfile --print-address=1 >"$dir/address" &
pids="$pids $!"
Xvfb -displayfd 1 -screen 0 640x480x24 -nolisten tcp >"$dir/display" 2>/dev/null &
pids="$pids $!"
for _ in $(seq 100); do
    [ -s "$dir/address" ] && [ -s "$dir/display" ] && break
    sleep 0.1
done
DBUS_SESSION_BUS_ADDRESS="$(head -n 1 "$dir/address")"
export DBUS_SESSION_BUS_ADDRESS
[ -n "$DBUS_SESSION_BUS_ADDRESS" ] || { echo "with-portal.sh: dbus-daemon gave no address" >&2; exit 1; }
[ -s "$dir/display" ] || { echo "with-portal.sh: Xvfb gave no display" >&2; exit 1; }

export HOME="$dir/home" XDG_CONFIG_HOME="$dir/home/config" XDG_DATA_HOME="$dir/home/data" XDG_CACHE_HOME="$dir/home/cache"
export FRAMECAST_SETTINGS="$dir/home/config/Framecast/Framecast.conf"
export GSETTINGS_BACKEND=keyfile XDG_CURRENT_DESKTOP=GNOME
mkdir -p "$XDG_CONFIG_HOME" "$XDG_DATA_HOME"
gsettings set org.gnome.desktop.interface color-scheme default

DISPLAY=":$(head -n 1 "$dir/display")" GDK_BACKEND=x11 "$backend" --replace >"$dir/backend.log" 2>&1 &
pids="$pids $!"
gdbus wait --session --timeout 20 org.freedesktop.impl.portal.desktop.gtk \
    || { echo "with-portal.sh: the GTK backend did not start:" >&2; cat "$dir/backend.log" >&2; exit 1; }
"$portal" --replace >"$dir/portal.log" 2>&1 &
pids="$pids $!"
gdbus wait --session --timeout 20 org.freedesktop.portal.Desktop \
    || { echo "with-portal.sh: xdg-desktop-portal did not start:" >&2; cat "$dir/portal.log" >&2; exit 1; }

status=0
QT_QPA_PLATFORM=offscreen "$@" || status=$?
exit $status
