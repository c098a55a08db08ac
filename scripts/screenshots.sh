#!/usr/bin/env bash
# Screenshots of the real console for the README: pftui --demo runs in tmux, each view is
# captured with its colours (tmux capture-pane -e), turned into HTML by aha and into PNG by
# headless Chromium. Needs tmux, aha and chromium (installed here from Debian's packages
# when missing).
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v tmux >/dev/null || need+=(tmux)
command -v aha >/dev/null || need+=(aha)
command -v chromium >/dev/null || need+=(chromium)
if [ ${#need[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
fi

cargo build --release --quiet
bin="$PWD/target/release/pftui"
out="$PWD/screenshots"
mkdir -p "$out"
work=$(mktemp -d)
sock="pftui-shots-$$"
trap 'tmux -L "$sock" kill-server 2>/dev/null || true; rm -rf "$work"' EXIT

cols=132 rows=38
tmux -L "$sock" -f /dev/null new-session -d -x "$cols" -y "$rows" \
  -e TERM=tmux-256color -e COLORTERM=truecolor -e USER="${USER:-operator}" -e HOME="$work" -e XDG_CONFIG_HOME="$work/config" \
  -e XDG_STATE_HOME="$work/state" "$bin --demo"

# Wait until the screen shows $1.
wait_for() {
  for _ in $(seq 1 200); do
    tmux -L "$sock" capture-pane -p | grep -q -- "$1" && return 0
    sleep 0.1
  done
  echo "timed out waiting for: $1" >&2
  tmux -L "$sock" capture-pane -p >&2
  exit 1
}

keys() { for k in "$@"; do tmux -L "$sock" send-keys "$k"; sleep 0.15; done; }

# shot NAME: capture the pane with colours and render it to screenshots/NAME.png.
shot() {
  tmux -L "$sock" capture-pane -e -p -N > "$work/$1.ansi"
  {
    echo '<!doctype html><html><head><meta charset="utf-8"><style>'
    echo 'body{margin:0;background:#1e2030} pre{margin:0;padding:12px;font:15px/1.1 "DejaVu Sans Mono",monospace;color:#c8d3f5;background:#1e2030}'
    echo '</style></head><body><pre>'
    aha --no-header < "$work/$1.ansi"
    echo '</pre></body></html>'
  } > "$work/$1.html"
  chromium --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
    --disable-component-update --disable-sync --hide-scrollbars --user-data-dir="$work/chrome" \
    --window-size=1210,655 --screenshot="$out/$1.png" "file://$work/$1.html" >/dev/null 2>&1
  echo "screenshots/$1.png"
}

wait_for "air-staging"
wait_for "Last deploy  finished"
keys j j j j
wait_for "air-prod  application"
wait_for "finished after"
shot tree

keys g j j j
wait_for "air-dev  application"
keys p
wait_for "Commits that move"
shot promote-preview
keys y
# The log pane follows the selection: air-staging's shows the promotion's deployment.
keys j j
wait_for "Starting deployment of pfcore/pf-air:staging"
shot deploy-log
wait_for "any key closes"
shot result
keys Escape

keys /
for k in b a i v; do keys "$k"; done
wait_for "Tree /baiv"
shot filter
keys Enter Escape
sleep 0.3

keys S
wait_for "no CPU or memory figures"
shot servers
keys S

keys "?"
wait_for "any other key closes"
shot help
keys x

keys a
wait_for "Ask · enter send"
tmux -L "$sock" send-keys -l "why did w4m dev fail?"
keys Enter
wait_for "It failed at the step"
tmux -L "$sock" send-keys -l "restart w4m staging"
keys Enter
wait_for "y run · n reject"
shot agent
keys n Enter Escape

# The views of the whole platform: the pipeline, the deployments with one running, the
# audit journal once it has ended.
keys P
wait_for "up to date"
shot pipeline
keys P
keys /
for k in b a i v - d e v; do keys "$k"; done
keys Enter
wait_for "baiv-dev  application"
keys d
wait_for "y run it"
keys y
wait_for "Starting deployment of"
keys J
wait_for "running   baiv-dev"
shot deployments
keys J
wait_for "any key closes"
keys Escape Escape
keys A
wait_for "Audit · "
wait_for "deployments "
shot audit
keys A

keys : t h e m e " " l i g h t Enter
wait_for "theme light"
shot theme-light
keys q
