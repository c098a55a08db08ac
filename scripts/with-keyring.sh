#!/usr/bin/env bash
# Run a command inside a private D-Bus session with an unlocked gnome-keyring Secret
# Service, so the keyring tests talk to a real keyring without touching the user's own:
#
#   scripts/with-keyring.sh cargo test --test credentials
#
# Needs gnome-keyring, libsecret-tools (secret-tool), dbus-daemon and dbus-user-session
# (.ci/run installs them). The keyring's files live in a temporary directory that is
# removed afterwards; its password is a throwaway.
set -euo pipefail

if [ "$#" -eq 0 ]; then
  echo "usage: $0 COMMAND [ARG...]" >&2
  exit 64
fi

if [ "${PFTUI_KEYRING_SESSION:-}" != "inside" ]; then
  for tool in dbus-run-session dbus-send gnome-keyring-daemon; do
    if ! command -v "$tool" >/dev/null 2>&1; then
      echo "$0: $tool is missing: apt-get install gnome-keyring libsecret-tools dbus-daemon dbus-user-session" >&2
      exit 69
    fi
  done
  export PFTUI_KEYRING_SESSION=inside
  exec dbus-run-session -- "$0" "$@"
fi

keyring_home="$(mktemp -d)"
trap 'rm -rf "$keyring_home"' EXIT

# gnome-keyring keeps its keyrings under XDG_DATA_HOME and its control socket under
# XDG_RUNTIME_DIR: point both into the temporary directory, for the daemon only. It exits
# when the private session bus goes away.
mkdir -p "$keyring_home/data" "$keyring_home/run"
chmod 700 "$keyring_home" "$keyring_home/run"
printf 'pftui-test-keyring' | HOME="$keyring_home" XDG_DATA_HOME="$keyring_home/data" \
  XDG_RUNTIME_DIR="$keyring_home/run" gnome-keyring-daemon --unlock --components=secrets >/dev/null

# Wait until the daemon owns org.freedesktop.secrets. NameHasOwner does not trigger D-Bus
# activation, which would start a second daemon on the user's own keyring files.
owns_name() {
  dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
    org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null |
    grep "boolean true" >/dev/null
}
ready=""
for _ in $(seq 1 100); do
  if owns_name; then
    ready=1
    break
  fi
  sleep 0.1
done
if [ -z "$ready" ]; then
  echo "$0: gnome-keyring did not take the Secret Service name on the private session bus" >&2
  exit 70
fi

"$@"
