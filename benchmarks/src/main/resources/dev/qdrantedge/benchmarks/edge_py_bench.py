#!/usr/bin/env python3
"""The qdrant-edge-py side of the exact-search benchmark (run by ExactSearchBenchmark, or by hand).

    python edge_py_bench.py build SHARD_DIR POINTS DIM SEED
    python edge_py_bench.py search SHARD_DIR QUERIES.json OUT.json THREADS WARMUP ROUNDS K

build creates a shard of POINTS points with ids 1..POINTS and one unnamed float32 Cosine vector of DIM
standard-normal components each (random.Random(SEED).gauss), no payload, and closes it.

search loads the shard with max_search_threads=THREADS (which qdrant-edge-py records in the shard's
edge_config.json), runs each query of QUERIES.json (a JSON list of float lists) WARMUP times unmeasured,
then ROUNDS times measured, as exact searches (SearchParams(exact=True)) for the K nearest, and writes
OUT.json: {"engine_version", "threads", "seconds": [one per measured search], "top": [[ids] per query]}.
Each time covers shard.search alone (query conversion inside the engine included, Python loop excluded).
"""

import json
import random
import sys
import time
from importlib import metadata

import qdrant_edge as qe

ENGINE_PACKAGE = "qdrant-edge-py"


def vector_params(dim):
    return {"": qe.EdgeVectorParams(size=dim, distance=qe.Distance.Cosine)}


def build(shard_dir, points, dim, seed):
    rng = random.Random(seed)
    gauss = rng.gauss
    shard = qe.EdgeShard.create(shard_dir, qe.EdgeConfig(vectors=vector_params(dim)))
    batch = []
    for n in range(1, points + 1):
        batch.append(qe.Point(n, [gauss(0.0, 1.0) for _ in range(dim)], None))
        if len(batch) == 1000:
            shard.update(qe.UpdateOperation.upsert_points(batch))
            batch = []
    if batch:
        shard.update(qe.UpdateOperation.upsert_points(batch))
    shard.flush()
    shard.close()


def search(shard_dir, queries_path, out_path, threads, warmup, rounds, k):
    with open(queries_path, encoding="utf-8") as f:
        queries = json.load(f)
    dim = len(queries[0])
    shard = qe.EdgeShard.load(shard_dir, qe.EdgeConfig(vectors=vector_params(dim), max_search_threads=threads))
    params = qe.SearchParams(exact=True)
    requests = [qe.SearchRequest(query=qe.Query.Nearest(q), limit=k, params=params) for q in queries]
    try:
        for _ in range(warmup):
            for r in requests:
                shard.search(r)
        seconds = []
        top = []
        for round_no in range(rounds):
            for r in requests:
                start = time.perf_counter()
                hits = shard.search(r)
                seconds.append(time.perf_counter() - start)
                if round_no == 0:
                    top.append([h.id for h in hits])
    finally:
        shard.close()
    with open(out_path, "w", encoding="utf-8") as f:
        json.dump({"engine_version": metadata.version(ENGINE_PACKAGE), "threads": threads,
                   "seconds": seconds, "top": top}, f)


def main(argv):
    if len(argv) == 6 and argv[1] == "build":
        build(argv[2], int(argv[3]), int(argv[4]), int(argv[5]))
    elif len(argv) == 9 and argv[1] == "search":
        search(argv[2], argv[3], argv[4], int(argv[5]), int(argv[6]), int(argv[7]), int(argv[8]))
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
