#!/usr/bin/python3
"""Times gensim 4.2's evaluate_word_analogies (3CosAdd) for
bench/analogy-vs-gensim.sh and prints a RESULT line with its scores.

  analogy_gensim.py VECTORS QUESTIONS RESTRICT [RESTRICT...]
"""
import json
import logging
import sys
import time

from gensim.models import KeyedVectors


def main():
    path, questions, restricts = sys.argv[1], sys.argv[2], [int(r) for r in sys.argv[3:]]
    logging.basicConfig(level=logging.ERROR)
    with open(path, 'rb') as f:
        f.readline()
        binary = any(b < 9 for b in f.read(4096))
    t = time.perf_counter()
    kv = KeyedVectors.load_word2vec_format(path, binary=binary)
    out = {'load_s': time.perf_counter() - t, 'words': len(kv)}
    kv.fill_norms()  # not part of the evaluation: computed once per model
    for r in restricts:
        t = time.perf_counter()
        score, sections = kv.evaluate_word_analogies(questions, restrict_vocab=r, case_insensitive=True)
        total = sections[-1]
        out[str(r)] = {'seconds': time.perf_counter() - t, 'correct': len(total['correct']),
                       'evaluated': len(total['correct']) + len(total['incorrect'])}
    print('RESULT ' + json.dumps(out), flush=True)


if __name__ == '__main__':
    main()
