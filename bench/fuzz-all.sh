#!/usr/bin/env bash
# Runs every fuzz target of the module, one after another, for the same
# time each, and prints one line per target (executions, new inputs,
# crashers) and a SUMMARY line. A crasher is left where go test puts it
# (the package's testdata/fuzz/<Target>/), to be fixed and committed as a
# regression seed.
#
# Usage: bench/fuzz-all.sh [-time 2m] [-minimize 5s] [-parallel 1] [-run REGEXP] [-log DIR]
#
# -minimize bounds the time spent shrinking each new interesting input (go
# test's default, a minute, lets targets with large seeds, the bias lists
# or the transformer checkpoints, spend a short run minimizing instead of
# fuzzing: a 20 s run of FuzzReadWordList made 19 executions).
#
# With the defaults (two minutes a target, one worker, so as to share the
# machine) the module's ~30 targets take about an hour and a quarter.
set -uo pipefail
cd "$(dirname "$0")/.."
fuzztime=2m minimize=5s parallel=1 match=. logdir=$(mktemp -d /tmp/wordspace-fuzz.XXXXXX)
while [ $# -gt 0 ]; do
  case $1 in
    -time) fuzztime=$2; shift 2 ;;
    -minimize) minimize=$2; shift 2 ;;
    -parallel) parallel=$2; shift 2 ;;
    -run) match=$2; shift 2 ;;
    -log) logdir=$2; mkdir -p "$logdir"; shift 2 ;;
    *) echo "usage: $0 [-time 2m] [-minimize 5s] [-parallel 1] [-run REGEXP] [-log DIR]" >&2; exit 2 ;;
  esac
done

targets=0 failed=0 total=0
for pkg in $(go list ./...); do
  for fz in $(go test -list '^Fuzz' "$pkg" 2>/dev/null | grep '^Fuzz' | grep -E -- "$match"); do
    targets=$((targets + 1))
    log="$logdir/$(basename "$pkg")-$fz.log"
    go test "$pkg" -run '^$' -fuzz "^$fz\$" -fuzztime "$fuzztime" -fuzzminimizetime "$minimize" -parallel "$parallel" >"$log" 2>&1
    rc=$?
    last=$(grep -E '^fuzz: elapsed' "$log" | tail -1)
    execs=$(sed -nE 's/.*execs: ([0-9]+).*/\1/p' <<<"$last")
    interesting=$(sed -nE 's/.*new interesting: ([0-9]+).*/\1/p' <<<"$last")
    total=$((total + ${execs:-0}))
    if [ $rc -ne 0 ]; then
      failed=$((failed + 1))
      crasher=$(grep -oE 'testdata/fuzz/[^ ]+' "$log" | head -1)
      printf '%-40s %-28s %12s execs  FAILED %s (log %s)\n' "${pkg#github.com/wordspace/wordspace/}" "$fz" "${execs:-?}" "$crasher" "$log"
    else
      printf '%-40s %-28s %12s execs  %4s new  0 crashers\n' "${pkg#github.com/wordspace/wordspace/}" "$fz" "${execs:-?}" "${interesting:-?}"
    fi
  done
done
echo "SUMMARY: $targets fuzz targets, $fuzztime each (-fuzzminimizetime $minimize -parallel $parallel): $total executions, $failed with crashers; logs in $logdir"
[ $failed -eq 0 ]
