#!/usr/bin/python3
"""gensim side of embed's interoperability test (gensim_test.go).

Sub-commands (all write raw dumps the Go test compares byte for byte:
WORDS is UTF-8, one word a line; VECS is the float32 matrix, little-endian):
  load  FILE BINARY WORDS VECS ...   load each FILE with KeyedVectors.load_word2vec_format
  save  TEXT BIN WORDS VECS          write a random model in both formats
  train CORPUS TOKENS MODEL QUERIES SEED RESULTS
        train skip-gram on the first TOKENS tokens of CORPUS (gzip or text; if
        missing, synthetic text), save it as word2vec binary MODEL, and write
        to RESULTS, for QUERIES random words, gensim's most_similar top 10 as
        lines "query<TAB>word<TAB>cosine".
"""
import gzip
import os
import sys

import numpy as np
from gensim.models import KeyedVectors, Word2Vec


def dump(kv, words_path, vecs_path):
    with open(words_path, 'w', encoding='utf-8') as f:
        f.write('\n'.join(kv.index_to_key) + '\n')
    with open(vecs_path, 'wb') as f:
        f.write(np.ascontiguousarray(kv.vectors, dtype='<f4').tobytes())


def cmd_load(*args):
    for i in range(0, len(args), 4):
        path, binary, words, vecs = args[i:i + 4]
        kv = KeyedVectors.load_word2vec_format(path, binary=binary == '1')
        dump(kv, words, vecs)


def cmd_save(text, binpath, words, vecs):
    rng = np.random.default_rng(3)
    n, d = 500, 25
    keys = ['w%d' % i for i in range(n - 5)] + ['über', 'naïve', '東京', 'o\'neil', 'ſ']
    v = (rng.standard_normal((n, d)) * rng.choice([1e-8, 1e-3, 1, 1e4], size=(n, d))).astype(np.float32)
    kv = KeyedVectors(d)
    kv.add_vectors(keys, v)
    kv.save_word2vec_format(text, binary=False)
    kv.save_word2vec_format(binpath, binary=True)
    dump(kv, words, vecs)


def sentences(corpus, tokens):
    if os.path.exists(corpus):
        opener = gzip.open if corpus.endswith('.gz') else open
        left = tokens
        with opener(corpus, 'rt', encoding='utf-8', errors='replace') as f:
            for line in f:
                toks = line.split()
                if not toks:
                    continue
                yield toks[:left]
                left -= len(toks)
                if left <= 0:
                    return
    else:
        # Synthetic text with structure: words from the same topic co-occur.
        rng = np.random.default_rng(7)
        left = tokens
        while left > 0:
            topic = rng.integers(0, 40)
            toks = ['t%d_%d' % (topic, rng.zipf(1.5) % 60) for _ in range(20)]
            yield toks
            left -= len(toks)


def cmd_train(corpus, tokens, model, queries, seed, results):
    sents = list(sentences(corpus, int(tokens)))
    m = Word2Vec(sentences=sents, vector_size=50, window=5, min_count=5, sg=1, negative=5,
                 epochs=3, workers=2, seed=int(seed))
    kv = m.wv
    kv.save_word2vec_format(model, binary=True)
    rng = np.random.default_rng(int(seed))
    picks = rng.choice(len(kv), size=min(int(queries), len(kv)), replace=False)
    with open(results, 'w', encoding='utf-8') as f:
        for i in picks:
            q = kv.index_to_key[i]
            for w, s in kv.most_similar(q, topn=10):
                f.write('%s\t%s\t%.9g\n' % (q, w, s))


if __name__ == '__main__':
    cmd, args = sys.argv[1], sys.argv[2:]
    {'load': cmd_load, 'save': cmd_save, 'train': cmd_train}[cmd](*args)
