#!/usr/bin/python3
"""hnswlib and faiss's HNSW on the files bench/annbench writes, for
bench/ann-vs-hnswlib.sh.

    ann_hnswlib.py --lib hnswlib|faiss --data X.npy --m 16 --efc 200 \
        --threads 1 --efs 10,20,40 --repeat 3

reads X.npy (the vectors), X.queries.npy and X.truth.npy (the exact 10
nearest rows of each query by cosine), builds the index with the given M
and efConstruction, searches all queries at each ef, and prints one line
"RESULT {json}" with the fields annbench run prints: build time (wall and
processor), resident memory of the data and of the index, peak resident
memory, and recall@10 and queries/s at each ef (per second of wall
clock and per second of processor time).

Cosine similarity: hnswlib's 'cosine' space (it normalises the vectors it
stores and each query); for faiss, IndexHNSWFlat with the inner product
on vectors normalised here, in place.
"""
import argparse
import json
import resource
import time

import numpy as np


def rss_mb():
    with open('/proc/self/status') as f:
        for line in f:
            if line.startswith('VmRSS:'):
                return int(line.split()[1]) / 1024
    return -1


def peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--lib', choices=['hnswlib', 'faiss'], default='hnswlib')
    ap.add_argument('--data', required=True)
    ap.add_argument('--m', type=int, default=16)
    ap.add_argument('--efc', type=int, default=200)
    ap.add_argument('--threads', type=int, default=1)
    ap.add_argument('--efs', default='10,20,40,80,160')
    ap.add_argument('--k', type=int, default=10)
    ap.add_argument('--repeat', type=int, default=3)
    args = ap.parse_args()

    base = args.data[:-len('.npy')] if args.data.endswith('.npy') else args.data
    data = np.load(args.data)  # read into memory, as annbench does
    queries = np.load(base + '.queries.npy')
    truth = np.load(base + '.truth.npy')[:, :args.k]
    n, dim = data.shape
    out = {'tool': args.lib, 'data': args.data, 'm': args.m, 'efc': args.efc,
           'threads': args.threads, 'n': n, 'dim': dim}

    if args.lib == 'hnswlib':
        import hnswlib
        rss_data = rss_mb()
        t0, c0 = time.time(), time.process_time()
        index = hnswlib.Index(space='cosine', dim=dim)
        index.init_index(max_elements=n, ef_construction=args.efc, M=args.m, random_seed=1)
        index.add_items(data, np.arange(n), num_threads=args.threads)
        out['build_s'], out['build_cpu_s'] = time.time() - t0, time.process_time() - c0

        def search(ef):
            index.set_ef(ef)
            labels, _ = index.knn_query(queries, k=args.k, num_threads=args.threads)
            return labels
    else:
        import faiss
        faiss.omp_set_num_threads(args.threads)
        data /= np.maximum(np.linalg.norm(data, axis=1, keepdims=True), 1e-30)
        queries = queries / np.maximum(np.linalg.norm(queries, axis=1, keepdims=True), 1e-30)
        rss_data = rss_mb()
        t0, c0 = time.time(), time.process_time()
        index = faiss.IndexHNSWFlat(dim, args.m, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = args.efc
        index.add(data)
        out['build_s'], out['build_cpu_s'] = time.time() - t0, time.process_time() - c0

        def search(ef):
            index.hnsw.efSearch = ef
            _, labels = index.search(queries, args.k)
            return labels

    out['rss_data_mb'] = rss_data
    out['rss_index_mb'] = rss_mb() - rss_data
    out['peak_rss_mb'] = peak_rss_mb()
    curve = []
    for ef in [int(s) for s in args.efs.split(',')]:
        qps, cpu_qps = [], []
        for _ in range(args.repeat):
            t0, c0 = time.time(), time.process_time()
            labels = search(ef)
            qps.append(len(queries) / (time.time() - t0))
            cpu_qps.append(len(queries) / (time.process_time() - c0))
        hits = sum(len(set(labels[i]) & set(truth[i])) for i in range(len(queries)))
        curve.append({'ef': ef, 'recall': hits / truth.size, 'qps': float(np.mean(qps)),
                      'qps_sd': float(np.std(qps, ddof=1)) if len(qps) > 1 else 0.0,
                      'cpu_qps': float(np.mean(cpu_qps))})
    out['curve'] = curve
    print('RESULT ' + json.dumps(out), flush=True)


if __name__ == '__main__':
    main()
