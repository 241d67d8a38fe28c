#!/usr/bin/env python3
"""Reference-engine harness: builds a Qdrant Edge shard from a JSON scenario with qdrant-edge-py and
writes the reference engine's answers next to it, for the Java compatibility tests.

    python edge_reference.py build SCENARIO.json OUT_DIR
    python edge_reference.py inspect SHARD_DIR OUT_DIR [QUERIES.json]
    python edge_reference.py apply SCENARIO.json SHARD_DIR OUT_DIR
    python edge_reference.py manifest SHARD_DIR OUT_FILE
    python edge_reference.py update-from-snapshot SHARD_DIR ARCHIVE OUT_DIR
    python edge_reference.py unpack ARCHIVE TARGET_DIR OUT_DIR

build writes
OUT_DIR/shard/      the shard directory, exactly as qdrant-edge-py left it
OUT_DIR/reference/  JSON answers: points.json (every live point with all vectors and its payload,
                    sorted by id), count.json, info.json, manifest.json, scroll.json, search.json,
                    filters.json (when the scenario has queries.filters), generator.json (engine
                    version, scenario name)

inspect loads a shard written by someone else (the Java engine) with qdrant-edge-py and writes the same
answers to OUT_DIR (queries from the optional QUERIES.json, shaped like a scenario's "queries"), then
closes the shard. It is how the tests check that the reference engine reads what Java wrote.

apply loads an existing shard (written by either engine) with qdrant-edge-py, applies the scenario's
operations to it in place, writes the same answers as build to OUT_DIR (queries from the scenario) and
finishes as the scenario says. It is how the tests hand a shard back and forth between the engines. The
scenario's "config" is optional here: when given it is passed to load, which checks it against the
shard and stores it (a way to change optimizer or HNSW settings before an "optimize"); generated
vectors follow it, or else the shard's edge_config.json.

manifest loads the shard, closes it, loads it again and writes snapshot_manifest() to OUT_FILE, then closes
it. The first load and close settle the directory (a shard left by a crash gets the files its replayed
operations need), so the manifest describes the directory as it is afterwards.

update-from-snapshot loads the shard, applies the snapshot archive with update_from_snapshot (unpacked in
a temporary directory beside the archive), writes the answers (as inspect) to OUT_DIR and closes the shard.

unpack unpacks a snapshot archive into TARGET_DIR with EdgeShard.unpack_snapshot, loads the result, writes
the answers (as inspect) to OUT_DIR and closes it.

A scenario is a JSON object:

    {
      "seed": 7,                       # drives every generated vector and payload
      "config": {                      # EdgeConfig
        "vectors": {"": {"size": 8, "distance": "Cosine", "datatype": "float32",
                          "on_disk": false, "multivector": false}},
        "sparse_vectors": {"text": {"modifier": "idf"}},
        "on_disk_payload": true,
        "optimizers": {"indexing_threshold": 100},   # EdgeOptimizersConfig keyword arguments
        "hnsw": {"m": 16, "ef_construct": 100, "full_scan_threshold": 10},
        "quantization": {"type": "scalar"}          # also per vector; "scalar", "binary" or "product"
      },
      "operations": [
        {"op": "upsert", "points": [{"id": 1, "vector": {...}, "payload": {...}}]},
        {"op": "upsert_generated", "count": 100, "ids": "sequential", "start": 1, "payload": "rich"},
        {"op": "delete", "ids": [3, 4]},
        {"op": "set_payload", "ids": [1], "payload": {"k": 1}, "key": null},
        {"op": "overwrite_payload", "ids": [1], "payload": {"k": 1}},
        {"op": "delete_payload", "ids": [1], "keys": ["k"]},
        {"op": "clear_payload", "ids": [1]},
        {"op": "update_vectors", "points": [{"id": 1, "vector": {...}}]},
        {"op": "delete_vectors", "ids": [1], "vectors": [""]},
        {"op": "upsert_vecs", "file": "base.bvecs", "vectors": ["", ...],  # points from a .fvecs/.bvecs
         "start": 0, "batch": 500, "limit": null},                         # file: id start + row, the
                                                                            # row's vector under every name
        {"op": "flush"},
        {"op": "optimize"},
        # operations with a filter; FILTER is Qdrant's REST filter JSON restricted to
        # {"must"|"should"|"must_not": [CONDITION, ...]} with CONDITION one of
        # {"key": k, "match": {"value": v}}, {"key": k, "match": {"any": [...]}},
        # {"key": k, "match": {"except": [...]}}, {"key": k, "range": {"gt"|"gte"|"lt"|"lte": x}},
        # {"has_id": [ids]}, {"is_empty": {"key": k}}, {"is_null": {"key": k}}
        {"op": "delete_by_filter", "filter": FILTER},
        {"op": "set_payload_by_filter", "filter": FILTER, "payload": {"k": 1}, "key": null},
        {"op": "overwrite_payload_by_filter", "filter": FILTER, "payload": {"k": 1}, "key": null},
        {"op": "delete_payload_by_filter", "filter": FILTER, "keys": ["k"]},
        {"op": "clear_payload_by_filter", "filter": FILTER},
        {"op": "delete_vectors_by_filter", "filter": FILTER, "vectors": [""]},
        {"op": "upsert_conditional", "points": [...], "condition": FILTER,    # condition, update_mode
         "update_mode": "insert_only"},                                     # optional; mode: upsert,
                                                                            # insert_only, update_only
        {"op": "update_vectors_conditional", "points": [...], "condition": FILTER},
        {"op": "create_field_index", "field": "k", "schema": "keyword"},   # a PayloadSchemaType name, or
                                                    # {"type": "text", "tokenizer": "prefix", ...} (REST schema)
        {"op": "delete_field_index", "field": "k"},
        {"op": "create_vector_name", "name": "v", "dense": {"size": 4, "distance": "Dot"}},
        {"op": "create_vector_name", "name": "s", "sparse": {"modifier": "idf"}},
        {"op": "delete_vector_name", "name": "v"}
        # any operation may carry "expect_error": "text": the engine must refuse it with an error whose
        # message contains the text (after applying what it applies before failing), and the scenario
        # goes on; without the error the scenario fails
      ],
      "queries": {
        "scroll_limit": 10,            # page size for scroll.json
        "search": [SEARCH, ...],       # -> search.json (below)
        "filters": [FULL_FILTER, ...], # -> filters.json (below); "count" is accepted as another name
        "facets": [FACET, ...],        # -> facets.json (below)
        "query": [BODY, ...],          # -> query.json: Qdrant REST /points/query bodies run with
                                       # shard.query (see query_answers for the forms understood)
        "generated_filters": {"count": 300, "seed": 1, "vectors": [names]}  # more filters.json entries:
                                       # seeded random filters over the "varied" payload (FilterGenerator)
      },
      "answers": "full",               # "minimal": no points.json, manifest.json, scroll.json (big shards)
      "reload": false,                 # true: close the shard and load it again before answering, so the
                                       # answers are those of a freshly loaded shard
      "finish": "close"                # or "kill": exit without flushing (operations only in the WAL)
    }

A vector spec in config.vectors may carry "gen_range": n, making generated values integers in [0, n)
(many equal scores); the engine never sees it.

SEARCH is {"using": "", "limit": 10, "vector": [...]} ("vector" omitted: generated from the seeded
generator) with optional "offset", "score_threshold", "filter" (FULL_FILTER), "with_payload" (true, false,
{"include": [keys]} or {"exclude": [keys]}), "with_vector" (true, false or [names]), "exact" (true: search
params exact), "hnsw_ef" (the search params' beam size), "api" ("search", the default, or "query"), and
"score_threshold_rank": r (the threshold is
halfway between the unthresholded answer's scores at ranks r - 1 and r) or "score_threshold_at_rank": r
(exactly the score at rank r), recorded as "score_threshold". search.json is a list, one entry per search
in order: the search as run (the generated vector filled in) and "hits": [{"id", "version", "score",
"payload", "vector"}] ("payload" only when asked for, "vector" always as a map name -> vector, only when
asked for), or "error": the engine's message when it refused the search.

FACET is {"key": k, "limit": 10, "filter": FULL_FILTER}; facets.json is a list, one entry per facet:
the request and "hits": [{"value", "count"}] in the engine's order, or "error": its message.

FULL_FILTER (queries.filters) is any Qdrant REST filter JSON the engine's Python API can express: must,
should, must_not (a condition or a list), min_should {"conditions": [...], "min_count": n}; conditions
{"key": k, "match": {"value"|"text"|"text_any"|"phrase"|"prefix"|"any"|"except": ...}},
{"key": k, "range": {"gt"|"gte"|"lt"|"lte": number}} (a string bound makes it a datetime range),
{"key": k, "geo_bounding_box": {"top_left": {"lon", "lat"}, "bottom_right": {...}}},
{"key": k, "geo_radius": {"center": {...}, "radius": meters}},
{"key": k, "geo_polygon": {"exterior": {"points": [...]}, "interiors": [{"points": [...]}]}},
{"key": k, "values_count": {...}}, {"key": k, "is_empty": bool}, {"key": k, "is_null": bool},
{"is_empty": {"key": k}}, {"is_null": {"key": k}}, {"has_id": [...]}, {"has_vector": name},
{"nested": {"key": k, "filter": FULL_FILTER}}, and a filter nested as a condition. The Python API reads a
boolean in {"match": {"value": ...}} as the integer 0 or 1, so such conditions do not mean what they mean
in Qdrant's REST API; scenarios avoid them. filters.json is a list,
one entry per filter in order: {"filter": FULL_FILTER, "count": n, "ids": [matching ids, sorted]}, where
count comes from count() and ids from scroll(), both with the filter (they must agree).

Everything is deterministic for a given scenario and engine version, except segment UUIDs, which the
engine draws at random.
"""

import json
import math
import os
import random
import shutil
import sys
import time
import uuid
from importlib import metadata

import qdrant_edge as qe

ENGINE_PACKAGE = "qdrant-edge-py"

DISTANCES = {
    "cosine": qe.Distance.Cosine,
    "dot": qe.Distance.Dot,
    "euclid": qe.Distance.Euclid,
    "manhattan": qe.Distance.Manhattan,
}
DATATYPES = {
    "float32": qe.VectorStorageDatatype.Float32,
    "float16": qe.VectorStorageDatatype.Float16,
    "uint8": qe.VectorStorageDatatype.Uint8,
}


class ScenarioError(Exception):
    pass


# ---------------------------------------------------------------------------------------------------
# configuration


def build_quantization(spec):
    """{"type": "scalar"|"binary"|"product", "always_ram": bool} -> a quantization config."""
    kind = spec.get("type")
    kwargs = {}
    if "always_ram" in spec:
        kwargs["always_ram"] = bool(spec["always_ram"])
    if kind == "scalar":
        return qe.ScalarQuantizationConfig(qe.ScalarType.Int8, **kwargs)
    if kind == "binary":
        return qe.BinaryQuantizationConfig(**kwargs)
    if kind == "product":
        return qe.ProductQuantizationConfig(qe.CompressionRatio.X4, **kwargs)
    raise ScenarioError(f"unknown quantization type {kind!r}")


def build_config(spec):
    vectors = {}
    for name, v in spec.get("vectors", {}).items():
        try:
            distance = DISTANCES[v["distance"].lower()]
        except KeyError:
            raise ScenarioError(f"config.vectors.{name}.distance: unknown distance {v.get('distance')!r}")
        kwargs = {"size": int(v["size"]), "distance": distance}
        if "on_disk" in v:
            kwargs["on_disk"] = bool(v["on_disk"])
        if "datatype" in v:
            kwargs["datatype"] = DATATYPES[v["datatype"].lower()]
        if v.get("multivector"):
            kwargs["multivector_config"] = qe.MultiVectorConfig(qe.MultiVectorComparator.MaxSim)
        if "quantization" in v:
            kwargs["quantization_config"] = build_quantization(v["quantization"])
        vectors[name] = qe.EdgeVectorParams(**kwargs)
    sparse = {}
    for name, v in spec.get("sparse_vectors", {}).items():
        kwargs = {}
        if v.get("modifier", "none").lower() == "idf":
            kwargs["modifier"] = qe.Modifier.Idf
        if "on_disk" in v:
            kwargs["on_disk"] = bool(v["on_disk"])
        sparse[name] = qe.EdgeSparseVectorParams(**kwargs)
    kwargs = {"vectors": vectors}
    if "quantization" in spec:
        kwargs["quantization_config"] = build_quantization(spec["quantization"])
    if sparse:
        kwargs["sparse_vectors"] = sparse
    if "on_disk_payload" in spec:
        kwargs["on_disk_payload"] = bool(spec["on_disk_payload"])
    if "optimizers" in spec:
        # e.g. {"indexing_threshold": 100, "default_segment_number": 2} (sizes in KB, as in Qdrant)
        kwargs["optimizers"] = qe.EdgeOptimizersConfig(**spec["optimizers"])
    if "hnsw" in spec:
        # e.g. {"m": 16, "ef_construct": 100, "full_scan_threshold": 10}
        kwargs["hnsw_config"] = qe.HnswIndexConfig(**spec["hnsw"])
    return qe.EdgeConfig(**kwargs)


# ---------------------------------------------------------------------------------------------------
# deterministic data


class Generator:
    """Seeded source of point ids, vectors and payloads for a scenario's configuration."""

    WORDS = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet"]

    def __init__(self, seed, config_spec):
        self.rng = random.Random(seed)
        self.config = config_spec

    def point_id(self, style, n):
        if style == "sequential":
            return n
        if style == "uuid":
            return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))
        if style == "mixed":
            return n if n % 2 == 0 else str(uuid.UUID(int=self.rng.getrandbits(128), version=4))
        raise ScenarioError(f"unknown id style {style!r}")

    def dense(self, size, datatype, gen_range=None):
        if gen_range is not None:
            return [float(self.rng.randrange(0, int(gen_range))) for _ in range(size)]
        if datatype == "uint8":
            return [float(self.rng.randrange(0, 256)) for _ in range(size)]
        return [self.rng.gauss(0.0, 1.0) for _ in range(size)]

    def vectors(self):
        out = {}
        for name, v in self.config.get("vectors", {}).items():
            size = int(v["size"])
            datatype = v.get("datatype", "float32").lower()
            if v.get("multivector"):
                out[name] = [self.dense(size, datatype, v.get("gen_range")) for _ in range(self.rng.randint(1, 4))]
            else:
                out[name] = self.dense(size, datatype, v.get("gen_range"))
        for name in self.config.get("sparse_vectors", {}):
            dims = sorted(self.rng.sample(range(0, 1000), self.rng.randint(1, 8)))
            out[name] = {"indices": dims, "values": [self.rng.uniform(0.01, 2.0) for _ in dims]}
        return out

    def payload(self, kind, n):
        if kind == "none":
            return None
        if kind == "simple":
            return {"n": n, "word": self.WORDS[n % len(self.WORDS)]}
        if kind == "rich":
            r = self.rng
            return {
                "n": n,
                "neg": -n * 1_000_003,
                "big": 2 ** 62 + n,
                "ratio": r.uniform(-1e6, 1e6),
                "tiny": r.uniform(0, 1) * 1e-300,
                "flag": r.random() < 0.5,
                "nothing": None,
                "word": self.WORDS[n % len(self.WORDS)],
                "unicode": "größe ☃ 東京 " + str(n),
                "tags": r.sample(self.WORDS, r.randint(0, 3)),
                "mixed": [n, "x", 1.5, True, None, {"deep": [n, {"deeper": "y"}]}],
                "nested": {"a": {"b": {"c": n % 7}}, "empty_list": [], "empty_obj": {}},
                "geo": {"lon": r.uniform(-180, 180), "lat": r.uniform(-90, 90)},
                "created": f"2026-{1 + n % 12:02d}-{1 + n % 28:02d}T12:00:00Z",
            }
        if kind == "varied":
            return self.varied_payload(n)
        raise ScenarioError(f"unknown payload kind {kind!r}")

    COLORS = ["red", "green", "blue", "black"]
    DATETIMES = ["2026-01-15T08:30:00Z", "2026-02-28T23:59:59.250Z", "2026-03-01T10:00:00+02:00",
                 "2026-04-10 12:00:00", "2026-05-05T00:00:00-05:00", "2026-06-30T18:45:10.5+00:00",
                 "2026-07-04T04:04:04Z", "2026-12-31T23:00:00Z"]

    def maybe(self, value, missing=0.1, null=0.05):
        """value, or a marker to leave the key out, or None (JSON null)."""
        x = self.rng.random()
        if x < missing:
            return Generator.MISSING
        if x < missing + null:
            return None
        return value

    MISSING = object()

    def varied_payload(self, n):
        """Every JSON type, arrays of objects, nested arrays, geo points, datetimes, missing and null keys."""
        r = self.rng
        words = self.WORDS
        item = lambda: {"name": r.choice(words), "qty": r.randint(0, 9), "price": round(r.uniform(0, 100), 2),
                        "attrs": {"color": r.choice(self.COLORS), "sizes": r.sample([1, 2, 3, 4], r.randint(0, 3))}}
        geo = lambda: {"lon": round(r.uniform(-180, 180), 4), "lat": round(r.uniform(-90, 90), 4)}
        fields = {
            "i": self.maybe(r.randint(-50, 50)),
            "f": self.maybe(r.choice([round(r.uniform(-10, 10), 3), float(r.randint(-5, 5))])),
            "s": self.maybe(r.choice(words)),
            "b": self.maybe(r.random() < 0.5),
            "tags": self.maybe(r.choice([r.sample(words, r.randint(0, 4)), r.choice(words), []])),
            "text": self.maybe(" ".join(r.choice(words + ["x1", "y2", "Zed"]) for _ in range(r.randint(1, 6)))),
            "items": self.maybe([item() for _ in range(r.randint(0, 3))]),
            "loc": self.maybe(r.choice([geo(), [geo(), geo()]])),
            "when": self.maybe(r.choice(self.DATETIMES)),
            "u": self.maybe(str(uuid.UUID(int=r.getrandbits(128), version=4)), missing=0.5),
            "nums": self.maybe([r.randint(-3, 3) for _ in range(r.randint(0, 4))]),
            "matrix": self.maybe([[r.randint(0, 3) for _ in range(r.randint(0, 2))] for _ in range(r.randint(0, 2))]),
            "deep": self.maybe({"a": {"b": [{"c": r.randint(0, 5)} for _ in range(r.randint(0, 3))]}}),
            "mixed": self.maybe(r.choice([1, "1", 1.5, True, None, [1, "a"], {"k": 1}])),
        }
        return {k: v for k, v in fields.items() if v is not Generator.MISSING}


# ---------------------------------------------------------------------------------------------------
# operations


def to_vector(value):
    """Scenario JSON vector value -> qdrant_edge vector value."""
    if isinstance(value, dict) and "indices" in value:
        return qe.SparseVector(list(value["indices"]), [float(x) for x in value["values"]])
    if isinstance(value, dict):
        return {name: to_vector(v) for name, v in value.items()}
    if value and isinstance(value[0], list):
        return [[float(x) for x in row] for row in value]
    return [float(x) for x in value]


def to_point_vector(vectors):
    """A point's vectors: a plain list for a config with only the default dense vector."""
    if isinstance(vectors, dict) and set(vectors) == {""} and not isinstance(vectors[""], dict):
        return to_vector(vectors[""])
    return to_vector(vectors)


def point_id(value):
    return value if isinstance(value, int) else str(value)


UPDATE_MODES = {
    "upsert": qe.UpdateMode.Upsert,
    "insert_only": qe.UpdateMode.InsertOnly,
    "update_only": qe.UpdateMode.UpdateOnly,
}
SCHEMA_TYPES = {
    "keyword": qe.PayloadSchemaType.Keyword,
    "integer": qe.PayloadSchemaType.Integer,
    "float": qe.PayloadSchemaType.Float,
    "geo": qe.PayloadSchemaType.Geo,
    "text": qe.PayloadSchemaType.Text,
    "bool": qe.PayloadSchemaType.Bool,
    "datetime": qe.PayloadSchemaType.Datetime,
    "uuid": qe.PayloadSchemaType.Uuid,
}


TOKENIZERS = {"word": "Word", "whitespace": "Whitespace", "prefix": "Prefix", "multilingual": "Multilingual"}
INDEX_PARAMS = {
    "keyword": qe.KeywordIndexParams, "integer": qe.IntegerIndexParams, "float": qe.FloatIndexParams,
    "geo": qe.GeoIndexParams, "text": qe.TextIndexParams, "bool": qe.BoolIndexParams,
    "datetime": qe.DatetimeIndexParams, "uuid": qe.UuidIndexParams,
}


def to_field_schema(spec):
    """A PayloadSchemaType name, or {"type": name, ...index parameters} (Qdrant's REST field schema)."""
    if isinstance(spec, str):
        return SCHEMA_TYPES[spec]
    kwargs = {k: v for k, v in spec.items() if k != "type"}
    if "tokenizer" in kwargs:
        kwargs["tokenizer"] = getattr(qe.TokenizerType, TOKENIZERS[kwargs["tokenizer"]])
    if "stopwords" in kwargs:
        sw = kwargs["stopwords"]
        if isinstance(sw, str):
            kwargs["stopwords"] = getattr(qe.Language, sw.capitalize())
        else:
            kwargs["stopwords"] = qe.StopwordsSet(
                languages={getattr(qe.Language, lang.capitalize()) for lang in sw.get("languages", [])} or None,
                custom=set(sw["custom"]) if sw.get("custom") is not None else None)
    if "stemmer" in kwargs:
        kwargs["stemmer"] = qe.SnowballParams(getattr(qe.SnowballLanguage, kwargs["stemmer"]["language"].capitalize()))
    return INDEX_PARAMS[spec["type"]](**kwargs)


def to_condition(spec):
    """One filter condition in Qdrant's REST JSON form -> qdrant_edge condition (a subset, see the docstring)."""
    if "has_id" in spec:
        return qe.HasIdCondition({point_id(i) for i in spec["has_id"]})
    if "is_empty" in spec:
        return qe.IsEmptyCondition(spec["is_empty"]["key"])
    if "is_null" in spec:
        return qe.IsNullCondition(spec["is_null"]["key"])
    if "match" in spec:
        match = spec["match"]
        if "value" in match:
            return qe.FieldCondition(spec["key"], match=qe.MatchValue(match["value"]))
        if "any" in match:
            return qe.FieldCondition(spec["key"], match=qe.MatchAny(match["any"]))
        if "except" in match:
            return qe.FieldCondition(spec["key"], match=qe.MatchExcept(match["except"]))
    if "range" in spec:
        return qe.FieldCondition(spec["key"], range=qe.RangeFloat(**{k: float(v) for k, v in spec["range"].items()}))
    raise ScenarioError(f"unsupported filter condition {spec!r}")


def to_filter(spec):
    unknown = set(spec) - {"must", "should", "must_not"}
    if unknown:
        raise ScenarioError(f"unsupported filter keys {sorted(unknown)}")
    return qe.Filter(**{k: [to_condition(c) for c in v] for k, v in spec.items()})


def to_geo_point(spec):
    return qe.GeoPoint(float(spec["lon"]), float(spec["lat"]))


def to_full_match(spec):
    if "value" in spec:
        return qe.MatchValue(spec["value"])
    if "text" in spec:
        return qe.MatchText(spec["text"])
    if "text_any" in spec:
        return qe.MatchTextAny(spec["text_any"])
    if "phrase" in spec:
        return qe.MatchPhrase(spec["phrase"])
    if "prefix" in spec:
        return qe.MatchPrefix(spec["prefix"])
    if "any" in spec:
        return qe.MatchAny(spec["any"])
    if "except" in spec:
        return qe.MatchExcept(spec["except"])
    raise ScenarioError(f"unsupported match {spec!r}")


def to_full_range(spec):
    bounds = {k: v for k, v in spec.items() if k in ("gt", "gte", "lt", "lte") and v is not None}
    if any(isinstance(v, str) for v in bounds.values()):
        return qe.RangeDateTime(**bounds)
    return qe.RangeFloat(**{k: float(v) for k, v in bounds.items()})


def to_full_condition(spec):
    """Any REST filter condition the Python API can express -> qdrant_edge condition (see FULL_FILTER)."""
    if "key" in spec:
        kwargs = {}
        if spec.get("match") is not None:
            kwargs["match"] = to_full_match(spec["match"])
        if spec.get("range") is not None:
            kwargs["range"] = to_full_range(spec["range"])
        if spec.get("geo_bounding_box") is not None:
            box = spec["geo_bounding_box"]
            kwargs["geo_bounding_box"] = qe.GeoBoundingBox(to_geo_point(box["top_left"]),
                                                           to_geo_point(box["bottom_right"]))
        if spec.get("geo_radius") is not None:
            radius = spec["geo_radius"]
            kwargs["geo_radius"] = qe.GeoRadius(to_geo_point(radius["center"]), float(radius["radius"]))
        if spec.get("geo_polygon") is not None:
            polygon = spec["geo_polygon"]
            interiors = polygon.get("interiors")
            kwargs["geo_polygon"] = qe.GeoPolygon(
                [to_geo_point(p) for p in polygon["exterior"]["points"]],
                None if interiors is None else [[to_geo_point(p) for p in ring["points"]] for ring in interiors])
        if spec.get("values_count") is not None:
            kwargs["values_count"] = qe.ValuesCount(**{k: v for k, v in spec["values_count"].items()
                                                       if v is not None})
        for flag in ("is_empty", "is_null"):
            if spec.get(flag) is not None:
                kwargs[flag] = bool(spec[flag])
        return qe.FieldCondition(spec["key"], **kwargs)
    if "is_empty" in spec:
        return qe.IsEmptyCondition(spec["is_empty"]["key"])
    if "is_null" in spec:
        return qe.IsNullCondition(spec["is_null"]["key"])
    if "has_id" in spec:
        return qe.HasIdCondition({point_id(i) for i in spec["has_id"]})
    if "has_vector" in spec:
        return qe.HasVectorCondition(spec["has_vector"])
    if "nested" in spec:
        return qe.NestedCondition(spec["nested"]["key"], to_full_filter(spec["nested"]["filter"]))
    return to_full_filter(spec)


def to_full_conditions(value):
    if value is None:
        return None
    return [to_full_condition(c) for c in (value if isinstance(value, list) else [value])]


def to_full_filter(spec):
    unknown = set(spec) - {"must", "should", "must_not", "min_should"}
    if unknown:
        raise ScenarioError(f"unsupported filter keys {sorted(unknown)}")
    kwargs = {}
    for clause in ("must", "should", "must_not"):
        if spec.get(clause) is not None:
            kwargs[clause] = to_full_conditions(spec[clause])
    if spec.get("min_should") is not None:
        ms = spec["min_should"]
        kwargs["min_should"] = qe.MinShould([to_full_condition(c) for c in ms["conditions"]], int(ms["min_count"]))
    return qe.Filter(**kwargs)


def read_vecs(path, limit=None):
    """The rows of a texmex .fvecs (float32) or .bvecs (uint8) file: each an int32 dimension, then the values."""
    import struct
    element, code = (1, "B") if path.endswith(".bvecs") else (4, "f")
    rows = []
    with open(path, "rb") as f:
        data = f.read()
    pos = 0
    while pos < len(data) and (limit is None or len(rows) < int(limit)):
        (dim,) = struct.unpack_from("<i", data, pos)
        pos += 4
        rows.append([float(x) for x in struct.unpack_from("<%d%s" % (dim, code), data, pos)])
        pos += dim * element
    return rows


def apply_checked(shard, op, gen):
    """apply(), holding an operation marked "expect_error" to failing with that message."""
    expected = op.get("expect_error")
    if expected is None:
        apply(shard, op, gen)
        return
    try:
        apply(shard, op, gen)
    except ScenarioError:
        raise
    except Exception as e:
        if expected not in str(e):
            raise ScenarioError(f"expected an error containing {expected!r}, got {e}")
        return
    raise ScenarioError(f"expected an error containing {expected!r}, but the operation succeeded")


def apply(shard, op, gen):
    kind = op.get("op")
    U = qe.UpdateOperation
    if kind == "upsert":
        points = [qe.Point(point_id(p["id"]), to_point_vector(p["vector"]), p.get("payload")) for p in op["points"]]
        shard.update(U.upsert_points(points))
    elif kind == "upsert_generated":
        start = int(op.get("start", 1))
        batch = []
        for n in range(start, start + int(op["count"])):
            batch.append(qe.Point(gen.point_id(op.get("ids", "sequential"), n),
                                  to_point_vector(gen.vectors()),
                                  gen.payload(op.get("payload", "simple"), n)))
            if len(batch) == int(op.get("batch", 64)):
                shard.update(U.upsert_points(batch))
                batch = []
        if batch:
            shard.update(U.upsert_points(batch))
    elif kind == "delete":
        shard.update(U.delete_points([point_id(i) for i in op["ids"]]))
    elif kind == "set_payload":
        shard.update(U.set_payload([point_id(i) for i in op["ids"]], op["payload"], op.get("key")))
    elif kind == "overwrite_payload":
        shard.update(U.overwrite_payload([point_id(i) for i in op["ids"]], op["payload"], op.get("key")))
    elif kind == "delete_payload":
        shard.update(U.delete_payload([point_id(i) for i in op["ids"]], op["keys"]))
    elif kind == "clear_payload":
        shard.update(U.clear_payload([point_id(i) for i in op["ids"]]))
    elif kind == "update_vectors":
        shard.update(U.update_vectors([qe.PointVectors(point_id(p["id"]), to_vector(p["vector"]))
                                       for p in op["points"]]))
    elif kind == "delete_vectors":
        shard.update(U.delete_vectors([point_id(i) for i in op["ids"]], op["vectors"]))
    elif kind == "delete_by_filter":
        shard.update(U.delete_points_by_filter(to_filter(op["filter"])))
    elif kind == "set_payload_by_filter":
        shard.update(U.set_payload_by_filter(to_filter(op["filter"]), op["payload"], op.get("key")))
    elif kind == "overwrite_payload_by_filter":
        shard.update(U.overwrite_payload_by_filter(to_filter(op["filter"]), op["payload"], op.get("key")))
    elif kind == "delete_payload_by_filter":
        shard.update(U.delete_payload_by_filter(to_filter(op["filter"]), op["keys"]))
    elif kind == "clear_payload_by_filter":
        shard.update(U.clear_payload_by_filter(to_filter(op["filter"])))
    elif kind == "delete_vectors_by_filter":
        shard.update(U.delete_vectors_by_filter(to_filter(op["filter"]), op["vectors"]))
    elif kind == "upsert_conditional":
        points = [qe.Point(point_id(p["id"]), to_point_vector(p["vector"]), p.get("payload")) for p in op["points"]]
        condition = to_filter(op["condition"]) if op.get("condition") is not None else None
        mode = UPDATE_MODES[op["update_mode"]] if op.get("update_mode") is not None else None
        shard.update(U.upsert_points(points, condition, mode))
    elif kind == "update_vectors_conditional":
        shard.update(U.update_vectors([qe.PointVectors(point_id(p["id"]), to_vector(p["vector"]))
                                       for p in op["points"]], to_filter(op["condition"])))
    elif kind == "create_field_index":
        shard.update(U.create_field_index(op["field"], to_field_schema(op["schema"])))
    elif kind == "delete_field_index":
        shard.update(U.delete_field_index(op["field"]))
    elif kind == "create_vector_name":
        if "dense" in op:
            d = op["dense"]
            shard.update(U.create_dense_vector(op["name"], int(d["size"]), DISTANCES[d["distance"].lower()]))
        else:
            modifier = qe.Modifier.Idf if op["sparse"].get("modifier", "none").lower() == "idf" else None
            shard.update(U.create_sparse_vector(op["name"], modifier))
    elif kind == "delete_vector_name":
        shard.update(U.delete_vector_name(op["name"]))
    elif kind == "upsert_vecs":
        names = op.get("vectors", [""])
        start = int(op.get("start", 0))
        batch = []
        for row, values in enumerate(read_vecs(op["file"], op.get("limit"))):
            vector = values if names == [""] else {name: values for name in names}
            batch.append(qe.Point(start + row, vector, {"row": row}))
            if len(batch) == int(op.get("batch", 500)):
                shard.update(U.upsert_points(batch))
                batch = []
        if batch:
            shard.update(U.upsert_points(batch))
    elif kind == "flush":
        shard.flush()
    elif kind == "optimize":
        shard.optimize()
    else:
        raise ScenarioError(f"unknown operation {kind!r}")


# ---------------------------------------------------------------------------------------------------
# answers


def json_id(value):
    return value if isinstance(value, int) else str(value)


def id_sort_key(value):
    # Qdrant orders numeric ids before UUIDs; UUIDs by their bytes (= hyphenated lowercase text order).
    return (0, value, "") if isinstance(value, int) else (1, 0, str(value))


def json_vector(value):
    if value is None:
        return None
    if isinstance(value, qe.SparseVector):
        return {"indices": list(value.indices), "values": list(value.values)}
    if isinstance(value, dict):
        return {name: json_vector(v) for name, v in value.items()}
    if value and isinstance(value[0], list):
        return [list(row) for row in value]
    return list(value)


def json_vectors(value):
    """Always a map name -> vector, so the default vector appears under the name ""."""
    value = json_vector(value)
    if value is None:
        return None
    return value if isinstance(value, dict) else {"": value}


def json_record(rec):
    return {"id": json_id(rec.id), "vector": json_vectors(rec.vector), "payload": rec.payload}


def json_scored(sp, with_vector=False):
    out = {"id": json_id(sp.id), "version": sp.version, "score": sp.score, "payload": sp.payload}
    if with_vector:
        out["vector"] = json_vectors(sp.vector)
    return out


def check_finite(value, where):
    """json.dump would write NaN/Infinity, which is not JSON; fail loudly instead."""
    if isinstance(value, float) and not math.isfinite(value):
        raise ScenarioError(f"non-finite number at {where}")
    if isinstance(value, dict):
        for k, v in value.items():
            check_finite(v, f"{where}.{k}")
    if isinstance(value, list):
        for i, v in enumerate(value):
            check_finite(v, f"{where}[{i}]")


def all_records(shard):
    records, offset = [], None
    while True:
        page, offset = shard.scroll(qe.ScrollRequest(offset=offset, limit=256, with_payload=True, with_vector=True))
        records.extend(page)
        if offset is None:
            return records


def scroll_pages(shard, limit):
    pages, offset = [], None
    while True:
        page, next_offset = shard.scroll(qe.ScrollRequest(offset=offset, limit=limit, with_payload=False,
                                                          with_vector=False))
        pages.append({"offset": None if offset is None else json_id(offset),
                      "ids": [json_id(r.id) for r in page],
                      "next_offset": None if next_offset is None else json_id(next_offset)})
        if next_offset is None:
            return pages
        offset = next_offset


def to_with_payload(value):
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, list):
        return qe.PayloadSelector.Include(list(value))
    if isinstance(value, dict) and "include" in value:
        return qe.PayloadSelector.Include(list(value["include"]))
    if isinstance(value, dict) and "exclude" in value:
        return qe.PayloadSelector.Exclude(list(value["exclude"]))
    raise ScenarioError(f"unsupported with_payload {value!r}")


def searches(shard, spec, gen):
    out = []
    for i, s in enumerate(spec):
        using = s.get("using", "")
        vector = s.get("vector")
        if vector is None:
            generated = gen.vectors()
            if using not in generated:
                raise ScenarioError(f"queries.search[{i}]: no vector named {using!r} to generate")
            vector = generated[using]
        limit = int(s.get("limit", 10))
        entry = dict(s)
        entry.update({"using": using, "vector": vector, "limit": limit})
        kwargs = {"limit": limit}
        if s.get("offset") is not None:
            kwargs["offset"] = int(s["offset"])
        if s.get("score_threshold") is not None:
            kwargs["score_threshold"] = float(s["score_threshold"])
        if s.get("filter") is not None:
            kwargs["filter"] = to_full_filter(s["filter"])
        with_payload = s.get("with_payload", True)
        kwargs["with_payload"] = to_with_payload(with_payload)
        with_vector = s.get("with_vector", False)
        kwargs["with_vector"] = with_vector
        if s.get("exact") or s.get("hnsw_ef") is not None:
            kwargs["params"] = qe.SearchParams(exact=bool(s.get("exact")), hnsw_ef=s.get("hnsw_ef"))
        try:
            for rank_key in ("score_threshold_rank", "score_threshold_at_rank"):
                if s.get(rank_key) is None:
                    continue
                # a threshold taken from the unthresholded answer: between the scores at rank r - 1 and r
                # (score_threshold_rank), or exactly the score at rank r (score_threshold_at_rank)
                probe = dict(kwargs)
                probe.pop("score_threshold", None)
                probe["with_payload"] = False
                probe["offset"] = 0
                probe["limit"] = limit + int(s.get("offset", 0))
                found = shard.search(qe.SearchRequest(
                    query=qe.Query.Nearest(to_vector(vector), using=using or None), **probe))
                r = int(s[rank_key])
                if r >= len(found) or (rank_key == "score_threshold_rank" and r < 1):
                    raise ScenarioError(f"{rank_key} {r} but only {len(found)} hits")
                threshold = found[r].score if rank_key == "score_threshold_at_rank" \
                    else (found[r - 1].score + found[r].score) / 2
                kwargs["score_threshold"] = threshold
                entry["score_threshold"] = threshold
            if s.get("api", "search") == "query":
                hits = shard.query(qe.QueryRequest(query=qe.Query.Nearest(to_vector(vector), using=using or None),
                                                   **kwargs))
            else:
                hits = shard.search(qe.SearchRequest(query=qe.Query.Nearest(to_vector(vector), using=using or None),
                                                     **kwargs))
        except (ScenarioError, KeyError) as e:
            raise ScenarioError(f"queries.search[{i}]: {e}")
        except Exception as e:  # the engine refused the search: record why
            entry["error"] = str(e)
            out.append(entry)
            continue
        entry["hits"] = []
        for h in hits:
            hit = json_scored(h, with_vector is not False)
            if with_payload is False:
                hit.pop("payload")
            entry["hits"].append(hit)
        out.append(entry)
    return out


def facets(shard, specs):
    out = []
    for i, spec in enumerate(specs):
        entry = dict(spec)
        kwargs = {"limit": int(spec.get("limit", 10))}
        if spec.get("filter") is not None:
            kwargs["filter"] = to_full_filter(spec["filter"])
        try:
            response = shard.facet(qe.FacetRequest(spec["key"], **kwargs))
        except Exception as e:  # the engine refused the facet: record why
            entry["error"] = str(e)
            out.append(entry)
            continue
        entry["hits"] = [{"value": h.value, "count": h.count} for h in response.hits]
        out.append(entry)
    return out


EXPRESSION_OPS = {"sum": "Sum", "mult": "Mult", "max": "Max", "min": "Min"}
EXPRESSION_UNARY = {"neg": "Neg", "abs": "Abs", "sqrt": "Sqrt", "exp": "Exp", "log10": "Log10", "ln": "Ln",
                    "acosh": "Acosh"}
EXPRESSION_DECAYS = {"lin_decay": qe.DecayKind.Lin, "exp_decay": qe.DecayKind.Exp, "gauss_decay": qe.DecayKind.Gauss}


def to_expression(spec):
    """A formula expression in Qdrant's REST JSON -> qdrant_edge Expression (the forms the tests use)."""
    E = qe.Expression
    if isinstance(spec, bool):
        raise ScenarioError(f"unsupported expression {spec!r}")
    if isinstance(spec, (int, float)):
        return E.Constant(float(spec))
    if isinstance(spec, str):
        return E.Variable(spec)
    for key, name in EXPRESSION_OPS.items():
        if key in spec:
            return getattr(E, name)([to_expression(e) for e in spec[key]])
    for key, name in EXPRESSION_UNARY.items():
        if key in spec:
            return getattr(E, name)(to_expression(spec[key]))
    if "div" in spec:
        d = spec["div"]
        default = d.get("by_zero_default")
        return E.Div(to_expression(d["left"]), to_expression(d["right"]),
                     None if default is None else float(default))
    if "pow" in spec:
        return E.Pow(to_expression(spec["pow"]["base"]), to_expression(spec["pow"]["exponent"]))
    if "geo_distance" in spec:
        g = spec["geo_distance"]
        return E.GeoDistance(to_geo_point(g["origin"]), g["to"])
    if "datetime" in spec:
        return E.Datetime(spec["datetime"])
    if "datetime_key" in spec:
        return E.DatetimeKey(spec["datetime_key"])
    for key, kind in EXPRESSION_DECAYS.items():
        if key in spec:
            d = spec[key]
            target = d.get("target")
            return E.Decay(kind, to_expression(d["x"]), None if target is None else to_expression(target),
                           d.get("midpoint"), d.get("scale"))
    return E.Condition(to_full_condition(spec))


def to_scoring_query(spec, using):
    """The "query" of a Qdrant REST /points/query body or prefetch -> a qdrant_edge query."""
    if isinstance(spec, list):
        return qe.Query.Nearest(to_vector(spec), using=using)
    if "nearest" in spec and "mmr" in spec:
        mmr = spec["mmr"] or {}
        diversity = mmr.get("diversity")
        return qe.Mmr(to_vector(spec["nearest"]), 1.0 - (0.5 if diversity is None else float(diversity)),
                      int(mmr["candidates_limit"]), using=using)
    if "nearest" in spec:
        return qe.Query.Nearest(to_vector(spec["nearest"]), using=using)
    if "fusion" in spec:
        return qe.Fusion.Rrf(k=2) if spec["fusion"] == "rrf" else qe.Fusion.Dbsf()
    if "rrf" in spec:
        rrf = spec["rrf"] or {}
        weights = rrf.get("weights")
        return qe.Fusion.Rrf(k=int(rrf.get("k", 2)), weights=None if weights is None else [float(w) for w in weights])
    if "order_by" in spec:
        order = spec["order_by"]
        if isinstance(order, str):
            return qe.OrderBy(order)
        direction = {"asc": qe.Direction.Asc, "desc": qe.Direction.Desc}[order.get("direction", "asc")]
        return qe.OrderBy(order["key"], direction, order.get("start_from"))
    if "formula" in spec:
        return qe.Formula(to_expression(spec["formula"]), spec.get("defaults"))
    raise ScenarioError(f"unsupported query {spec!r}")


def to_search_params(spec):
    if spec is None:
        return None
    return qe.SearchParams(hnsw_ef=spec.get("hnsw_ef"), exact=bool(spec.get("exact", False)))


def to_prefetch(spec):
    kwargs = {"limit": int(spec.get("limit", 10))}
    if spec.get("query") is not None:
        kwargs["query"] = to_scoring_query(spec["query"], spec.get("using"))
    if spec.get("prefetch") is not None:
        kwargs["prefetches"] = [to_prefetch(p) for p in as_list(spec["prefetch"])]
    if spec.get("filter") is not None:
        kwargs["filter"] = to_full_filter(spec["filter"])
    if spec.get("score_threshold") is not None:
        kwargs["score_threshold"] = float(spec["score_threshold"])
    if spec.get("params") is not None:
        kwargs["params"] = to_search_params(spec["params"])
    return qe.Prefetch(**kwargs)


def as_list(value):
    return value if isinstance(value, list) else [value]


def query_answers(shard, bodies):
    """queries.query: Qdrant REST /points/query bodies -> query.json, one entry per body in order:
    {"body": BODY, "hits": [{"id", "score", "order_value"?, "payload"?, "vector"?}]} or {"body": BODY, "error": message}.
    (order_value: the payload value a hit of an order_by query was ordered by; ties come in no defined order)
    A body takes query (a dense vector, {"nearest": v}, {"nearest": v, "mmr": {...}}, {"fusion": "rrf"|"dbsf"},
    {"rrf": {"k": n, "weights": [w]}}, {"order_by": key or {"key", "direction", "start_from" (a number or a
    datetime string)}}, {"formula": EXPR, "defaults"}),
    using, prefetch (a prefetch or a list, nested), filter (FULL_FILTER), limit, offset, score_threshold,
    params ({"hnsw_ef", "exact"}), with_payload, with_vector."""
    out = []
    for i, body in enumerate(bodies):
        entry = {"body": body}
        try:
            kwargs = {"limit": int(body.get("limit", 10))}
            if body.get("offset") is not None:
                kwargs["offset"] = int(body["offset"])
            if body.get("query") is not None:
                kwargs["query"] = to_scoring_query(body["query"], body.get("using"))
            if body.get("prefetch") is not None:
                kwargs["prefetches"] = [to_prefetch(p) for p in as_list(body["prefetch"])]
            if body.get("filter") is not None:
                kwargs["filter"] = to_full_filter(body["filter"])
            if body.get("score_threshold") is not None:
                kwargs["score_threshold"] = float(body["score_threshold"])
            if body.get("params") is not None:
                kwargs["params"] = to_search_params(body["params"])
            kwargs["with_payload"] = to_with_payload(body.get("with_payload", False))
            kwargs["with_vector"] = body.get("with_vector", False)
            request = qe.QueryRequest(**kwargs)
        except (ScenarioError, KeyError, TypeError, ValueError) as e:
            raise ScenarioError(f"queries.query[{i}]: {e}")
        try:
            hits = shard.query(request)
        except Exception as e:  # the engine refused the query: record why
            entry["error"] = str(e)
            out.append(entry)
            continue
        entry["hits"] = []
        for h in hits:
            hit = {"id": json_id(h.id), "score": h.score}
            if h.order_value is not None:
                hit["order_value"] = h.order_value
            if body.get("with_payload", False) is not False:
                hit["payload"] = h.payload
            if body.get("with_vector", False) is not False:
                hit["vector"] = json_vectors(h.vector)
            entry["hits"].append(hit)
        out.append(entry)
    return out


class FilterGenerator:
    """Seeded random filters over the keys of the "varied" payload, every kind of condition the Python API
    can express (see FULL_FILTER), combined up to two levels deep."""

    WORDS = Generator.WORDS

    def __init__(self, seed, ids, vector_names):
        self.rng = random.Random(seed)
        self.ids = ids
        self.vector_names = vector_names

    def geo_point(self):
        r = self.rng
        return {"lon": round(r.uniform(-170, 170), 2), "lat": round(r.uniform(-80, 80), 2)}

    def condition(self):
        r = self.rng
        kind = r.choice(["match_value", "match_value", "match_any", "match_except", "text", "range", "range",
                         "datetime", "geo_box", "geo_radius", "geo_polygon", "values_count", "is_empty",
                         "is_null", "has_id", "has_vector", "nested", "path"])
        words = self.WORDS
        if kind == "match_value":
            key, value = r.choice([("s", r.choice(words)), ("i", r.randint(-50, 50)), ("tags", r.choice(words)),
                                   ("mixed", r.choice([1, "1", "a"])), ("nums", r.randint(-3, 3)),
                                   ("text", r.choice(words)), ("b", r.choice(words))])
            return {"key": key, "match": {"value": value}}
        if kind == "match_any":
            if r.random() < 0.5:
                return {"key": r.choice(["s", "tags", "items[].name"]), "match": {"any": r.sample(words, r.randint(1, 4))}}
            return {"key": r.choice(["i", "nums", "items[].qty"]), "match": {"any": r.sample(range(-10, 10), r.randint(1, 5))}}
        if kind == "match_except":
            if r.random() < 0.5:
                return {"key": r.choice(["s", "tags", "mixed"]), "match": {"except": r.sample(words, r.randint(1, 5))}}
            return {"key": r.choice(["i", "nums", "mixed"]), "match": {"except": r.sample(range(-5, 5), r.randint(1, 4))}}
        if kind == "text":
            which = r.choice(["text", "text_any", "phrase", "prefix"])
            value = " ".join(r.sample(words + ["x1", "zed"], r.randint(1, 2))) if which != "prefix" \
                else r.choice(words)[:r.randint(1, 4)]
            return {"key": r.choice(["text", "text", "s"]), "match": {which: value}}
        if kind == "range":
            key, low, high = r.choice([("i", -50, 50), ("f", -10, 10), ("nums", -3, 3), ("items[].qty", 0, 9),
                                       ("items[].price", 0, 100), ("deep.a.b[].c", 0, 5), ("mixed", 0, 2),
                                       ("matrix[][]", 0, 3)])
            ops = r.choice([["gt"], ["gte"], ["lt"], ["lte"], ["gt", "lt"], ["gte", "lte"], ["gt", "lte"]])
            points = sorted(r.choice([r.randint(low, high), round(r.uniform(low, high), 2)]) for _ in ops)
            if len(ops) == 2:
                points[1] = points[1] + (high - low) / 3
            return {"key": key, "range": dict(zip(ops, points))}
        if kind == "datetime":
            bounds = {}
            for op in r.sample(["gt", "gte", "lt", "lte"], r.randint(1, 2)):
                bounds[op] = r.choice(Generator.DATETIMES + ["2026-03-01", "2026-06-01T00:00:00Z"])
            return {"key": "when", "range": bounds}
        if kind == "geo_box":
            a, b = self.geo_point(), self.geo_point()
            return {"key": "loc", "geo_bounding_box": {
                "top_left": {"lon": a["lon"], "lat": max(a["lat"], b["lat"])},
                "bottom_right": {"lon": b["lon"], "lat": min(a["lat"], b["lat"])}}}
        if kind == "geo_radius":
            return {"key": "loc", "geo_radius": {"center": self.geo_point(), "radius": r.choice([1e5, 1e6, 5e6])}}
        if kind == "geo_polygon":
            lon, lat, d = round(r.uniform(-90, 90), 2), round(r.uniform(-40, 40), 2), round(r.uniform(20, 80), 2)
            ring = [{"lon": lon - d, "lat": lat - d / 2}, {"lon": lon + d, "lat": lat - d / 2},
                    {"lon": lon, "lat": min(lat + d, 89.0)}, {"lon": lon - d, "lat": lat - d / 2}]
            return {"key": "loc", "geo_polygon": {"exterior": {"points": ring}}}
        if kind == "values_count":
            op = r.choice(["gt", "gte", "lt", "lte"])
            return {"key": r.choice(["tags", "items", "nums", "matrix", "loc", "s", "mixed"]),
                    "values_count": {op: r.randint(0, 3)}}
        if kind == "is_empty":
            key = r.choice(["tags", "items", "nums", "s", "mixed", "matrix", "absent", "deep.a.b"])
            return {"is_empty": {"key": key}} if r.random() < 0.5 else {"key": key, "is_empty": r.random() < 0.5}
        if kind == "is_null":
            key = r.choice(["s", "i", "b", "mixed", "tags", "absent", "items[].name"])
            return {"is_null": {"key": key}} if r.random() < 0.5 else {"key": key, "is_null": r.random() < 0.5}
        if kind == "has_id":
            return {"has_id": r.sample(self.ids, r.randint(1, 8))}
        if kind == "has_vector":
            return {"has_vector": r.choice(self.vector_names)}
        if kind == "nested":
            inner = [{"key": "name", "match": {"any": r.sample(words, r.randint(1, 3))}},
                     {"key": "qty", "range": {"gte": r.randint(0, 9)}},
                     {"key": "attrs.color", "match": {"value": r.choice(Generator.COLORS)}},
                     {"key": "attrs.sizes", "values_count": {"gte": r.randint(0, 3)}}]
            return {"nested": {"key": r.choice(["items", "deep.a.b"]) if r.random() < 0.2 else "items",
                               "filter": {r.choice(["must", "must_not", "should"]): r.sample(inner, r.randint(1, 2))}}}
        key, cond = r.choice([("items[0].name", {"match": {"value": r.choice(words)}}),
                              ("items[1].qty", {"range": {"lt": r.randint(0, 9)}}),
                              ("items[].attrs.color", {"match": {"value": r.choice(Generator.COLORS)}}),
                              ("items[].attrs.sizes", {"match": {"any": [1, 2]}}),
                              ("tags[0]", {"match": {"value": r.choice(words)}}),
                              ("matrix[0]", {"values_count": {"gte": 1}}),
                              ("matrix[]", {"match": {"value": r.randint(0, 3)}}),
                              ("deep.a.b[1].c", {"range": {"gte": r.randint(0, 5)}}),
                              ("loc[0]", {"geo_radius": {"center": self.geo_point(), "radius": 3e6}})])
        return dict({"key": key}, **cond)

    def clause_list(self, depth, most):
        return [self.node(depth) for _ in range(self.rng.randint(1, most))]

    def node(self, depth):
        if depth > 0 and self.rng.random() < 0.25:
            return self.filter(depth - 1)
        return self.condition()

    def filter(self, depth=2):
        r = self.rng
        out = {}
        for clause in r.sample(["must", "should", "should", "must_not", "min_should"], r.randint(1, 2)):
            if clause == "min_should":
                conditions = self.clause_list(depth, 2) + [self.condition()]
                out["min_should"] = {"conditions": conditions, "min_count": r.randint(1, 2)}
            else:
                out[clause] = self.clause_list(depth, 2 if clause == "must" else 3)
        return out


def generated_filters(shard, spec):
    ids = sorted((json_id(r.id) for r in all_records(shard)), key=id_sort_key)
    gen = FilterGenerator(int(spec.get("seed", 0)), ids, list(spec.get("vectors", [""])))
    return [gen.filter() for _ in range(int(spec["count"]))]


def filtered(shard, specs):
    out = []
    for i, spec in enumerate(specs):
        try:
            flt = to_full_filter(spec)
        except (ScenarioError, KeyError, TypeError, ValueError) as e:
            raise ScenarioError(f"queries.filters[{i}]: {e}")
        ids, offset = [], None
        while True:
            page, offset = shard.scroll(qe.ScrollRequest(offset=offset, limit=256, filter=flt, with_payload=False,
                                                         with_vector=False))
            ids.extend(json_id(r.id) for r in page)
            if offset is None:
                break
        count = shard.count(qe.CountRequest(exact=True, filter=flt))
        if count != len(ids):
            raise ScenarioError(f"queries.filters[{i}]: count {count} but scroll found {len(ids)} points")
        out.append({"filter": spec, "count": count, "ids": sorted(ids, key=id_sort_key)})
    return out


def answers(shard, scenario, gen):
    info = shard.info()
    queries = scenario.get("queries", {})
    result = {
        "count.json": {"count": shard.count(qe.CountRequest(exact=True))},
        "info.json": {"segments_count": info.segments_count, "points_count": info.points_count,
                      "indexed_vectors_count": info.indexed_vectors_count},
        "search.json": searches(shard, queries.get("search", []), gen),
    }
    if scenario.get("answers", "full") != "minimal":
        records = sorted(all_records(shard), key=lambda r: id_sort_key(json_id(r.id)))
        result["points.json"] = [json_record(r) for r in records]
        result["manifest.json"] = shard.snapshot_manifest()
        result["scroll.json"] = {"limit": int(queries.get("scroll_limit", 10)),
                                 "pages": scroll_pages(shard, int(queries.get("scroll_limit", 10)))}
    filter_specs = queries.get("filters", []) + queries.get("count", [])
    if queries.get("generated_filters"):
        filter_specs = filter_specs + generated_filters(shard, queries["generated_filters"])
    if filter_specs:
        result["filters.json"] = filtered(shard, filter_specs)
    if queries.get("facets"):
        result["facets.json"] = facets(shard, queries["facets"])
    if queries.get("query"):
        result["query.json"] = query_answers(shard, queries["query"])
    for name, value in result.items():
        check_finite(value, name)
    return result


# ---------------------------------------------------------------------------------------------------


def write_json(path, value):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(value, f, ensure_ascii=False, indent=1, sort_keys=False)
        f.write("\n")


def run(scenario_path, out_dir):
    with open(scenario_path, encoding="utf-8") as f:
        scenario = json.load(f)
    name = os.path.splitext(os.path.basename(scenario_path))[0]
    shard_dir = os.path.join(out_dir, "shard")
    ref_dir = os.path.join(out_dir, "reference")
    if os.path.exists(out_dir):
        shutil.rmtree(out_dir)
    os.makedirs(ref_dir)

    gen = Generator(int(scenario.get("seed", 0)), scenario["config"])
    shard = qe.EdgeShard.create(shard_dir, build_config(scenario["config"]))
    for i, op in enumerate(scenario.get("operations", [])):
        try:
            apply_checked(shard, op, gen)
        except ScenarioError as e:
            raise ScenarioError(f"operations[{i}]: {e}")

    if scenario.get("reload"):
        shard.close()
        shard = qe.EdgeShard.load(shard_dir)
    for file_name, value in answers(shard, scenario, gen).items():
        write_json(os.path.join(ref_dir, file_name), value)
    write_json(os.path.join(ref_dir, "generator.json"), {
        "scenario": name,
        "engine": ENGINE_PACKAGE,
        "engine_version": metadata.version(ENGINE_PACKAGE),
        "finish": scenario.get("finish", "close"),
    })

    finish = scenario.get("finish", "close")
    if finish == "close":
        shard.close()
    elif finish == "kill":
        # Leave the shard as a crashed process would: operations since the last flush exist only in
        # the WAL. os._exit skips the destructor that would flush.
        wait_for_spare_wal_segment(shard_dir)
        sys.stdout.flush()
        os._exit(0)
    else:
        raise ScenarioError(f"finish: unknown value {finish!r}")


def wait_for_spare_wal_segment(shard_dir, timeout=10.0):
    """The engine's WAL creates its spare open segment on a background thread; a scenario that ends with
    "kill" waits for it, so that the WAL it leaves does not depend on how busy the machine was."""
    wal_dir = os.path.join(shard_dir, "wal")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if sum(1 for name in os.listdir(wal_dir) if name.startswith("open-")) >= 2:
            return
        time.sleep(0.01)
    raise ScenarioError(f"{wal_dir}: no spare WAL segment after {timeout} s")


def inspect(shard_dir, out_dir, queries_path=None):
    scenario = {"queries": {}}
    if queries_path:
        with open(queries_path, encoding="utf-8") as f:
            scenario["queries"] = json.load(f)
    os.makedirs(out_dir, exist_ok=True)
    shard = qe.EdgeShard.load(shard_dir)
    try:
        for file_name, value in answers(shard, scenario, Generator(0, {})).items():
            write_json(os.path.join(out_dir, file_name), value)
        write_json(os.path.join(out_dir, "generator.json"), {
            "inspected": os.path.abspath(shard_dir),
            "engine": ENGINE_PACKAGE,
            "engine_version": metadata.version(ENGINE_PACKAGE),
        })
    finally:
        shard.close()


def config_spec_of(shard_dir):
    """The scenario-style configuration of a shard, from its edge_config.json (for generated vectors).

    Names are sorted: engines write the file in different key orders, and the generator must not depend on it.
    """
    path = os.path.join(shard_dir, "edge_config.json")
    if not os.path.isfile(path):
        raise ScenarioError(f"{path}: missing; give the scenario a config")
    with open(path, encoding="utf-8") as f:
        stored = json.load(f)
    vectors = {}
    for name, v in sorted((stored.get("vectors") or {}).items()):
        vectors[name] = {"size": v["size"], "distance": v["distance"], "datatype": v.get("datatype") or "float32",
                         "multivector": v.get("multivector_config") is not None}
    return {"vectors": vectors, "sparse_vectors": dict(sorted((stored.get("sparse_vectors") or {}).items()))}


def apply_scenario(scenario_path, shard_dir, out_dir):
    with open(scenario_path, encoding="utf-8") as f:
        scenario = json.load(f)
    name = os.path.splitext(os.path.basename(scenario_path))[0]
    config_spec = scenario.get("config")
    gen = Generator(int(scenario.get("seed", 0)), config_spec or config_spec_of(shard_dir))
    if config_spec is not None:
        shard = qe.EdgeShard.load(shard_dir, build_config(config_spec))
    else:
        shard = qe.EdgeShard.load(shard_dir)
    for i, op in enumerate(scenario.get("operations", [])):
        try:
            apply_checked(shard, op, gen)
        except ScenarioError as e:
            raise ScenarioError(f"operations[{i}]: {e}")

    os.makedirs(out_dir, exist_ok=True)
    for file_name, value in answers(shard, scenario, gen).items():
        write_json(os.path.join(out_dir, file_name), value)
    finish = scenario.get("finish", "close")
    write_json(os.path.join(out_dir, "generator.json"), {
        "scenario": name,
        "applied_to": os.path.abspath(shard_dir),
        "engine": ENGINE_PACKAGE,
        "engine_version": metadata.version(ENGINE_PACKAGE),
        "finish": finish,
    })
    if finish == "close":
        shard.close()
    elif finish == "kill":
        wait_for_spare_wal_segment(shard_dir)
        sys.stdout.flush()
        os._exit(0)
    else:
        raise ScenarioError(f"finish: unknown value {finish!r}")


def manifest(shard_dir, out_file):
    qe.EdgeShard.load(shard_dir).close()
    shard = qe.EdgeShard.load(shard_dir)
    try:
        write_json(out_file, shard.snapshot_manifest())
    finally:
        shard.close()


def write_answers(shard, out_dir, described):
    os.makedirs(out_dir, exist_ok=True)
    for file_name, value in answers(shard, {"queries": {}}, Generator(0, {})).items():
        write_json(os.path.join(out_dir, file_name), value)
    write_json(os.path.join(out_dir, "generator.json"), dict(described, engine=ENGINE_PACKAGE,
                                                             engine_version=metadata.version(ENGINE_PACKAGE)))


def update_from_snapshot(shard_dir, archive, out_dir):
    shard = qe.EdgeShard.load(shard_dir)
    try:
        shard.update_from_snapshot(archive)
        write_answers(shard, out_dir, {"updated": os.path.abspath(shard_dir), "snapshot": os.path.abspath(archive)})
    finally:
        shard.close()


def unpack(archive, target, out_dir):
    qe.EdgeShard.unpack_snapshot(archive, target)
    shard = qe.EdgeShard.load(target)
    try:
        write_answers(shard, out_dir, {"unpacked": os.path.abspath(target), "snapshot": os.path.abspath(archive)})
    finally:
        shard.close()


def main(argv):
    usage = __doc__.split("\n\n")[1]
    try:
        if len(argv) == 4 and argv[1] == "build":
            run(argv[2], argv[3])
        elif len(argv) in (4, 5) and argv[1] == "inspect":
            inspect(argv[2], argv[3], argv[4] if len(argv) == 5 else None)
        elif len(argv) == 5 and argv[1] == "apply":
            apply_scenario(argv[2], argv[3], argv[4])
        elif len(argv) == 4 and argv[1] == "manifest":
            manifest(argv[2], argv[3])
        elif len(argv) == 5 and argv[1] == "update-from-snapshot":
            update_from_snapshot(argv[2], argv[3], argv[4])
        elif len(argv) == 5 and argv[1] == "unpack":
            unpack(argv[2], argv[3], argv[4])
        else:
            print(usage, file=sys.stderr)
            return 2
    except ScenarioError as e:
        print(f"{argv[2]}: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
