#!/usr/bin/env bash
# Runs the shell snippets of documentation pages against a fresh emulator, so that a documented
# command that stops working fails the build (docs/cli.md, "Snippets that run").
#
# usage: shell_snippets_test.sh RR_EXE DOC.md...
#
# Every ```sh block runs, in order, in its own `bash -e -o pipefail` in one scratch directory,
# unless its first line is a comment starting "# not run by the docs test:" (say why: it needs
# the network, builds the project, serves until Ctrl-C). The test starts `rr emulator --port 0`
# first; in a snippet, PORT and 8080 stand for its port, and the environment names it as the
# docs assume (RR_BASE_URL, RR_TOKEN_URL, RR_CLIENT_ID, RR_CLIENT_SECRET, E). `rr` is the
# just-built one, and `curl` fails on an HTTP error (--fail-with-body), so that a 400 fails too.
set -euo pipefail

rr_exe="$1"
shift
scratch="$(mktemp -d)"
emulator_pid=""
cleanup() {
  [[ -n "$emulator_pid" ]] && kill "$emulator_pid" 2>/dev/null && wait "$emulator_pid" 2>/dev/null
  rm -rf "$scratch"
}
trap cleanup EXIT

mkdir -p "$scratch/bin" "$scratch/work" "$scratch/config"
ln -s "$rr_exe" "$scratch/bin/rr"

# The emulator, on a free loopback port; its first line names the port.
"$rr_exe" emulator --port 0 >"$scratch/emulator.out" 2>&1 &
emulator_pid=$!
for _ in $(seq 100); do
  grep -q '^listening on ' "$scratch/emulator.out" 2>/dev/null && break
  sleep 0.1
done
url="$(sed -n 's/^listening on //p' "$scratch/emulator.out")"
[[ -n "$url" ]] || { echo "the emulator did not start:"; cat "$scratch/emulator.out"; exit 1; }
port="${url##*:}"

export PATH="$scratch/bin:$PATH"
export RR_BASE_URL="$url" RR_TOKEN_URL="$url/oauth/token" E="$url"
export RR_CLIENT_ID=demo-client-id RR_CLIENT_SECRET=demo-client-secret
export XDG_CONFIG_HOME="$scratch/config" HOME="$scratch"
unset RR_PROFILE RR_ACCESS_TOKEN RR_ORG_ID RR_AUDIENCE RR_TIMEOUT

ran=0
failed=0
for doc in "$@"; do
  # Split the page into its ```sh blocks: block N goes to $scratch/<page>.N.sh.
  name="$(basename "$doc" .md)"
  awk -v out="$scratch/$name" '
    /^```sh[[:space:]]*$/ { n++; inside = 1; file = out "." n ".sh"; printf "" > file; next }
    /^```/ && inside { inside = 0; close(file); next }
    inside { print >> file }
  ' "$doc"
  for block in $(ls "$scratch/$name".*.sh 2>/dev/null | sort -t. -k2 -n); do
    label="$doc block ${block##*/$name.}"
    label="${label%.sh}"
    if head -n 1 "$block" | grep -q '^# not run by the docs test:'; then
      echo "skip  $label: $(head -n 1 "$block" | sed 's/^# not run by the docs test: *//')"
      continue
    fi
    ran=$((ran + 1))
    sed -i -e "s/\bPORT\b/$port/g" -e "s/\b8080\b/$port/g" "$block"
    # Background jobs a snippet starts (rr emulator &) end with it.
    if (cd "$scratch/work" &&
        bash -e -o pipefail -c '
          curl() { command curl --fail-with-body "$@"; }
          trap '\''kill $(jobs -p) 2>/dev/null || true'\'' EXIT
          source "$1"' snippet "$block") >"$scratch/out" 2>&1; then
      echo "ok    $label"
    else
      failed=$((failed + 1))
      echo "FAIL  $label; it ran:"
      sed 's/^/    | /' "$block"
      echo "  and said:"
      sed 's/^/    > /' "$scratch/out"
      echo
    fi
  done
done
echo "$ran snippets run, $failed failed"
[[ $ran -gt 0 && $failed -eq 0 ]]
