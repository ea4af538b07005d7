#!/usr/bin/env bash
# Compiler launcher of scripts/build_profile.sh: runs one compile and appends its CPU seconds (user
# + system, the compiler's own processes) and its output file to LOG. CPU time, unlike wall time,
# hardly changes with what else the machine is doing, so profiles stay comparable.
#   compile_timer.sh LOG COMPILER ARGS...
log="$1"
shift
out=""
prev=""
for arg in "$@"; do
  [ "$prev" = "-o" ] && out="$arg"
  prev="$arg"
done
"$@"
status=$?
# `times` prints the shell's own times, then its children's: "1m2.500s 0m0.250s". It must run in
# this shell, not in a pipeline's subshell (which has no children), so it writes to a file.
times_file="$(mktemp)"
times >"$times_file"
read -r user sys < <(tail -n 1 "$times_file")
rm -f "$times_file"
to_s() { awk -v t="$1" 'BEGIN { split(t, a, "m"); sub("s", "", a[2]); printf "%.2f", a[1] * 60 + a[2] }'; }
printf '%s\t%s\n' "$(awk -v u="$(to_s "$user")" -v s="$(to_s "$sys")" 'BEGIN { printf "%.2f", u + s }')" \
  "$out" >>"$log"
exit $status
