"""Reference figures for project's t-SNE from scikit-learn (Debian's
python3-sklearn): the joint probabilities P, the KL divergence of
scikit-learn's exact t-SNE with the same settings, and the trustworthiness
of both embeddings.

usage: tsne_ref.py DATA.json  (keys x: n×d list, ours: n×2 list, perplexity)
prints one JSON object.
"""
import json
import sys

import numpy as np
from sklearn.manifold import TSNE, trustworthiness
from sklearn.manifold._t_sne import _joint_probabilities
from sklearn.metrics import pairwise_distances

a = json.load(open(sys.argv[1]))
x = np.array(a["x"], dtype=np.float32)
ours = np.array(a["ours"], dtype=np.float64)
perp = a["perplexity"]
d = pairwise_distances(x, metric="euclidean", squared=True)
p = _joint_probabilities(d, perp, 0)  # condensed upper triangle, sums to 1/2
kls, trusts = [], []
for seed in range(3):  # PCA init is deterministic up to the SVD solver; several runs show the spread
    t = TSNE(n_components=2, perplexity=perp, method="exact", init="pca", learning_rate="auto", random_state=seed)
    y = t.fit_transform(x)
    kls.append(float(t.kl_divergence_))
    trusts.append(float(trustworthiness(x, y, n_neighbors=5)))
print(json.dumps(dict(p=[float(v) for v in p], kl=kls, trust=trusts,
                      our_trust=float(trustworthiness(x, ours, n_neighbors=5)))))
