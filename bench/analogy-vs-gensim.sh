#!/usr/bin/env bash
# Analogy evaluation speed: wordspace eval against gensim 4.2's
# evaluate_word_analogies, on the same vectors, side by side.
#
#   flock /work/.benchlock bench/analogy-vs-gensim.sh
#
# Environment: VECTORS (a word2vec text or binary file; default
# /tmp/wordspace-bench/corpus-en-gensim.txt, trained with gensim on
# ../shared/data/corpus-en.txt.gz when missing, a few minutes),
# QUESTIONS (default ../shared/data/eval/questions-words.txt), ROUNDS
# (alternated timing rounds, best kept; default 3). Times 3CosAdd at
# restrict 30,000 and 300,000 (the whole vocabulary when smaller) and
# 3CosMul for wordspace alone (gensim has no 3CosMul evaluation). Checks
# that both find the same number of correct answers. Prints a SUMMARY line
# last.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=/usr/bin/python3
SHARED=${SHARED:-../shared}
VECTORS=${VECTORS:-/tmp/wordspace-bench/corpus-en-gensim.txt}
QUESTIONS=${QUESTIONS:-$SHARED/data/eval/questions-words.txt}
ROUNDS=${ROUNDS:-3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if [ ! -s "$VECTORS" ]; then
  mkdir -p "$(dirname "$VECTORS")"
  echo "== training gensim vectors on corpus-en into $VECTORS"
  $PY "$SHARED/bench/gensim_ref.py" train --corpus "$SHARED/data/corpus-en.txt.gz" --mode lines --out "$VECTORS" | tail -1
fi
go build -o "$work/wordspace" ./cmd/wordspace

field() { # field FILE EXPR: a value from the JSON object in FILE (RESULT line or whole file)
  $PY -c 'import json,sys
t=open(sys.argv[1]).read()
r=[l for l in t.splitlines() if l.startswith("RESULT ")]
d=json.loads(r[-1][7:] if r else t)
print(eval(sys.argv[2], {}, {"d": d}))' "$1" "$2"
}
best() { sort -g | head -1; }

for r in 30000 300000; do : > "$work/g$r"; : > "$work/w$r"; : > "$work/m$r"; done
for round in $(seq "$ROUNDS"); do
  echo "== round $round: gensim evaluate_word_analogies"
  $PY bench/analogy_gensim.py "$VECTORS" "$QUESTIONS" 30000 300000 > "$work/g.out"
  cat "$work/g.out"
  for r in 30000 300000; do
    field "$work/g.out" "d['$r']['seconds']" >> "$work/g$r"
    field "$work/g.out" "'%d/%d' % (d['$r']['correct'], d['$r']['evaluated'])" > "$work/gc$r"
  done
  echo "== round $round: wordspace eval"
  for r in 30000 300000; do
    for m in add mul; do
      "$work/wordspace" eval -model "$VECTORS" -analogies "$QUESTIONS" -restrict "$r" -method "$m" -json > "$work/w.json"
      s=$(field "$work/w.json" "d['analogy']['seconds']")
      c=$(field "$work/w.json" "'%d/%d' % (d['analogy']['correct'], d['analogy']['evaluated'])")
      echo "   restrict $r $m: ${s}s, $c correct"
      if [ "$m" = add ]; then echo "$s" >> "$work/w$r"; echo "$c" > "$work/wc$r"; else echo "$s" >> "$work/m$r"; fi
    done
  done
done

summary="SUMMARY analogy evaluation, $(field "$work/g.out" "d['words']") words:"
status=0
for r in 30000 300000; do
  g=$(best < "$work/g$r"); w=$(best < "$work/w$r"); m=$(best < "$work/m$r")
  ratio=$($PY -c "print('%.1f' % ($g / $w))")
  g=$(printf %.2f "$g"); w=$(printf %.3f "$w"); m=$(printf %.3f "$m")
  gc=$(cat "$work/gc$r"); wc=$(cat "$work/wc$r")
  [ "$gc" = "$wc" ] || { echo "correct answers differ at restrict $r: gensim $gc, wordspace $wc"; status=1; }
  summary="$summary restrict $r: gensim ${g}s, wordspace 3CosAdd ${w}s (${ratio}x), 3CosMul ${m}s, correct $wc (gensim $gc);"
done
echo "$summary"
exit $status
