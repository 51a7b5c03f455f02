#!/bin/sh
# Compares word2vec's training speed between two checkouts (say the
# merge base and a branch): builds `go test ./word2vec` in each and runs
# BenchmarkTrain alternately N times, so that both see the same machine
# load, then prints each case's mean words per CPU-second (the steadier
# figure on a shared machine) and the ratio B/A in SUMMARY lines.
#
# Usage: bench/w2v-bench-ab.sh TREE_A TREE_B [N]      (N defaults to 3)
set -eu
A=$(cd "$1" && pwd) B=$(cd "$2" && pwd) N=${3:-3}
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
(cd "$A" && go test -c -o "$OUT/a.test" ./word2vec)
(cd "$B" && go test -c -o "$OUT/b.test" ./word2vec)
for i in $(seq "$N"); do
	for t in a b; do
		dir=$A
		[ $t = b ] && dir=$B
		(cd "$dir/word2vec" && "$OUT/$t.test" -test.run '^$' -test.bench Train -test.benchtime 2x) |
			grep '^Benchmark' | sed "s|^|$t |"
	done
done | tee "$OUT/all"
awk '{ for (i = 3; i < NF; i++) if ($(i+1) == "words/cpu-s") v = $i; s[$1 " " $2] += v; n[$1 " " $2]++; names[$2] = 1 }
END { for (k in names) { a = s["a " k] / n["a " k]; b = s["b " k] / n["b " k]
	printf "SUMMARY %s: A %.0f, B %.0f words/cpu-s, B/A %.3f\n", k, a, b, b / a } }' "$OUT/all"
