#!/usr/bin/python3
"""Reference results from gensim 4.2 for analogy/gensim_test.go.

Trains a small skip-gram model with gensim (or takes --vectors), adds case
variants of some question words so that gensim's case-insensitive rules are
exercised, saves the vectors as word2vec binary (exact float32 bits) and
writes what gensim answers on them to OUT/result.json:

  * evaluate_word_analogies (3CosAdd) at every --restrict, per section the
    correct and incorrect questions (upper-cased, as gensim reports them);
  * 3CosMul: most_similar_cosmul on a KeyedVectors holding only the first
    R words, every question walked exactly as evaluate_word_analogies walks
    most_similar's answers;
  * evaluate_word_pairs on --pairs (plain and dummy4unknown);
  * np.linalg.norm of every row (float32, OUT/norms.f32) and a few
    most_similar / most_similar_cosmul answers with scores.
"""
import argparse
import json
import logging
import os
import time

import numpy as np
from gensim.models import KeyedVectors, Word2Vec
from gensim.models.word2vec import LineSentence


def train(a):
    model = Word2Vec(sg=1, hs=0, negative=5, window=5, vector_size=a.dim, sample=1e-4,
                     min_count=a.min_count, epochs=a.epochs, workers=2, seed=1)
    src = LineSentence(a.corpus, limit=a.max_lines or None)
    model.build_vocab(corpus_iterable=src)
    model.train(corpus_iterable=src, total_examples=model.corpus_count, epochs=model.epochs)
    return list(model.wv.index_to_key), model.wv.vectors.astype(np.float32)


def question_words(path):
    out = set()
    with open(path, encoding='utf-8') as f:
        for line in f:
            if line.startswith(':'):
                continue
            out.update(line.split())
    return out


def add_variants(words, vecs, qwords, every):
    """Insert capitalised / upper-case spellings of some question words:
    some just before the original (so they become the first spelling),
    some just after, some at the end of the vocabulary."""
    rng = np.random.default_rng(7)
    chosen = sorted(w for w in set(words) if w.lower() in {q.lower() for q in qwords} and w.islower())
    chosen = set(chosen[::every])
    out_w, out_v, tail_w, tail_v = [], [], [], []
    k = 0
    for w, v in zip(words, vecs):
        if w not in chosen:
            out_w.append(w)
            out_v.append(v)
            continue
        var = w.capitalize() if k % 2 == 0 else w.upper()
        noise = rng.standard_normal(v.shape).astype(np.float32) * np.float32(0.3 * np.linalg.norm(v) / np.sqrt(len(v)))
        vv = (v + noise).astype(np.float32)
        where = k % 3
        k += 1
        if where == 0:
            out_w += [var, w]
            out_v += [vv, v]
        elif where == 1:
            out_w += [w, var]
            out_v += [v, vv]
        else:
            out_w.append(w)
            out_v.append(v)
            tail_w.append(var)
            tail_v.append(vv)
    return out_w + tail_w, np.array(out_v + tail_v, dtype=np.float32)


def analogy_cosmul(kv, questions_path, restrict):
    """3CosMul with evaluate_word_analogies' rules on the first `restrict` words."""
    words = kv.index_to_key[:restrict]
    kvr = KeyedVectors(kv.vector_size, dtype=np.float32)
    kvr.add_vectors(words, kv.vectors[:restrict])
    kvr.fill_norms()
    ok = {}
    for i, w in enumerate(words):
        ok.setdefault(w.upper(), i)
    sections, sec = [], None
    with open(questions_path, encoding='utf-8') as f:
        for line in f:
            if line.startswith(': '):
                sec = {'section': line.lstrip(': ').strip(), 'correct': [], 'incorrect': []}
                sections.append(sec)
                continue
            try:
                a, b, c, d = [w.upper() for w in line.split()]
            except ValueError:
                continue
            if a not in ok or b not in ok or c not in ok or d not in ok:
                continue
            sims = kvr.most_similar_cosmul(positive=[words[ok[b]], words[ok[c]]], negative=[words[ok[a]]], topn=5)
            ignore = {a, b, c}
            predicted = None
            for w, _ in sims:
                predicted = w.upper()
                if predicted in ok and predicted not in ignore:
                    break
            (sec['correct'] if predicted == d else sec['incorrect']).append([a, b, c, d])
    return sections


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--corpus')
    ap.add_argument('--vectors', help='word2vec text or binary file to use instead of training')
    ap.add_argument('--max-lines', type=int, default=0)
    ap.add_argument('--min-count', type=int, default=3)
    ap.add_argument('--dim', type=int, default=50)
    ap.add_argument('--epochs', type=int, default=2)
    ap.add_argument('--variants-every', type=int, default=9)
    ap.add_argument('--questions', required=True)
    ap.add_argument('--pairs', required=True)
    ap.add_argument('--restrict', default='30000,300000')
    ap.add_argument('--no-cosmul', action='store_true')
    ap.add_argument('--out', required=True)
    a = ap.parse_args()
    logging.basicConfig(level=logging.ERROR)
    t0 = time.perf_counter()
    res = {'timing': {}}
    if a.vectors:
        with open(a.vectors, 'rb') as f:
            f.readline()
            binary = any(b < 9 for b in f.read(4096))
        kv0 = KeyedVectors.load_word2vec_format(a.vectors, binary=binary)
        words, vecs = list(kv0.index_to_key), kv0.vectors
    else:
        words, vecs = train(a)
        words, vecs = add_variants(words, vecs, question_words(a.questions), a.variants_every)
    res['timing']['train'] = time.perf_counter() - t0
    path = os.path.join(a.out, 'vectors.bin')
    kv = KeyedVectors(vecs.shape[1], dtype=np.float32)
    kv.add_vectors(words, vecs)
    kv.save_word2vec_format(path, binary=True)
    kv = KeyedVectors.load_word2vec_format(path, binary=True)
    res['vectors'] = path
    res['words'] = len(kv)
    kv.fill_norms()
    kv.norms.astype('<f4').tofile(os.path.join(a.out, 'norms.f32'))

    res['analogy'] = {}
    for r in [int(x) for x in a.restrict.split(',')]:
        t = time.perf_counter()
        score, sections = kv.evaluate_word_analogies(a.questions, restrict_vocab=r, case_insensitive=True)
        res['timing']['add_%d' % r] = time.perf_counter() - t
        entry = {'add': [s for s in sections if s['section'] != 'Total accuracy']}
        if not a.no_cosmul:
            t = time.perf_counter()
            entry['mul'] = analogy_cosmul(kv, a.questions, r)
            res['timing']['mul_%d' % r] = time.perf_counter() - t
        res['analogy'][str(r)] = entry

    res['pairs'] = {}
    # gensim's similarity of every in-vocabulary pair, in file order, to
    # tell rank flips between near-equal similarities from real errors.
    ok = {}
    for i, w in enumerate(kv.index_to_key):
        ok.setdefault(w.upper(), i)
    sims = []
    with open(a.pairs, encoding='utf8') as f:
        for line in f:
            if line.startswith('#'):
                continue
            w1, w2, _ = line.rstrip('\n').split('\t')
            if w1.upper() in ok and w2.upper() in ok:
                sims.append(float(kv.similarity(kv.index_to_key[ok[w1.upper()]], kv.index_to_key[ok[w2.upper()]])))
    res['pair_sims'] = sims
    for dummy in (False, True):
        p, s, oov = kv.evaluate_word_pairs(a.pairs, dummy4unknown=dummy)
        res['pairs']['dummy' if dummy else 'plain'] = {'pearson': float(p[0]), 'spearman': float(s[0]), 'oov_ratio': oov}

    # A few queries with scores, for Solve.
    top = [w for w in kv.index_to_key[:2000] if w.isalpha()]
    rng = np.random.default_rng(3)
    queries = []
    for _ in range(20):
        a_, b_, c_ = (top[i] for i in rng.choice(len(top), 3, replace=False))
        queries.append({
            'a': a_, 'b': b_, 'c': c_,
            'add': [[w, float(s)] for w, s in kv.most_similar(positive=[b_, c_], negative=[a_], topn=10)],
            'mul': [[w, float(s)] for w, s in kv.most_similar_cosmul(positive=[b_, c_], negative=[a_], topn=10)],
        })
    res['queries'] = queries
    res['timing']['total'] = time.perf_counter() - t0
    with open(os.path.join(a.out, 'result.json'), 'w') as f:
        json.dump(res, f)


if __name__ == '__main__':
    main()
