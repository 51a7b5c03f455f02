#!/usr/bin/env bash
# Approximate nearest neighbours: package ann (bench/annbench) against
# hnswlib 0.6 (Debian's python3-hnswlib) and, with FAISS=1, faiss 1.7's
# IndexHNSWFlat, side by side on the same vectors, queries and exact
# answers, with the same M and efConstruction, on one thread and on two.
#
#   flock /work/.benchlock bench/ann-vs-hnswlib.sh
#
# Datasets (DATASETS, default "words mix"; add "uniform" for the footnote):
#   words    every word of ../shared/data/corpus-en.txt.gz (min-count 1,
#            about 163k × 100), trained once with wordspace train; the
#            queries are 1,000 random words' own vectors
#   mix      1,000,000 × 300 seeded Gaussian mixture (1,000 centres,
#            spread 0.5), 1,000 held-out queries from the same mixture
#   uniform  UNIFORM_N (default 100,000) × 100 uniform in [-1, 1]^100
# Files are cached in DATA_DIR (default $HOME/.cache/wordspace/ann), never in the
# repository. Other settings: THREADS ("1 2"), ROUNDS (1: each build and
# search run once per tool; more rounds alternate which tool goes first),
# M (16), EFC (200), EFS (10,20,30,40,60,80,120,160,320), REPEAT (3 timed searches
# of all queries at each ef).
#
# For each dataset and thread count it prints each tool's build time,
# memory and recall–queries/s curve, then the ratios at recall@10 0.95
# (queries/s interpolated along each curve), and a SUMMARY line last.
# Every run's figures are kept in DATA_DIR/results-DATE.jsonl, and the
# last wordspace index of each dataset in DATA_DIR/NAME.hnsw (for
# BenchmarkSearch1M in ann/bench_test.go). RESULTS="FILE..." runs nothing
# and prints the summary of results files kept by earlier runs (a run cut
# short keeps the lines of the tools that finished).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=/usr/bin/python3
DATA_DIR=${DATA_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/wordspace/ann}
DATASETS=${DATASETS:-words mix}
THREADS=${THREADS:-1 2}
ROUNDS=${ROUNDS:-1}
M=${M:-16}
EFC=${EFC:-200}
EFS=${EFS:-10,20,30,40,60,80,120,160,320}
REPEAT=${REPEAT:-3}
FAISS=${FAISS:-0}
UNIFORM_N=${UNIFORM_N:-100000}
mkdir -p "$DATA_DIR"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

prepare() { # prepare NAME: writes DATA_DIR/NAME.npy, .queries.npy, .truth.npy
  local f="$DATA_DIR/$1.npy"
  if [ -s "$f" ] && [ -s "$DATA_DIR/$1.truth.npy" ]; then return; fi
  echo "== preparing $f"
  case $1 in
  words)
    if [ ! -s "$DATA_DIR/corpus-en-mc1.bin" ]; then
      "$work/wordspace" train -train ../shared/data/corpus-en.txt.gz -output "$DATA_DIR/corpus-en-mc1.bin" \
        -binary 1 -min-count 1 -threads 2 -sample 1e-4 -quiet
    fi
    "$work/annbench" words -model "$DATA_DIR/corpus-en-mc1.bin" -out "$f" ;;
  mix) "$work/annbench" gen -kind mixture -n 1000000 -dim 300 -clusters 1000 -spread 0.5 -out "$f" ;;
  uniform) "$work/annbench" gen -kind uniform -n "$UNIFORM_N" -dim 100 -out "$f" ;;
  *) echo "unknown dataset $1" >&2; exit 2 ;;
  esac
  "$work/annbench" truth -data "$f"
}

tools="wordspace hnswlib"
[ "$FAISS" = 1 ] && tools="$tools faiss"

run() { # run every tool on every dataset, appending to $results
  echo "== $(date -u +%FT%TZ) load: $(uptime)"
  go build -o "$work/annbench" ./bench/annbench
  go build -o "$work/wordspace" ./cmd/wordspace
  for d in $DATASETS; do
    prepare "$d"
    f="$DATA_DIR/$d.npy"
    cat "$f" > /dev/null # page cache warm for every tool
    for t in $THREADS; do
      for r in $(seq "$ROUNDS"); do
        order=$tools
        if [ $((r % 2)) = 0 ]; then order=$(echo "$tools" | tr ' ' '\n' | tac | tr '\n' ' '); fi
        for tool in $order; do
          echo "== $d, $t thread(s), round $r: $tool ($(cut -d' ' -f1-3 /proc/loadavg) load)"
          if [ "$tool" = wordspace ]; then
            cmd=("$work/annbench" run -data "$f" -m "$M" -efc "$EFC" -threads "$t" -efs "$EFS" -repeat "$REPEAT" -save "$DATA_DIR/$d.hnsw")
          else
            cmd=("$PY" bench/ann_hnswlib.py --lib "$tool" --data "$f" --m "$M" --efc "$EFC" --threads "$t" --efs "$EFS" --repeat "$REPEAT")
          fi
          /usr/bin/time -f '%M' -o "$work/time" "${cmd[@]}" > "$work/out"
          line=$(grep '^RESULT ' "$work/out" | tail -1)
          $PY -c 'import json,sys; r=json.loads(sys.argv[1][7:]); r["dataset"]=sys.argv[2]; r["maxrss_mb"]=int(open(sys.argv[3]).read().split()[-1])/1024; print(json.dumps(r))' \
            "$line" "$d" "$work/time" | tee -a "$results" | cut -c1-300
        done
      done
    done
  done
  echo "== $(date -u +%FT%TZ) load: $(uptime)"
}

if [ -n "${RESULTS:-}" ]; then
  # shellcheck disable=SC2086 # a list of files
  cat $RESULTS > "$work/results.jsonl"
  results=$work/results.jsonl
else
  results="$DATA_DIR/results-$(date -u +%Y%m%dT%H%M%S).jsonl"
  : > "$results"
  run
fi

$PY - "$results" <<'PY'
import collections, json, statistics, sys

runs = collections.defaultdict(list)
for line in open(sys.argv[1]):
    r = json.loads(line)
    runs[(r['dataset'], r['threads'], r['tool'])].append(r)

def mean_sd(xs):
    return statistics.mean(xs), (statistics.stdev(xs) if len(xs) > 1 else 0.0)

def curve(rs, key='qps'):
    """Mean recall and queries/s at each ef over the rounds."""
    out = []
    for i, p in enumerate(rs[0]['curve']):
        out.append((p['ef'], statistics.mean(r['curve'][i]['recall'] for r in rs),
                    statistics.mean(r['curve'][i][key] for r in rs)))
    return out

def qps_at(c, target=0.95):
    """Queries/s at recall target, interpolated between the two ef values around it."""
    for (e0, r0, q0), (e1, r1, q1) in zip(c, c[1:]):
        if r0 < target <= r1:
            return q0 + (q1 - q0) * (target - r0) / (r1 - r0)
    if c and c[0][1] >= target:
        return c[0][2]
    return float('nan')

summary, ok, complete = [], True, True
for (d, t) in sorted({(k[0], k[1]) for k in runs}):
    print(f'\n{d}, {t} thread(s):')
    by = {tool: runs[(d, t, tool)] for tool in ('wordspace', 'hnswlib', 'faiss') if (d, t, tool) in runs}
    stats = {}
    for tool, rs in by.items():
        b, bsd = mean_sd([r['build_s'] for r in rs])
        cpu, _ = mean_sd([r['build_cpu_s'] for r in rs])
        mem, _ = mean_sd([r['rss_index_mb'] for r in rs])
        peak = max(r['maxrss_mb'] for r in rs)
        c = curve(rs)
        stats[tool] = dict(build=b, cpu=cpu, mem=mem, qps=qps_at(c), cpu_qps=qps_at(curve(rs, 'cpu_qps')))
        print(f'  {tool:9s} build {b:7.1f} s (±{bsd:.1f}, {cpu:.1f} CPU-s)  index memory {mem:7.1f} MiB  peak RSS {peak:7.1f} MiB  ({len(rs)} run(s), n {rs[0]["n"]} × {rs[0]["dim"]})')
        print('            ' + '  '.join(f'ef {e}: {r:.3f} @ {q:,.0f}/s' for e, r, q in c))
    if 'wordspace' in stats and 'hnswlib' in stats:
        w, h = stats['wordspace'], stats['hnswlib']
        qx, bx, mx = w['qps'] / h['qps'], w['build'] / h['build'], w['mem'] / h['mem']
        cqx, cbx = w['cpu_qps'] / h['cpu_qps'], w['cpu'] / h['cpu']
        print(f'  at recall@10 0.95: wordspace {w["qps"]:,.0f} queries/s, hnswlib {h["qps"]:,.0f} ({qx:.2f}x; goal >= 1, moonshot 1.5)')
        print(f'  build time {bx:.2f}x hnswlib\'s (goal <= 1.2); index memory {mx:.2f}x (goal <= 1)')
        print(f'  per processor-second (steadier on a busy machine): queries {cqx:.2f}x, build {cbx:.2f}x')
        if 'faiss' in stats:
            print(f'  faiss: {stats["faiss"]["qps"]:,.0f} queries/s at 0.95, build {stats["faiss"]["build"]:.1f} s, index memory {stats["faiss"]["mem"]:.1f} MiB')
        if d != 'uniform':
            ok = ok and qx >= 1 and bx <= 1.2 and mx <= 1
        summary.append(f'{d}/t{t} qps {qx:.2f}x build {bx:.2f}x mem {mx:.2f}x (cpu: qps {cqx:.2f}x build {cbx:.2f}x)')
    else:
        summary.append(f'{d}/t{t} incomplete (only {", ".join(stats)})')
        complete = False
print('\nSUMMARY ' + ' | '.join(summary) + (' -> INCOMPLETE' if not complete else ' -> PASS' if ok else ' -> FAIL'))
PY
