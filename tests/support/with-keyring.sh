#!/bin/sh
# Runs a command inside a private D-Bus session with an unlocked
# gnome-keyring as the Secret Service (how CI gets a real keychain):
#   with-keyring.sh COMMAND [ARGS...]
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
status=0
"$@" || status=$?
rm -rf "$HOME"
exit $status
