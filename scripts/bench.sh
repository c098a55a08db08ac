#!/usr/bin/env bash
# Whole-process benchmarks of pftui against its simulator with 3,000 applications, next to
# the floor (curl fetching, in parallel, the same endpoints pftui reads), plus peak memory
# and idle CPU of the console in tmux; writes every figure of the budget (issue 7) to
# BENCHMARKS.md with the machine, the commands and the date.
#
#   scripts/bench.sh                 everything, criterion benches included (~10 min)
#   scripts/bench.sh --no-criterion  only the whole-process figures (~3 min)
#
# Public tools only (hyperfine, curl, GNU time, tmux, jq), installed from Debian's packages
# when missing. PFTUI_BIN=path uses that binary instead of building target/release/pftui.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

criterion=1
[ "${1:-}" = "--no-criterion" ] && criterion=0

# ---------- tools ----------
need=()
command -v hyperfine >/dev/null || need+=(hyperfine)
command -v curl >/dev/null || need+=(curl)
[ -x /usr/bin/time ] || need+=(time)
command -v tmux >/dev/null || need+=(tmux)
command -v jq >/dev/null || need+=(jq)
if [ ${#need[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "installing ${need[*]} ..." >&2
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
fi

if [ -n "${PFTUI_BIN:-}" ]; then
  bin=$PFTUI_BIN
else
  cargo build --release --quiet
  bin="$root/target/release/pftui"
fi

APPS=3000
LOG_LINES=100000
IDLE_SECONDS=30
ROUNDS=5
RUNS=5
work=$(mktemp -d)
sock="pftui-bench-$$"
sim_pid=""
cleanup() {
  tmux -L "$sock" kill-server 2>/dev/null || true
  [ -n "$sim_pid" ] && kill "$sim_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# pftui's settings, traces and audit in a scratch place (HOME stays: cargo needs it).
export XDG_CONFIG_HOME="$work/config" XDG_STATE_HOME="$work/state" XDG_DATA_HOME="$work/data"
log() { echo "== $*" >&2; }

# ---------- the simulator ----------
log "starting pftui sim --apps $APPS"
"$bin" sim --listen 127.0.0.1:0 --apps "$APPS" >"$work/sim.out" 2>"$work/sim.err" &
sim_pid=$!
for _ in $(seq 1 600); do
  grep -q PFTUI_HEALTH_VIA "$work/sim.out" 2>/dev/null && break
  sleep 0.1
done
grep -q COOLIFY_API_TOKEN "$work/sim.out" || { cat "$work/sim.err" >&2; echo "the simulator did not start" >&2; exit 1; }
eval "$(cat "$work/sim.out")"
api="$COOLIFY_BASE_URL/api/v1"
auth="Authorization: Bearer $COOLIFY_API_TOKEN"

# ---------- the endpoints a load reads (from pftui's own trace) ----------
PFTUI_LOG=pftui::http=debug "$bin" status --output json >"$work/status.json"
sed -n 's/.* path="\([^"]*\)".*/\1/p' "$XDG_STATE_HOME/pftui/pftui.log" | sort -u >"$work/paths"
paths=$(wc -l <"$work/paths")
: >"$work/curl.cfg"
while read -r p; do
  printf 'url = "%s%s"\noutput = "/dev/null"\n' "$api" "$p" >>"$work/curl.cfg"
done <"$work/paths"
apps_in_status=$(jq '[.projects[].environments[].resources[] | select(.kind == "application")] | length' "$work/status.json")
log "pftui status reads $paths endpoints; it saw $apps_in_status applications"

floor_cmd="curl -s --parallel --parallel-max 16 -H '$auth' -H 'Accept: application/json' -K $work/curl.cfg"
status_cmd="$bin status --output json"
snapshot_cmd="$bin snapshot --size 200x60"

# ---------- times (hyperfine, medians) ----------
# Rounds of a few runs of each command in turn, so that a slow spell of a shared machine
# weighs on the floor and on pftui alike; the median of all runs of each.
log "hyperfine: floor, status, snapshot ($ROUNDS rounds of $RUNS runs each)"
for round in $(seq 1 "$ROUNDS"); do
  hyperfine -N --style basic --warmup 1 --runs "$RUNS" --export-json "$work/hf-$round.json" \
    -n floor "$floor_cmd" -n status "$status_cmd" -n snapshot "$snapshot_cmd" >&2
done
median_ms() {
  jq -s -r --arg n "$1" '[.[].results[] | select(.command == $n) | .times[]] | sort
    | (if length % 2 == 1 then .[length / 2 | floor] else (.[length / 2 - 1] + .[length / 2]) / 2 end)
    | . * 1000 | . * 10 | round / 10' "$work"/hf-*.json
}
floor_ms=$(median_ms floor)
status_ms=$(median_ms status)
snapshot_ms=$(median_ms snapshot)
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
status_ratio=$(ratio "$status_ms" "$floor_ms")
snapshot_ratio=$(ratio "$snapshot_ms" "$floor_ms")
echo "floor ${floor_ms} ms, status ${status_ms} ms (${status_ratio}x), snapshot ${snapshot_ms} ms (${snapshot_ratio}x)"

# ---------- peak RSS of pftui snapshot ----------
log "peak RSS of pftui snapshot (5 runs)"
rss=()
for _ in 1 2 3 4 5; do
  /usr/bin/time -v $snapshot_cmd >/dev/null 2>"$work/time.txt"
  rss+=("$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$work/time.txt")")
done
snapshot_rss_kb=$(printf '%s\n' "${rss[@]}" | sort -n | tail -1)
snapshot_rss_mb=$(awk -v k="$snapshot_rss_kb" 'BEGIN { printf "%.1f", k / 1024 }')
echo "snapshot peak RSS: max ${snapshot_rss_mb} MB over 5 runs (${rss[*]} KB)"

# ---------- the console following a 100,000-line deployment log ----------
first_app=$(jq -r '[.projects[].environments[].resources[]][0].name' "$work/status.json")
log "a $LOG_LINES-line deployment log for $first_app, growing over 10 s"
deployment=$(curl -s -X POST -H 'Content-Type: application/json' \
  -d "{\"application\": \"$first_app\", \"lines\": $LOG_LINES, \"seconds\": 10}" \
  "$COOLIFY_BASE_URL/_sim/big-log" | jq -r .deployment_uuid)
tmux -L "$sock" -f /dev/null new-session -d -x 200 -y 60 \
  -e TERM=tmux-256color -e HOME="$work" -e XDG_CONFIG_HOME="$XDG_CONFIG_HOME" \
  -e XDG_STATE_HOME="$XDG_STATE_HOME" -e XDG_DATA_HOME="$XDG_DATA_HOME" \
  -e COOLIFY_BASE_URL="$COOLIFY_BASE_URL" -e COOLIFY_API_TOKEN="$COOLIFY_API_TOKEN" \
  "$bin"
tui_pid=$(tmux -L "$sock" display -p '#{pane_pid}')
# Until the deployment is over and the pane shows the log's last line.
followed=0
for _ in $(seq 1 900); do
  status=$(curl -s -H "$auth" "$api/deployments/$deployment" | jq -r .status)
  if [ "$status" = finished ] && tmux -L "$sock" capture-pane -p | grep -q "line $LOG_LINES:"; then
    followed=1
    break
  fi
  sleep 0.2
done
if [ "$followed" != 1 ]; then
  tmux -L "$sock" capture-pane -p >&2
  echo "the console did not show the end of the log" >&2
  exit 1
fi
tui_rss_kb=$(sed -n 's/^VmHWM:\s*\([0-9]*\) kB/\1/p' "/proc/$tui_pid/status")
tui_rss_mb=$(awk -v k="$tui_rss_kb" 'BEGIN { printf "%.1f", k / 1024 }')
echo "console after following $LOG_LINES lines: peak RSS ${tui_rss_mb} MB"

# ---------- the console idle, background refresh running ----------
log "idle console: settling 10 s, then $IDLE_SECONDS s of CPU time"
sleep 10
ticks() { awk '{ print $14 + $15 }' "/proc/$tui_pid/stat"; }
hz=$(getconf CLK_TCK)
t0=$(ticks); s0=$(date +%s.%N)
sleep "$IDLE_SECONDS"
t1=$(ticks); s1=$(date +%s.%N)
idle_pct=$(awk -v a="$t0" -v b="$t1" -v hz="$hz" -v s0="$s0" -v s1="$s1" 'BEGIN { printf "%.2f", (b - a) / hz / (s1 - s0) * 100 }')
idle_ms=$(awk -v a="$t0" -v b="$t1" -v hz="$hz" 'BEGIN { printf "%.0f", (b - a) * 1000 / hz }')
echo "idle console: ${idle_pct}% of one core (${idle_ms} ms of CPU in ${IDLE_SECONDS} s)"
# The header says how often the refresh comes (stretched when one costs much CPU).
idle_header=$(tmux -L "$sock" capture-pane -p | head -1 | sed 's/^ *//; s/ *$//')
tmux -L "$sock" send-keys q
sleep 0.5

# ---------- criterion ----------
render_ms="(not run)"; render_wrap_ms="(not run)"; render_search_ms="(not run)"; render_both_ms="(not run)"
poll_ms="(not run)"; poll_none_ms="(not run)"; log_floor_ms="(not run)"; poll_ratio="-"; tree_ms="(not run)"; tree_floor_ms="(not run)"
if [ "$criterion" = 1 ]; then
  log "cargo bench (criterion)"
  cargo bench --quiet --bench tree --bench logs --bench render -- --noplot >"$work/criterion.txt" 2>&1 || { cat "$work/criterion.txt" >&2; exit 1; }
  # The median of one benchmark, in ms, from criterion's files.
  crit() {
    local file
    file=$(grep -rl --include=benchmark.json -F "\"full_id\":\"$1\"" target/criterion | grep '/new/' | head -1)
    jq -r '.median.point_estimate / 1e6 | . * 1000 | round / 1000' "$(dirname "$file")/estimates.json"
  }
  render_ms=$(crit "render/frame 200x60, 3,000 apps, 100k lines, no wrap")
  render_wrap_ms=$(crit "render/frame 200x60, 3,000 apps, 100k lines, wrap")
  render_search_ms=$(crit "render/frame 200x60, 3,000 apps, 100k lines, search active")
  render_both_ms=$(crit "render/frame 200x60, 3,000 apps, 100k lines, wrap + search")
  poll_ms=$(crit "logs/poll: tailer, 50,000 entries, all new")
  poll_none_ms=$(crit "logs/poll: tailer, 50,000 entries, none new")
  log_floor_ms=$(crit "logs/floor: serde_json::Value parse of 50,000 entries")
  poll_ratio=$(ratio "$poll_ms" "$log_floor_ms")
  tree_ms=$(crit "tree/decode + assemble (3,000 apps)")
  tree_floor_ms=$(crit "tree/floor: serde_json::Value parse of the same bodies")
  grep -E "^(tree|logs|render):" "$work/criterion.txt" >"$work/criterion-notes.txt" || true
fi

# ---------- BENCHMARKS.md ----------
verdict() { awk -v v="$1" -v max="$2" 'BEGIN { if (v == "" || v == "-" || v ~ /not/) print "-"; else print (v + 0 <= max + 0) ? "met" : "**missed**" }'; }
model=$(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)
cores=$(nproc)
mem=$(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
load=$(cut -d' ' -f1-3 /proc/loadavg)
commit=$(git rev-parse --short HEAD 2>/dev/null || echo "?")
{
  echo "# Benchmarks"
  echo
  echo "Written by \`scripts/bench.sh\` on $(date -u '+%Y-%m-%d %H:%M UTC'), pftui at commit \`$commit\`."
  echo
  echo "Machine: $cores cores ($model), $mem RAM, $(uname -sr); load average at the end $load."
  echo "Data: \`pftui sim --apps $APPS\` ($apps_in_status applications over 100 projects x 3 environments, plus databases and services; \`GET /applications\` alone is $(curl -s -o /dev/null -w '%{size_download}' -H "$auth" "$api/applications" | awk '{ printf "%.1f MB", $1 / 1e6 }'))."
  echo
  echo "## The budget (issue 7)"
  echo
  echo "| figure | target | measured | |"
  echo "|---|---|---|---|"
  echo "| \`pftui status --output json\`, $APPS apps | at most 1.5x the curl floor | ${status_ms} ms = **${status_ratio}x** the floor (${floor_ms} ms) | $(verdict "$status_ratio" 1.5) |"
  echo "| \`pftui snapshot\`, $APPS apps, to the first full frame | at most 2x the curl floor | ${snapshot_ms} ms = **${snapshot_ratio}x** the floor | $(verdict "$snapshot_ratio" 2) |"
  echo "| full frame render at 200x60, $APPS apps, 100k log lines | under 2 ms | ${render_ms} ms (wrap ${render_wrap_ms}, search ${render_search_ms}, wrap + search ${render_both_ms}) | $(verdict "$render_both_ms" 2) |"
  echo "| one poll of a 50,000-entry deployment log (decode + tail) | at most 1.5x a bare serde_json parse | ${poll_ms} ms = **${poll_ratio}x** the parse (${log_floor_ms} ms); a poll with nothing new ${poll_none_ms} ms | $(verdict "$poll_ratio" 1.5) |"
  echo "| peak RSS, \`pftui snapshot\` with $APPS apps | under 40 MB | ${snapshot_rss_mb} MB (largest of 5 runs) | $(verdict "$snapshot_rss_mb" 40) |"
  echo "| peak RSS, TUI following a 100,000-line log | under 64 MB | ${tui_rss_mb} MB | $(verdict "$tui_rss_mb" 64) |"
  echo "| TUI CPU when idle, refresh running | under 0.5% of one core | ${idle_pct}% (${idle_ms} ms of CPU in ${IDLE_SECONDS} s) | $(verdict "$idle_pct" 0.5) |"
  echo
  echo "Also: building the tree from the API's bodies (decode + assemble, criterion) ${tree_ms} ms; a bare \`serde_json::Value\` parse of the same bodies ${tree_floor_ms} ms."
  echo
  echo "## How each figure was measured"
  echo
  echo "- The floor: curl fetching, 16 at a time, the $paths endpoints \`pftui status\` reads (taken from its own debug trace, \`PFTUI_LOG=pftui::http=debug\`):"
  echo "  \`curl -s --parallel --parallel-max 16 -H 'Authorization: Bearer …' -H 'Accept: application/json' -K curl.cfg\`."
  echo "- Times: $ROUNDS rounds of \`hyperfine -N --warmup 1 --runs $RUNS\` of the floor, \`pftui status --output json\` and \`pftui snapshot --size 200x60\` in turn; the median of each command's $((ROUNDS * RUNS)) runs."
  echo "- Peak RSS of the snapshot: \`/usr/bin/time -v pftui snapshot --size 200x60\`, \"Maximum resident set size\", 5 runs."
  echo "- The console: \`pftui\` in \`tmux new-session -x 200 -y 60\`, after \`POST /_sim/big-log {\"application\": \"$first_app\", \"lines\": $LOG_LINES, \"seconds\": 10}\`"
  echo "  (the first application, which the console selects and whose latest deployment it follows, polling it as it grows);"
  echo "  once the deployment is finished and the pane shows its last line, \`VmHWM\` of \`/proc/PID/status\`."
  echo "- Idle: the same console 10 s later, utime + stime of \`/proc/PID/stat\` over $IDLE_SECONDS s. The background refresh runs every 5 s at most (a full one every 12th),"
  echo "  stretched so that it stays within \`refresh.cpu_percent\` (0.15 % of a core by default); the header then read: \`$idle_header\`."
  echo "- Frame render, log poll, tree: \`cargo bench --bench render --bench logs --bench tree\` (criterion medians; the benches print what they measured)."
  if [ -s "$work/criterion-notes.txt" ] 2>/dev/null; then
    echo
    echo "What the benches measured:"
    echo
    sed 's/^/    /' "$work/criterion-notes.txt"
  fi
  echo
  echo "Run it again with \`scripts/bench.sh\` (or \`scripts/bench.sh --no-criterion\` for the whole-process figures only)."
} >"$root/BENCHMARKS.md.new"
if [ -f "$root/BENCHMARKS.md" ] && grep -q '^## History' "$root/BENCHMARKS.md"; then
  # Keep the hand-written history below the generated part.
  { echo; sed -n '/^## History/,$p' "$root/BENCHMARKS.md"; } >>"$root/BENCHMARKS.md.new"
  mv "$root/BENCHMARKS.md.new" "$root/BENCHMARKS.md"
else
  mv "$root/BENCHMARKS.md.new" "$root/BENCHMARKS.md"
fi
log "wrote BENCHMARKS.md"
cat "$root/BENCHMARKS.md"
