#!/bin/sh
# Runs a command inside a private D-Bus session with an unlocked
# gnome-keyring as the Secret Service (how CI gets a real keychain):
#   with-keyring.sh COMMAND [ARGS...]
# The daemon's process id is in FRAMECAST_KEYRING_PID, for tests that stop it
# (kill -STOP) to get a hung Secret Service; it is woken and ended afterwards.
set -eu
if [ -z "${FRAMECAST_IN_KEYRING:-}" ]; then
    command -v dbus-run-session >/dev/null || { echo "with-keyring.sh: dbus-run-session is missing (package dbus)" >&2; exit 1; }
    command -v gnome-keyring-daemon >/dev/null || { echo "with-keyring.sh: gnome-keyring-daemon is missing (package gnome-keyring)" >&2; exit 1; }
    FRAMECAST_IN_KEYRING=1 exec dbus-run-session -- "$0" "$@"
fi
# A throw-away keyring home, unlocked with a throw-away password.
export HOME="$(mktemp -d)"
export XDG_DATA_HOME="$HOME/.local/share"
eval "$(printf 'framecast-test' | gnome-keyring-daemon --unlock --components=secrets 2>/dev/null)"
export GNOME_KEYRING_CONTROL SSH_AUTH_SOCK 2>/dev/null || true
# The daemon takes its name on the bus a moment after --unlock returns.
command -v gdbus >/dev/null && gdbus wait --session --timeout 10 org.freedesktop.secrets
FRAMECAST_KEYRING_PID=$(dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
    org.freedesktop.DBus.GetConnectionUnixProcessID string:org.freedesktop.secrets 2>/dev/null | awk '/uint32/ { print $2 }')
export FRAMECAST_KEYRING_PID
status=0
"$@" || status=$?
# A daemon left stopped would not see the session end, and would stay for ever.
if [ -n "$FRAMECAST_KEYRING_PID" ]; then
    kill -CONT "$FRAMECAST_KEYRING_PID" 2>/dev/null || true
    kill -TERM "$FRAMECAST_KEYRING_PID" 2>/dev/null || true
fi
rm -rf "$HOME"
exit $status
