#!/usr/bin/env bash
# Loading and querying a random 1,000,000 × 300 word2vec binary file:
# wordspace (bench/embedbench) against gensim 4.2, side by side.
#
#   flock /work/.benchlock bench/load-vs-gensim.sh
#
# Environment: FILE (default /tmp/wordspace-bench/big.bin, written by
# ../shared/bench/gensim_ref.py synth when missing), QUERIES (query vectors
# for the batched search, default 1000), GENSIM_QUERIES (how many of them
# gensim answers one by one; default QUERIES, the per-query time is scaled
# to QUERIES when smaller), ROUNDS (load timings alternated, default 2).
# Prints the figures and a SUMMARY line last.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=/usr/bin/python3
REF=../shared/bench/gensim_ref.py
FILE=${FILE:-/tmp/wordspace-bench/big.bin}
QUERIES=${QUERIES:-1000}
GENSIM_QUERIES=${GENSIM_QUERIES:-$QUERIES}
ROUNDS=${ROUNDS:-2}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if [ ! -s "$FILE" ]; then
  mkdir -p "$(dirname "$FILE")"
  echo "== writing $FILE"
  $PY "$REF" synth --out "$FILE"
fi
go build -o "$work/embedbench" ./bench/embedbench
cat "$FILE" > /dev/null # page cache warm for both

json() { # json FILE KEY: a number from the RESULT line in FILE
  $PY -c 'import json,sys; r=[l for l in open(sys.argv[1]) if l.startswith("RESULT ")][-1]; print(json.loads(r[7:])[sys.argv[2]])' "$1" "$2"
}
best() { sort -g | head -1; }

: > "$work/g_load"; : > "$work/w_load"; : > "$work/w_rss"
for r in $(seq "$ROUNDS"); do
  echo "== round $r: gensim load_word2vec_format"
  /usr/bin/time -f '%e %M' -o "$work/g_time" $PY "$REF" loadbig --file "$FILE" > "$work/g.out"
  cat "$work/g.out"
  json "$work/g.out" load_binary_s >> "$work/g_load"
  g_rss=$(json "$work/g.out" maxrss_after_load_mb)
  g_ms=$(json "$work/g.out" second_most_similar_s)
  echo "== round $r: wordspace embed.Load"
  /usr/bin/time -f '%e %M' -o "$work/w_time" "$work/embedbench" -file "$FILE" -load-only > "$work/w.out"
  cat "$work/w.out"; echo "   /usr/bin/time: $(cat "$work/w_time") (s, peak KB)"
  json "$work/w.out" load_binary_s >> "$work/w_load"
  awk '{print $2/1024}' "$work/w_time" >> "$work/w_rss"
done
g_load=$(best < "$work/g_load"); w_load=$(best < "$work/w_load"); w_rss=$(sort -g "$work/w_rss" | tail -1)
matrix_mb=$(json "$work/w.out" matrix_mb)

echo "== wordspace queries (MostSimilar, Nearest of $QUERIES vectors)"
"$work/embedbench" -file "$FILE" -queries "$QUERIES" > "$work/wq.out"
cat "$work/wq.out"
w_ms=$(json "$work/wq.out" second_most_similar_s)
w_near=$(json "$work/wq.out" nearest_s)

echo "== gensim most_similar, $GENSIM_QUERIES vectors one at a time"
$PY bench/gensim_queries.py --file "$FILE" --queries "$GENSIM_QUERIES" > "$work/gq.out"
cat "$work/gq.out"
g_q=$(json "$work/gq.out" per_query_ms)
g_ms2=$(json "$work/gq.out" second_most_similar_s)
g_ms=$($PY -c "print(min($g_ms, $g_ms2))")

$PY - "$g_load" "$w_load" "$w_rss" "$matrix_mb" "$g_rss" "$g_ms" "$w_ms" "$g_q" "$QUERIES" "$w_near" <<'PY'
import sys
g_load, w_load, w_rss, matrix, g_rss, g_ms, w_ms, g_q, n, w_near = map(float, sys.argv[1:])
g_near = g_q * n / 1000
load_x = g_load / w_load
rss_x = w_rss / matrix
ms_x = g_ms / w_ms
near_x = g_near / w_near
ok = load_x >= 5 and rss_x <= 1.3 and ms_x >= 1 and near_x >= 2
print(f"load: gensim {g_load:.2f} s, wordspace {w_load:.2f} s ({load_x:.1f}x faster; goal 5x)")
print(f"peak RSS loading: wordspace {w_rss:.0f} MiB = {rss_x:.2f}x the {matrix:.0f} MiB matrix (goal <= 1.3x); gensim {g_rss:.0f} MiB")
print(f"most_similar top 10: gensim {g_ms*1000:.0f} ms, wordspace {w_ms*1000:.0f} ms ({ms_x:.1f}x; goal >= 1x)")
print(f"{int(n)} query vectors: gensim one by one {g_near:.1f} s, wordspace Nearest {w_near:.2f} s ({near_x:.1f}x; goal 2x)")
print(f"SUMMARY load {load_x:.1f}x rss {rss_x:.2f}x most_similar {ms_x:.1f}x nearest {near_x:.1f}x -> {'PASS' if ok else 'FAIL'}")
PY
