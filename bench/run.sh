#!/usr/bin/env bash
# Runs get_bench against bench_server on loopback. Builds nothing.
# Usage: bench/run.sh <build_dir> [N] [record_id]
set -euo pipefail

if [[ $# -lt 1 ]]; then
  echo "usage: $0 <build_dir> [N] [record_id]" >&2
  exit 2
fi
build_dir=$1
shift
server_bin="$build_dir/bench/bench_server"
bench_bin="$build_dir/bench/get_bench"
for bin in "$server_bin" "$bench_bin"; do
  if [[ ! -x $bin ]]; then
    echo "$bin not found: build the bench targets first" >&2
    exit 1
  fi
done

# With two or more CPUs, the server gets the last one and the benchmark the first: otherwise the
# scheduler's placement of the server's per-connection threads skews one side of the comparison.
server_pin=()
bench_pin=()
cpus=$(nproc)
if command -v taskset >/dev/null && [[ $cpus -ge 2 ]]; then
  server_pin=(taskset -c "$((cpus - 1))")
  bench_pin=(taskset -c 0)
fi

log=$(mktemp)
"${server_pin[@]}" "$server_bin" >"$log" 2>&1 &
server_pid=$!
# Stop exactly the server this script started, however the script ends.
trap 'kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; rm -f "$log"' EXIT

url=""
for _ in $(seq 1 100); do
  url=$(sed -n 's/^listening on \(http:\/\/[0-9.:]*\).*/\1/p' "$log")
  [[ -n $url ]] && break
  if ! kill -0 "$server_pid" 2>/dev/null; then
    echo "bench_server exited:" >&2
    cat "$log" >&2
    exit 1
  fi
  sleep 0.1
done
if [[ -z $url ]]; then
  echo "bench_server did not report its address" >&2
  exit 1
fi
echo "bench_server $url (pid $server_pid)"
"${bench_pin[@]}" "$bench_bin" "$url" "$@"
