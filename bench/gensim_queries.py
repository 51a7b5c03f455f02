#!/usr/bin/python3
"""Times gensim 4.2 answering query vectors one at a time, for load-vs-gensim.sh.

  gensim_queries.py --file BIG.bin [--queries 1000] [--k 10]

Loads the word2vec binary file, computes the norms (one most_similar call),
then times most_similar(positive=[vector], topn=k) for random query vectors,
one call per vector, as a user without a batched search would. Prints
"RESULT {json}".
"""
import argparse
import json
import logging
import time

import numpy as np
from gensim.models import KeyedVectors


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--file', required=True)
    ap.add_argument('--queries', type=int, default=1000)
    ap.add_argument('--k', type=int, default=10)
    a = ap.parse_args()
    logging.basicConfig(level=logging.WARNING)
    kv = KeyedVectors.load_word2vec_format(a.file, binary=True)
    kv.most_similar(kv.index_to_key[123], topn=a.k)  # computes the norms
    t0 = time.perf_counter()
    kv.most_similar(kv.index_to_key[4567], topn=a.k)
    second = time.perf_counter() - t0
    q = np.random.default_rng(1).standard_normal((a.queries, kv.vector_size)).astype(np.float32)
    t0 = time.perf_counter()
    for v in q:
        kv.most_similar(positive=[v], topn=a.k)
    dt = time.perf_counter() - t0
    print('RESULT ' + json.dumps(dict(file=a.file, queries=a.queries, queries_s=dt,
                                      per_query_ms=dt / a.queries * 1000,
                                      second_most_similar_s=second)), flush=True)


if __name__ == '__main__':
    main()
