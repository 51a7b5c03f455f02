#!/usr/bin/python3
"""Independent numpy cross-check of `wordspace bias weat` and `bias direct`.

Usage (from the project root, with ../shared beside it):
  /usr/bin/python3 bench/bias_xcheck.py VECTORS.txt

Reads word2vec text vectors and recomputes, without any wordspace code, the
WEAT effect sizes (sample standard deviation) of Caliskan's ten tests, the
exact one-sided permutation p-values of the tests with at most 20,000
partitions (ties within 1e-12 of the observed sum count as >=, the observed
partition included), and Bolukbasi's direct bias (c = 1) of the professions
in the vocabulary and not gender-specific, along the first principal
component of the centred, unit-normalised definitional pairs. Lookups fall
back to lower case, as wordspace's do. Compare with
  wordspace bias weat -model VECTORS.txt
  wordspace bias direct -model VECTORS.txt -json
"""
import itertools
import json
import os
import sys
from math import comb
import numpy as np

EVAL = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "data", "eval") + "/"
vec = {}
with open(sys.argv[1]) as f:
    n, d = map(int, f.readline().split())
    for line in f:
        p = line.rstrip().split(' ')
        vec[p[0]] = np.array(p[1:], dtype=np.float32).astype(np.float64)
def get(w):
    if w in vec: return vec[w]
    if w.lower() in vec: return vec[w.lower()]
    return None
def unit(v): return v / np.linalg.norm(v)
tests = json.load(open(EVAL + "weat.json"))
for t in tests:
    S = {k: [unit(get(w)) for w in t[k] if get(w) is not None] for k in 'XYAB'}
    s = lambda w: np.mean([w @ a for a in S['A']]) - np.mean([w @ b for b in S['B']])
    sx = [s(w) for w in S['X']]; sy = [s(w) for w in S['Y']]
    allv = np.array(sx + sy)
    dd = (np.mean(sx) - np.mean(sy)) / np.std(allv, ddof=1)
    nx = len(sx); obs = sum(sx)
    out = f"WEAT{t['id']}: d={dd:.4f}"

    if comb(len(allv), nx) <= 20000:
        cnt = 0; tot = 0
        for c in itertools.combinations(range(len(allv)), nx):
            tot += 1
            if allv[list(c)].sum() >= obs - 1e-12 * np.abs(allv).sum(): cnt += 1
        out += f" p={cnt/tot:.6g} ({cnt}/{tot})"
    print(out)
pairs = json.load(open(EVAL + "definitional_pairs.json"))
M = []
for a, b in pairs:
    va, vb = get(a), get(b)
    if va is None or vb is None: continue
    va, vb = unit(va), unit(vb); c = (va + vb) / 2
    M += [va - c, vb - c]
M = np.array(M); M = M - M.mean(0)
_, S, Vt = np.linalg.svd(M, full_matrices=False)
g = Vt[0]
gs = set(json.load(open(EVAL + "gender_specific_full.json")))
gsidx = set()
for w in gs:
    if w in vec: gsidx.add(w)
    elif w.lower() in vec: gsidx.add(w.lower())
prof = [p[0] for p in json.load(open(EVAL + "professions.json"))]
used = []
for w in prof:
    k = w if w in vec else (w.lower() if w.lower() in vec else None)
    if k is None or k in gsidx: continue
    used.append(k)
db = np.mean([abs(unit(vec[w]) @ g) for w in used])
print(f"direct bias {db:.10g} over {len(used)} words; explained variance {(S**2/np.sum(S**2))[:3]}")
