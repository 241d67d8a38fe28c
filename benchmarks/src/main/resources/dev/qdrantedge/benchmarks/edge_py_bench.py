#!/usr/bin/env python3
"""The qdrant-edge-py side of the benchmarks (run by ExactSearchBenchmark and HnswSearchBenchmark, or by hand).

    python edge_py_bench.py build SHARD_DIR POINTS DIM SEED
    python edge_py_bench.py search SHARD_DIR QUERIES.json OUT.json THREADS WARMUP ROUNDS K
    python edge_py_bench.py build-hnsw SHARD_DIR BASE.fvecs DISTANCE M EF_CONSTRUCT
    python edge_py_bench.py search-hnsw SHARD_DIR QUERIES.json OUT.json WARMUP WARMUP_SECONDS ROUNDS K EF[,EF...]

build creates a shard of POINTS points with ids 1..POINTS and one unnamed float32 Cosine vector of DIM
standard-normal components each (random.Random(SEED).gauss), no payload, and closes it.

search loads the shard with max_search_threads=THREADS (which qdrant-edge-py records in the shard's
edge_config.json), runs each query of QUERIES.json (a JSON list of float lists) WARMUP times unmeasured,
then ROUNDS times measured, as exact searches (SearchParams(exact=True)) for the K nearest, and writes
OUT.json: {"engine_version", "threads", "seconds": [one per measured search], "top": [[ids] per query]}.
Each time covers shard.search alone (query conversion inside the engine included, Python loop excluded).

build-hnsw creates a shard with one unnamed float32 vector (DISTANCE: Cosine, Dot, Euclid or Manhattan),
max_search_threads=1, HNSW m=M and ef_construct=EF_CONSTRUCT, full_scan_threshold=10 (KB, so that every
search of an indexed segment goes through its graph) and indexing_threshold=10 (KB, so that every segment
is indexed), other settings at their defaults; upserts row r of BASE.fvecs as point r + 1 in batches of
1000, logs a delete of the missing point 0 (so that the WAL's last, acknowledged entry, which loading
replays, holds no points), optimizes (which builds the graphs), flushes and closes.

search-hnsw loads the shard as stored (no config passed, so nothing in it is rewritten) and, for each EF in
turn, runs whole rounds of the queries unmeasured until both WARMUP rounds and WARMUP_SECONDS seconds
have passed, then ROUNDS rounds measured, as graph searches (SearchParams(hnsw_ef=EF)) for the K nearest,
and writes OUT.json: {"engine_version", "runs": [{"ef", "warmup_rounds", "seconds", "top"}]}, timed as
search.
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


def read_fvecs(path):
    """The rows of a little-endian .fvecs file (each row: int32 dimension, then float32 values)."""
    import struct
    with open(path, "rb") as f:
        data = f.read()
    rows = []
    pos = 0
    while pos < len(data):
        (dim,) = struct.unpack_from("<i", data, pos)
        pos += 4
        rows.append(list(struct.unpack_from("<%df" % dim, data, pos)))
        pos += 4 * dim
    return rows


def build_hnsw(shard_dir, base_path, distance, m, ef_construct):
    rows = read_fvecs(base_path)
    params = {"": qe.EdgeVectorParams(size=len(rows[0]), distance=getattr(qe.Distance, distance))}
    config = qe.EdgeConfig(vectors=params, max_search_threads=1,
                           optimizers=qe.EdgeOptimizersConfig(indexing_threshold=10),
                           hnsw_config=qe.HnswIndexConfig(m=m, ef_construct=ef_construct, full_scan_threshold=10))
    shard = qe.EdgeShard.create(shard_dir, config)
    batch = []
    for n, row in enumerate(rows, start=1):
        batch.append(qe.Point(n, row, None))
        if len(batch) == 1000:
            shard.update(qe.UpdateOperation.upsert_points(batch))
            batch = []
    if batch:
        shard.update(qe.UpdateOperation.upsert_points(batch))
    # The last logged operation stays in the WAL after the flush and is replayed on load; an entry that
    # changes nothing (point 0 does not exist) keeps the last batch of points out of that replay.
    shard.update(qe.UpdateOperation.delete_points([0]))
    start = time.perf_counter()
    shard.optimize()
    print("optimize: %.1f s" % (time.perf_counter() - start), file=sys.stderr)
    shard.flush()
    shard.close()


def search_hnsw(shard_dir, queries_path, out_path, warmup, warmup_seconds, rounds, k, efs):
    with open(queries_path, encoding="utf-8") as f:
        queries = json.load(f)
    shard = qe.EdgeShard.load(shard_dir)
    runs = []
    try:
        for ef in efs:
            params = qe.SearchParams(hnsw_ef=ef)
            requests = [qe.SearchRequest(query=qe.Query.Nearest(q), limit=k, params=params) for q in queries]
            warm_start = time.perf_counter()
            warm_rounds = 0
            while warm_rounds < warmup or time.perf_counter() - warm_start < warmup_seconds:
                for r in requests:
                    shard.search(r)
                warm_rounds += 1
            seconds = []
            top = []
            for round_no in range(rounds):
                for r in requests:
                    start = time.perf_counter()
                    hits = shard.search(r)
                    seconds.append(time.perf_counter() - start)
                    if round_no == 0:
                        top.append([h.id for h in hits])
            runs.append({"ef": ef, "warmup_rounds": warm_rounds, "seconds": seconds, "top": top})
    finally:
        shard.close()
    with open(out_path, "w", encoding="utf-8") as f:
        json.dump({"engine_version": metadata.version(ENGINE_PACKAGE), "runs": runs}, f)


def main(argv):
    if len(argv) == 6 and argv[1] == "build":
        build(argv[2], int(argv[3]), int(argv[4]), int(argv[5]))
    elif len(argv) == 9 and argv[1] == "search":
        search(argv[2], argv[3], argv[4], int(argv[5]), int(argv[6]), int(argv[7]), int(argv[8]))
    elif len(argv) == 7 and argv[1] == "build-hnsw":
        build_hnsw(argv[2], argv[3], argv[4], int(argv[5]), int(argv[6]))
    elif len(argv) == 10 and argv[1] == "search-hnsw":
        search_hnsw(argv[2], argv[3], argv[4], int(argv[5]), float(argv[6]), int(argv[7]), int(argv[8]),
                    [int(e) for e in argv[9].split(",")])
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
