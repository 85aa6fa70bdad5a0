"""A local sentence index of original articles, to find where a suspect came from.

Layout of an index directory (no pickle anywhere; every file's sha256 is in
the manifest and checked on load)::

    manifest.json          format, embedder, dim, shard list with hashes
    shard-00000.npy        float32 (n_sentences, dim) unit embeddings
    shard-00000.json       [{"source", "sentences": [text, ...]}, ...]
    shard-00001.npy ...    one more shard per ``add`` (appending rewrites nothing)
    ann.usearch            HNSW graph, only above EXACT_LIMIT sentences
                           (extended in place on append)

Search is exact (one matrix product) up to ``EXACT_LIMIT`` sentences. Above
it, when the optional ``usearch`` package is installed, an HNSW graph over
all sentences proposes candidate documents and the exact path scores only
those. usearch was picked over hnswlib because it ships binary wheels
(hnswlib 0.8.0 has none for Python 3.11 and must be compiled). It is pinned
to 2.21.0: 2.26.6 (with numkong) imported before torch's first operation made
the embedder segfault; 2.21.0 (with simsimd) does not.

Measured (benchmarks/retrieval.py, 2 shared cores): 100k synthetic sentences,
a 12-sentence query -- exact 88 ms, ANN 57 ms per query (usearch 2.26.6), both
top-1 1.0; the HNSW graph took ~300 s to build, so it is built once at index
time, saved, and extended on append.

Scoring a source: each suspect sentence's best cosine inside the source
gives a fast pre-score; the best candidates are then aligned with
``spindetect.align.align`` and ranked by the alignment ``score``
(word-weighted link similarity, 0 for words in unlinked sentences).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np

from .fileutil import sha256_file
from .align import LINK_THRESHOLD, Alignment, align, word_count

FORMAT = "spindetect-index/1"
MANIFEST = "manifest.json"
ANN_FILE = "ann.usearch"
#: Up to this many indexed sentences one matmul per query is fast (~30 ms for
#: 30 query sentences on 2 cores); above it the ANN path is used when available.
EXACT_LIMIT = 100_000
#: Sources aligned in full per query (after the pre-score), at least.
MIN_CANDIDATES = 10
#: Neighbours per query sentence asked from the ANN graph.
ANN_NEIGHBOURS = 64
#: Match score below which ``find`` reports "no source found". Chosen by
#: benchmarks/retrieval.py: 100 originals of /work/shared/data indexed (20 each
#: from llmfake, sheepdog_politifact, f3, hppt, detectrl_paraphrase_nonnews),
#: their 100 rewrites as queries; the false-match score of a query is its best
#: score for a source other than its own (near-copies of its own original, 5
#: of 100, excluded). 0.334 is the lowest score with <= 1 % false matches;
#: there 87 % of queries find their true source at rank 1 (top-1 overall 0.99).
NO_SOURCE_THRESHOLD = 0.34


class IndexFileError(ValueError):
    """The index directory is missing, damaged or built with another embedder."""


@dataclass(frozen=True)
class SourceMatch:
    """One candidate source of a suspect and how the suspect aligns to it."""

    source: str
    score: float
    n_aligned: int
    alignment: Alignment
    sentences: tuple[str, ...]

    def to_dict(self) -> dict:
        return {"source": self.source, "score": round(self.score, 4), "n_aligned": self.n_aligned}


def _usearch():
    """usearch's Index class, or None when the optional package is not installed."""
    try:
        from usearch.index import Index
    except ImportError:
        return None
    return Index




def _write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


class SourceIndex:
    """Sentence embeddings of original articles, grouped by source.

    Use ``SourceIndex.create`` for a new directory and ``SourceIndex.open``
    for an existing one.
    """

    def __init__(self, path: Path, manifest: dict, emb: np.ndarray, docs: list[dict]):
        self.path = path
        self.manifest = manifest
        self._ann = None
        self._set(emb, docs)

    def _set(self, emb: np.ndarray, docs: list[dict]) -> None:
        self.emb = emb
        self.docs = docs
        self.counts = np.array([len(d["sentences"]) for d in docs], dtype=np.int64)
        self.starts = np.concatenate([[0], np.cumsum(self.counts)[:-1]]).astype(np.int64) if docs else np.zeros(0, np.int64)

    # -- files ---------------------------------------------------------------

    @classmethod
    def create(cls, path: str | Path, embedder: str, dim: int) -> "SourceIndex":
        """An empty index in ``path`` (created; refused if it holds an index already)."""
        path = Path(path)
        if (path / MANIFEST).exists():
            raise IndexFileError(f"{path}: already holds an index; use --append to add documents")
        if path.exists() and not path.is_dir():
            raise IndexFileError(f"{path}: exists and is not a directory")
        path.mkdir(parents=True, exist_ok=True)
        manifest = {"format": FORMAT, "embedder": embedder, "dim": int(dim), "shards": []}
        _write_atomic(path / MANIFEST, json.dumps(manifest, indent=1).encode())
        return cls(path, manifest, np.zeros((0, dim), np.float32), [])

    @classmethod
    def open(cls, path: str | Path) -> "SourceIndex":
        """Load an index, verifying every file's sha256.

        Raises
        ------
        IndexFileError
            No index there, a file is missing or altered, or the format is unknown.
        """
        path = Path(path)
        mpath = path / MANIFEST
        if not mpath.is_file():
            raise IndexFileError(f"{path}: not an index directory (no {MANIFEST}); build one with 'spindetect index'")
        try:
            manifest = json.loads(mpath.read_text(encoding="utf-8"))
        except (OSError, ValueError) as e:
            raise IndexFileError(f"{mpath}: unreadable manifest ({e})") from e
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
            raise IndexFileError(f"{mpath}: unknown index format {manifest.get('format') if isinstance(manifest, dict) else None!r}; expected {FORMAT!r}")
        dim = int(manifest["dim"])
        embs, docs = [], []
        for shard in manifest["shards"]:
            for key in ("embeddings", "docs"):
                f = path / shard[key]
                if not f.is_file():
                    raise IndexFileError(f"{f}: missing index file")
                if sha256_file(f) != shard[key + "_sha256"]:
                    raise IndexFileError(f"{f}: sha256 mismatch (file changed since it was indexed); rebuild the index")
            e = np.load(path / shard["embeddings"], allow_pickle=False)
            d = json.loads((path / shard["docs"]).read_text(encoding="utf-8"))
            if e.dtype != np.float32 or e.ndim != 2 or e.shape[1] != dim or e.shape[0] != sum(len(x["sentences"]) for x in d):
                raise IndexFileError(f"{path / shard['embeddings']}: shape {e.shape} does not match its documents")
            embs.append(e)
            docs.extend(d)
        emb = np.concatenate(embs) if embs else np.zeros((0, dim), np.float32)
        return cls(path, manifest, emb, docs)

    @property
    def embedder(self) -> str:
        return str(self.manifest["embedder"])

    @property
    def n_sentences(self) -> int:
        return int(self.emb.shape[0])

    def sources(self) -> set[str]:
        return {d["source"] for d in self.docs}

    def add(self, documents: Sequence[tuple[str, Sequence[str]]], embeddings: np.ndarray) -> int:
        """Append documents as one new shard; return how many were added.

        Parameters
        ----------
        documents : sequence of (source, sentence texts)
            Documents with at least one sentence, in the order of ``embeddings``.
        embeddings : ndarray of shape (total sentences, dim)
            Unit-length float32 embeddings of all the sentences, concatenated.

        Raises
        ------
        ValueError
            A source is already indexed, a document is empty, or shapes differ.
        """
        documents = list(documents)
        if not documents:
            return 0
        n = sum(len(s) for _, s in documents)
        embeddings = np.ascontiguousarray(embeddings, dtype=np.float32)
        if embeddings.shape != (n, int(self.manifest["dim"])):
            raise ValueError(f"expected embeddings of shape ({n}, {self.manifest['dim']}), got {embeddings.shape}")
        known = self.sources()
        for source, sents in documents:
            if not sents:
                raise ValueError(f"{source}: no sentences to index")
            if source in known:
                raise ValueError(f"{source}: already in the index")
            known.add(source)
        k = len(self.manifest["shards"])
        e_name, d_name = f"shard-{k:05d}.npy", f"shard-{k:05d}.json"
        tmp = self.path / (e_name + ".tmp")
        with open(tmp, "wb") as f:
            np.save(f, embeddings, allow_pickle=False)
        os.replace(tmp, self.path / e_name)
        docs = [{"source": s, "sentences": list(t)} for s, t in documents]
        _write_atomic(self.path / d_name, json.dumps(docs, ensure_ascii=False).encode("utf-8"))
        # The manifest is written last: a crash before it leaves the index as it was.
        self.manifest["shards"].append(
            {
                "embeddings": e_name, "embeddings_sha256": sha256_file(self.path / e_name),
                "docs": d_name, "docs_sha256": sha256_file(self.path / d_name),
                "n_docs": len(docs), "n_sentences": n,
            }
        )
        self._set(np.concatenate([self.emb, embeddings]), self.docs + docs)
        if self.n_sentences > EXACT_LIMIT and _usearch() is not None:
            self._save_ann()
        _write_atomic(self.path / MANIFEST, json.dumps(self.manifest, indent=1).encode())
        return len(docs)

    def _save_ann(self) -> None:
        """Extend (or build) the HNSW graph to cover every sentence and save it (usearch's own format, no pickle)."""
        ann = self._load_ann(allow_partial=True)
        have = len(ann)
        if have < self.n_sentences:
            ann.add(np.arange(have, self.n_sentences, dtype=np.uint64), self.emb[have:])
        tmp = self.path / (ANN_FILE + ".tmp")
        ann.save(str(tmp))
        os.replace(tmp, self.path / ANN_FILE)
        self.manifest["ann"] = {"file": ANN_FILE, "sha256": sha256_file(self.path / ANN_FILE), "n_sentences": self.n_sentences}
        self._ann = ann

    def _load_ann(self, allow_partial: bool = False):
        """The saved graph when its hash checks out (and it covers every sentence unless ``allow_partial``), else a new empty one.

        The graph only proposes candidates that are then scored from the
        verified embeddings, so a stale or altered graph is rebuilt, not an error.
        """
        Index = _usearch()
        meta = self.manifest.get("ann")
        f = self.path / ANN_FILE
        if meta and f.is_file() and sha256_file(f) == meta["sha256"] and (allow_partial or meta["n_sentences"] == self.n_sentences):
            ann = Index.restore(str(f))
            if ann is not None and len(ann) == meta["n_sentences"]:
                return ann
        return Index(ndim=self.emb.shape[1], metric="cos", dtype="f32")

    # -- search --------------------------------------------------------------

    def _ann_candidates(self, query: np.ndarray) -> np.ndarray | None:
        """Document ids proposed by the HNSW graph, or None when usearch is absent."""
        if _usearch() is None:
            return None
        if self._ann is None or len(self._ann) != self.n_sentences:
            ann = self._load_ann()
            if len(ann) < self.n_sentences:  # no saved graph (e.g. built without usearch): build in memory
                ann.add(np.arange(len(ann), self.n_sentences, dtype=np.uint64), self.emb[len(ann):])
            self._ann = ann
        hits = self._ann.search(query, min(ANN_NEIGHBOURS, self.n_sentences))
        keys = np.asarray(hits.keys).reshape(len(query), -1).ravel()
        keys = keys[keys < self.n_sentences].astype(np.int64)
        return np.unique(np.searchsorted(self.starts, keys, side="right") - 1)

    def _prescore(self, query: np.ndarray, weights: np.ndarray, docs: np.ndarray | None, min_similarity: float) -> tuple[np.ndarray, np.ndarray]:
        """(doc ids, pre-scores): word-weighted best cosine per suspect sentence, links only."""
        if docs is None:
            doc_ids = np.arange(len(self.docs))
            best = np.maximum.reduceat(query @ self.emb.T, self.starts, axis=1)  # (n, docs)
        else:
            doc_ids = docs
            rows = np.concatenate([np.arange(self.starts[d], self.starts[d] + self.counts[d]) for d in docs])
            local = np.concatenate([[0], np.cumsum(self.counts[docs])[:-1]])
            best = np.maximum.reduceat(query @ self.emb[rows].T, local, axis=1)
        best = np.where(best >= min_similarity, best, 0.0)
        return doc_ids, (weights @ best) / weights.sum()

    def find(
        self,
        query: np.ndarray,
        query_words: Sequence[int],
        top: int = 5,
        min_similarity: float = LINK_THRESHOLD,
        exact: bool | None = None,
    ) -> list[SourceMatch]:
        """The ``top`` most likely sources of a suspect, best first.

        Parameters
        ----------
        query : ndarray of shape (n, dim)
            Unit embeddings of the suspect's sentences.
        query_words : sequence of int
            Word count of each suspect sentence.
        top : int
            How many sources to return (fewer when fewer match at all).
        min_similarity : float
            Cosine below which sentences are never linked.
        exact : bool, optional
            Force exact search (True) or the ANN path (False); by default
            exact up to ``EXACT_LIMIT`` sentences.

        Returns
        -------
        list of SourceMatch
            Sources with a positive score; empty for an empty query or index.
        """
        query = np.asarray(query, dtype=np.float32)
        if len(query) == 0 or not self.docs or top <= 0:
            return []
        if query.shape[1] != self.emb.shape[1]:
            raise ValueError(f"query embeddings have {query.shape[1]} dimensions, the index {self.emb.shape[1]}")
        weights = np.maximum(np.asarray(query_words, dtype=np.float64), 1)
        use_exact = exact if exact is not None else self.n_sentences <= EXACT_LIMIT
        cand = None if use_exact else self._ann_candidates(query)
        doc_ids, pre = self._prescore(query, weights, cand, min_similarity)
        keep = max(MIN_CANDIDATES, 3 * top)
        order = np.argsort(-pre, kind="stable")[:keep]
        matches = []
        for k in order:
            if pre[k] <= 0:
                break
            d = int(doc_ids[k])
            a, b = int(self.starts[d]), int(self.starts[d] + self.counts[d])
            sents = self.docs[d]["sentences"]
            al = align(query, self.emb[a:b], weights, [word_count(t) for t in sents], min_similarity=min_similarity)
            if al.score > 0:
                n_aligned = sum(len(link.suspect) for link in al.links)
                matches.append(SourceMatch(self.docs[d]["source"], al.score, n_aligned, al, tuple(sents)))
        matches.sort(key=lambda m: (-m.score, m.source))
        return matches[:top]


def read_corpus(paths: Iterable[str]):
    """Yield ``(source, text)`` or a ``ReadError`` per document of a corpus.

    Files and directories (every .txt/.md below, sorted) give one document
    each, named by path; ``.jsonl`` / ``.jsonl.gz`` files give one per line
    from its ``text`` field, named by its ``id`` field (``PATH:LINE`` when
    absent).
    """
    from .data import DataError, iter_jsonl
    from .errors import ReadError
    from .io.files import expand_paths, read_path

    for item in expand_paths(list(paths)):
        if isinstance(item, ReadError):
            yield item
            continue
        name = item.lower()
        if name.endswith((".jsonl", ".jsonl.gz")):
            try:
                for n, row in iter_jsonl(item):
                    text = row.get("text")
                    if not isinstance(text, str) or not text.strip():
                        yield ReadError(f"{item}:{n}: no 'text' field with text in it")
                        continue
                    yield (str(row["id"]) if row.get("id") is not None else f"{item}:{n}"), text
            except DataError as e:
                yield ReadError(str(e))
            continue
        try:
            art = read_path(item)
        except ReadError as e:
            yield e
            continue
        yield art.path, art.text
