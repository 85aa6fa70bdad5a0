"""Length-matched documents for training and validating the document detector.

Each pair of the shared data gives two documents cut to the same number of
words (the rewrite's, capped at ``max_words``): its original (label 0) and
its rewrite (label 1), tagged with dataset, rewriter family, domain and a
group key (the original's hash) so that validation never splits one
original across training and test. Sentence-level sets (MRPC human
paraphrase pairs, PadBen) are grouped into pseudo-documents of
``SENTENCES_PER_PSEUDO_DOC`` sentences. Augmentation adds variety the shared
data lacks: originals of *every* domain spun by :mod:`spindetect.augment.spin` at
several rates and modes (family ``spinner``), and copy-edited originals
(:mod:`spindetect.augment.edit`, label 0, dataset ``edited``), and, when a paraphraser is given,
originals paraphrased sentence by sentence by the packaged SmolLM2 (:mod:`spindetect.augment.paraphrase`,
family :data:`PARA_FAMILY`; training material only, see :data:`TRAINING_ONLY_DATASETS`), and originals rewritten
by the rules of :mod:`spindetect.augment.fluent` (family :data:`FLUENT_FAMILY`, training material only).
"""

from __future__ import annotations

import hashlib
import random
import re
from dataclasses import dataclass
from typing import Sequence

from .data import LabeledText, Pair

#: llmfake's open-ended rows are free generation, not rewriting.
SKIP_METHODS = frozenset({"open-ended"})
SENTENCES_PER_PSEUDO_DOC = 8
#: Spinner draws per augmented document: (rate, mode), cycled.
SPIN_DRAWS = ((0.15, "mixed"), (0.3, "mixed"), (0.5, "mixed"), (0.3, "synonym"), (0.5, "synonym"), (0.3, "phrase"))
EDIT_RATES = (0.25, 0.5, 1.0)
#: Paraphrased documents are cut to this many words (generation costs ~0.7 s a sentence).
PARA_WORDS = 160
#: A paraphrased document is kept when at least this share of its sentences changed.
PARA_MIN_CHANGED = 1 / 3
#: Dataset and family of the SmolLM2-paraphrased documents (both sides carry the dataset).
PARA_DATASET, PARA_FAMILY = "smollm", "smollm-paraphrase"
#: Dataset and family of the documents rewritten by augment/fluent.py (cut to PARA_WORDS words, as the paraphrases).
FLUENT_DATASET, FLUENT_FAMILY = "fluent", "fluent-rewrite"
#: Datasets generated for training only (both sides): validation never tests them, so held-out figures
#: stay on the same documents whatever is added.
TRAINING_ONLY_DATASETS = (PARA_DATASET, FLUENT_DATASET)
#: Generated families made with another family's means (the fluent rewriter uses the spinner's thesaurus): they
#: leave training whenever that family is the held-out one (train_doc.folds).
DERIVED_FAMILIES = {"spinner": (FLUENT_FAMILY,)}
_WORD_SPAN = re.compile(r"\S+")
_SENT_END = re.compile(r"[.!?][\"')\]]*(?=\s|$)")


@dataclass(frozen=True)
class Doc:
    text: str
    label: int
    dataset: str
    family: str
    domain: str
    group: str


def group_key(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


def clip_words(text: str, n_words: int, slack: int = 25) -> str:
    """The first ``n_words`` words of ``text``, extended to the next sentence end within ``slack`` words."""
    spans = [m.end() for m in _WORD_SPAN.finditer(text, 0, min(len(text), 30 * (n_words + slack)))]
    if len(spans) <= n_words:
        return text.strip()
    cut = spans[n_words - 1]
    limit = spans[min(len(spans), n_words + slack) - 1]
    m = _SENT_END.search(text, cut - 1, limit)
    return text[: m.end() if m else cut].strip()


def _n_words(text: str) -> int:
    return len(_WORD_SPAN.findall(text))


def build(
    pairs: Sequence[Pair],
    texts: Sequence[LabeledText] = (),
    per_dataset: int = 300,
    max_words: int = 300,
    spin_docs: int = 60,
    edit_docs: int = 40,
    seed: int = 0,
    para_docs: int = 0,
    paraphraser=None,
    para_prompts: Sequence[str] = ("paraphrase",),
    fluent_docs: int = 0,
    fluent_vectors=None,
) -> list[Doc]:
    """Sample at most ``per_dataset`` pairs per dataset and make the documents described above.

    ``spin_docs``, ``edit_docs`` and ``para_docs`` are per dataset, drawn from originals not
    sampled as pairs (``para_docs`` needs ``paraphraser``, an :class:`~spindetect.augment.paraphrase.Paraphraser`;
    the k-th paraphrased document uses prompt ``para_prompts[k % len(para_prompts)]``; ``fluent_docs`` needs
    ``fluent_vectors``, the context signal's :class:`~spindetect.signals.context.ContextVectors`).
    """
    if para_docs and paraphraser is None:
        raise ValueError("para_docs > 0 needs a paraphraser (spindetect.augment.paraphrase.Paraphraser)")
    if fluent_docs and fluent_vectors is None:
        raise ValueError("fluent_docs > 0 needs word vectors (spindetect.signals.context.read_glove)")
    rng = random.Random(seed)
    docs: list[Doc] = []
    by_ds: dict[str, list[Pair]] = {}
    for p in pairs:
        if p.method not in SKIP_METHODS:
            by_ds.setdefault(p.dataset, []).append(p)
    used: set[str] = set()
    for ds in sorted(by_ds):
        rows = sorted(by_ds[ds], key=lambda p: p.id)
        rng.shuffle(rows)
        if all(p.rewriter == "human" for p in rows):
            docs += _pseudo_pairs(rows[: per_dataset * SENTENCES_PER_PSEUDO_DOC], ds)
            continue
        # up to per_dataset pairs of each family: a file holding three rewriter
        # families (detectrl) gives each as many documents as a one-family file
        by_family: dict[str, list[Pair]] = {}
        for p in rows:
            by_family.setdefault(p.family, []).append(p)
        seen: set[str] = set()
        for p in [p for fam in sorted(by_family) for p in by_family[fam][:per_dataset]]:
            used.add(p.original)
            n = min(_n_words(p.rewritten), max_words)
            if n < 15:
                continue
            g = group_key(p.original)
            if g not in seen:
                seen.add(g)
                docs.append(Doc(clip_words(p.original, n), 0, ds, "human", p.domain, g))
            docs.append(Doc(clip_words(p.rewritten, n), 1, ds, p.family, p.domain, g))
    by_t: dict[str, list[LabeledText]] = {}
    for t in texts:
        by_t.setdefault(t.dataset, []).append(t)
    for ds in sorted(by_t):
        rows = sorted(by_t[ds], key=lambda t: t.id)
        rng.shuffle(rows)
        for label in (0, 1):
            chosen = [t for t in rows if t.label == label][: per_dataset * SENTENCES_PER_PSEUDO_DOC]
            for k in range(0, len(chosen) - SENTENCES_PER_PSEUDO_DOC + 1, SENTENCES_PER_PSEUDO_DOC):
                chunk = chosen[k : k + SENTENCES_PER_PSEUDO_DOC]
                fam = "human" if label == 0 else "mixed-paraphrase"
                docs.append(Doc(" ".join(t.text for t in chunk), label, ds, fam, "news", group_key(chunk[0].id)))
    if spin_docs:
        docs += _spun(by_ds, used, spin_docs, max_words, seed)
    if edit_docs:
        docs += _edited(by_ds, used, edit_docs, max_words, seed)
    if para_docs:
        docs += _paraphrased(by_ds, used, para_docs, seed, paraphraser, para_prompts)
    if fluent_docs:
        docs += _fluent(by_ds, used, fluent_docs, seed, fluent_vectors)
    return docs


def _pseudo_pairs(rows: Sequence[Pair], ds: str) -> list[Doc]:
    """Human sentence pairs grouped into two human documents each (both label 0)."""
    out = []
    for k in range(0, len(rows) - SENTENCES_PER_PSEUDO_DOC + 1, SENTENCES_PER_PSEUDO_DOC):
        chunk = rows[k : k + SENTENCES_PER_PSEUDO_DOC]
        g = group_key(chunk[0].original)
        out.append(Doc(" ".join(p.original for p in chunk), 0, ds, "human", "news", g))
        out.append(Doc(" ".join(p.rewritten for p in chunk), 0, ds, "human-paraphrase", "news", g))
    return out


def _fresh(rows: Sequence[Pair], used: set[str], n: int, key: str, seed: int) -> list[Pair]:
    rows = sorted(rows, key=lambda p: p.id)
    random.Random(f"{seed}:{key}").shuffle(rows)
    out, seen = [], set()
    for p in rows:
        if len(out) == n:
            break
        if p.original not in used and p.original not in seen and _n_words(p.original) >= 60:
            seen.add(p.original)
            out.append(p)
    used.update(p.original for p in out)
    return out


def _sources(by_ds: dict, used: set[str], n: int, max_words: int, seed: int, what: str):
    """``(k, pair, clipped original)`` for up to ``n`` unused originals of every non-human dataset (in order)."""
    for ds in sorted(by_ds):
        if all(p.rewriter == "human" for p in by_ds[ds]):
            continue
        for k, p in enumerate(_fresh(by_ds[ds], used, n, f"{what}:{ds}", seed)):
            yield k, p, clip_words(p.original, max_words)


def _spun(by_ds: dict, used: set[str], n: int, max_words: int, seed: int) -> list[Doc]:
    from .augment.spin import spin

    out = []
    for k, p, text in _sources(by_ds, used, n, max_words, seed, "spin"):
        rate, mode = SPIN_DRAWS[k % len(SPIN_DRAWS)]
        spun = spin(text, rate=rate, seed=seed * 100_003 + k, mode=mode)
        if spun.edits:
            g = group_key(p.original)
            out.append(Doc(text, 0, "spinner", "human", p.domain, g))
            out.append(Doc(spun.text, 1, "spinner", "spinner", p.domain, g))
    return out


def _edited(by_ds: dict, used: set[str], n: int, max_words: int, seed: int) -> list[Doc]:
    from .augment.edit import edit

    out = []
    for k, p, text in _sources(by_ds, used, n, max_words, seed, "edit"):
        edited = edit(text, seed=seed * 100_003 + k, rate=EDIT_RATES[k % len(EDIT_RATES)]).text
        if edited != text:
            out.append(Doc(edited, 0, "edited", "human", p.domain, group_key(p.original)))
    return out


def _paraphrased(by_ds: dict, used: set[str], n: int, seed: int, paraphraser, prompts: Sequence[str]) -> list[Doc]:
    """Originals cut to :data:`PARA_WORDS` words, each beside its sentence-by-sentence SmolLM2 paraphrase."""
    from .augment.paraphrase import check_prompts, rewrite
    from .segment import segment

    prompts = check_prompts(prompts)
    chosen = [(p, prompts[k % len(prompts)], [s.norm for s in segment(text)])
              for k, p, text in _sources(by_ds, used, n, PARA_WORDS, seed, "para")]
    answers = {}
    for prompt in prompts:  # one call per prompt, so that generation batches across documents
        sents = [s for _, q, ss in chosen if q == prompt for s in ss]
        answers.update(zip(((prompt, s) for s in sents), paraphraser.paraphrase(sents, prompt)))
    out = []
    for p, prompt, sents in chosen:
        text, changed = rewrite(sents, [answers[prompt, s] for s in sents])
        if sents and changed >= PARA_MIN_CHANGED * len(sents):
            g = group_key(p.original)
            out.append(Doc(" ".join(sents), 0, PARA_DATASET, "human", p.domain, g))
            out.append(Doc(text, 1, PARA_DATASET, PARA_FAMILY, p.domain, g))
    return out


def _fluent(by_ds: dict, used: set[str], n: int, seed: int, vectors) -> list[Doc]:
    """Originals cut to :data:`PARA_WORDS` words, each beside its rewrite by augment/fluent.py's rules (kept when it
    swapped at least ``fluent.MIN_SWAPS`` words)."""
    from .augment import fluent

    out = []
    for k, p, text in _sources(by_ds, used, n, PARA_WORDS, seed, "fluent"):
        rewritten, swaps = fluent.rewrite(text, vectors, seed=seed * 100_003 + k)
        if swaps >= fluent.MIN_SWAPS:
            g = group_key(p.original)
            out.append(Doc(text, 0, FLUENT_DATASET, "human", p.domain, g))
            out.append(Doc(rewritten, 1, FLUENT_DATASET, FLUENT_FAMILY, p.domain, g))
    return out
