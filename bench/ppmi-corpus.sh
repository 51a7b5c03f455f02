#!/bin/sh
# Corpus-scale measurements of `wordspace ppmi` and `wordspace phrases` on
# ../shared/data/corpus-en.txt.gz (issue 7): counting time and peak memory
# with 1 and 2 threads, PPMI and SVD times, quality of PPMI-SVD at dim 100 and
# 300 next to skip-gram (`wordspace train`, same window and min-count), and
# the top phrases. Timings are wrapped in flock /work/.benchlock when that
# file exists, so that they do not overlap other benchmarks.
#
# Usage: bench/ppmi-corpus.sh [OUTDIR]     (default /tmp/ppmi-bench)
set -eu
cd "$(dirname "$0")/.."
ROOT=$(pwd)
SHARED=${SHARED:-$ROOT/../shared}
C=$SHARED/data/corpus-en.txt.gz
EVAL="/usr/bin/python3 $SHARED/bench/eval_vectors.py --quiet"
OUT=${1:-/tmp/ppmi-bench}
mkdir -p "$OUT"
W=$OUT/wordspace
go build -o "$W" ./cmd/wordspace
LOCK=""
[ -e /work/.benchlock ] && LOCK="flock /work/.benchlock"
TIME="/usr/bin/time -f TIME_%e_s_RSS_%M_KB"

echo "== counting, window 5, linear weights (count only: -save-counts without -output)"
for t in 1 2; do
  $LOCK $TIME "$W" ppmi -train "$C" -save-counts "$OUT/w5.cooc" -threads $t 2>&1 | grep -E "counted|TIME"
done

echo "== PPMI + SVD from the saved counts (times printed per stage)"
for d in 100 300; do
  for t in 1 2; do
    echo "-- dim $d, threads $t"
    $LOCK $TIME "$W" ppmi -load-counts "$OUT/w5.cooc" -output "$OUT/ppmi$d.txt" -size $d -threads $t 2>&1 | grep -E "PPMI|SVD|TIME"
  done
done

echo "== the whole pipeline, dim 300, 2 threads"
$LOCK $TIME "$W" ppmi -train "$C" -output "$OUT/ppmi300.txt" -size 300 -threads 2 2>&1 | grep -E "vocab|counted|PPMI|SVD|total|TIME"

echo "== quality (eval_vectors.py: Google analogies 3CosAdd at 30k, WS353 Spearman)"
for d in 100 300; do
  $EVAL "$OUT/ppmi$d.txt" --label "ppmi-svd d$d (defaults)"
  "$W" ppmi -quiet -load-counts "$OUT/w5.cooc" -output "$OUT/ppmi${d}_eig0.txt" -size $d -eig 0
  $EVAL "$OUT/ppmi${d}_eig0.txt" --label "ppmi-svd d$d eig 0"
  "$W" ppmi -quiet -load-counts "$OUT/w5.cooc" -output "$OUT/ppmi${d}_wc.txt" -size $d -eig 0 -add-contexts
  $EVAL "$OUT/ppmi${d}_wc.txt" --label "ppmi-svd d$d eig 0 w+c"
  "$W" train -quiet -train "$C" -output "$OUT/sgns$d.txt" -size $d -window 5 -min-count 5 -sample 1e-4 -threads 2
  $EVAL "$OUT/sgns$d.txt" --label "skip-gram d$d"
done

echo "== phrases: two passes, threshold 100, min-count 5; the 30 best of each pass"
$LOCK $TIME "$W" phrases -train "$C" -output "$OUT/phrases.txt" -top 30
grep -o "new_york[a-z_]*" "$OUT/phrases.txt" | sort | uniq -c | sort -rn | head -5
