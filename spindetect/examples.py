"""The sentence model's training examples: pairs and labelled texts -> sentences with labels.

Labels and the length window are described in ``train``'s docstring (issue 5):
every sentence of a human original is 0; a rewritten sentence is 0 when it
copies a sentence of its original (``copies``), else 1; originals are cut to a
window as long as their rewrite. Spun (``augment.spin``) and copy-edited
(``augment.edit``) originals are added with span-exact labels.
"""

from __future__ import annotations

import hashlib
import random
import re
from dataclasses import dataclass, field
from typing import Sequence

from . import copies
from .data import LabeledText, Pair
from .segment import segment

#: LLMFake's "open-ended" rows are free generation seeded by an article, not rewrites.
SKIP_METHODS = {"open-ended"}

_ROUGH_SPLIT = re.compile(r"(?<=[.!?])\s+")
#: Characters of an original segmented for its window (12 news sentences fit in ~2,500).
WINDOW_CHARS = 6_000


@dataclass
class Examples:
    """Sentence examples and the documents they belong to."""

    texts: list[str] = field(default_factory=list)
    labels: list[int] = field(default_factory=list)
    doc: list[int] = field(default_factory=list)
    doc_label: list[int] = field(default_factory=list)
    doc_dataset: list[str] = field(default_factory=list)
    doc_family: list[str] = field(default_factory=list)
    doc_id: list[str] = field(default_factory=list)

    def add_doc(self, sentences: Sequence[str], labels: Sequence[int], doc_label: int, dataset: str, family: str, doc_id: str):
        d = len(self.doc_label)
        self.doc_label.append(doc_label)
        self.doc_dataset.append(dataset)
        self.doc_family.append(family)
        self.doc_id.append(doc_id)
        self.texts.extend(sentences)
        self.labels.extend(labels)
        self.doc.extend([d] * len(sentences))


def copy_labels(original: Sequence[str], rewritten: Sequence[str]) -> list[int]:
    """1 for each rewritten sentence that is not a near-verbatim copy (``copies``) of its likeliest original sentence."""
    orig_sets = [set(copies.words(s)) for s in original]
    out = []
    for s in rewritten:
        ws = set(copies.words(s))
        if not ws or not orig_sets:
            out.append(1)
            continue
        best = max(range(len(orig_sets)), key=lambda k: len(ws & orig_sets[k]) / (len(ws | orig_sets[k]) or 1))
        out.append(copies.label(copies.copy_ratio(s, original[best])))
    return out


def _norms(text: str) -> list[str]:
    return [s.norm for s in segment(text)]


def build_examples(
    pairs: Sequence[Pair],
    texts: Sequence[LabeledText],
    max_docs: int,
    max_sentences: int,
    seed: int,
    spin_docs: int = 0,
    edit_docs: int = 0,
) -> Examples:
    """Sample at most ``max_docs`` pairs (and labeled texts) per dataset and label their sentences.

    With ``spin_docs``, that many further originals per news dataset (never
    ones already sampled as pairs) are spun by :mod:`spindetect.augment.spin` into
    the dataset ``spinner``: each spun window (sentences with an edit are 1,
    untouched ones 0) beside its unspun window (all 0).

    With ``edit_docs``, up to that many further originals per news dataset
    (never ones sampled as pairs or spun) are copy-edited by :mod:`spindetect.augment.edit`
    (typo fixes, spelling variety, number style, a sentence deleted or moved,
    ...) into the dataset ``edited``: every sentence 0, family ``human``, so a
    held-out fold reports how often ordinary editing is flagged.
    """
    rng = random.Random(seed)
    ex = Examples()
    # Every original sampled as a pair (any dataset): augmentation never reuses
    # one, so a held-out fold never meets its own original windows in training.
    used: set[str] = set()
    by_ds: dict[str, list[Pair]] = {}
    for p in pairs:
        if p.method not in SKIP_METHODS:
            by_ds.setdefault(p.dataset, []).append(p)
    for ds in sorted(by_ds):
        rows = sorted(by_ds[ds], key=lambda p: p.id)
        rng.shuffle(rows)
        seen_originals: set[str] = set()
        for p in rows[:max_docs]:
            used.add(p.original)
            rew = _norms(p.rewritten)[:max_sentences]
            # Only the first WINDOW_CHARS are segmented properly (pysbd is slow
            # on long scrapes). Copy matching looks at those segmented sentences
            # and at a plain punctuation split of the whole original: the split
            # alone glued copied headlines and quoted lines to their neighbours
            # (10 of 36 verbatim copies in f3 labelled 1; see
            # benchmarks/alignment_labels.py), the segmenter alone merges a few
            # the split finds.
            segmented = _norms(p.original[:WINDOW_CHARS])
            window = segmented[: (max_sentences if p.rewriter == "human" else len(rew))]
            if not rew or not window:
                continue
            human = p.rewriter == "human"
            key = hashlib.sha1(p.original.encode()).hexdigest()
            if key not in seen_originals:
                seen_originals.add(key)
                ex.add_doc(window, [0] * len(window), 0, ds, "human", f"{p.id}:original")
            labels = [0] * len(rew) if human else copy_labels(segmented + _ROUGH_SPLIT.split(p.original), rew)
            ex.add_doc(rew, labels, 0 if human else 1, ds, p.family, f"{p.id}:rewritten")
    if spin_docs:
        _add_spun(ex, by_ds, used, max_sentences, spin_docs, seed, rng)
    if edit_docs:
        _add_edited(ex, by_ds, used, max_sentences, edit_docs, seed)
    by_ds_t: dict[str, list[LabeledText]] = {}
    for t in texts:
        by_ds_t.setdefault(t.dataset, []).append(t)
    for ds in sorted(by_ds_t):
        rows = sorted(by_ds_t[ds], key=lambda t: t.id)
        rng.shuffle(rows)
        for t in rows[: 2 * max_docs]:
            sents = _norms(t.text)[:max_sentences]
            if sents:
                # PadBen's label-1 rows mix DIPPER, Gemini and Llama paraphrases
                # with no per-row provenance: one family of their own.
                fam = "human" if t.label == 0 else "mixed-paraphrase"
                ex.add_doc(sents, [t.label] * len(sents), t.label, ds, fam, t.id)
    return ex


#: Spinner rates drawn per document: light to heavy spinning.
SPIN_RATES = (0.15, 0.3, 0.5)


def _fresh(rows: Sequence[Pair], used: set[str]) -> list[Pair]:
    """Rows whose original is not in ``used``, one per distinct original, in order."""
    out, seen = [], set()
    for p in rows:
        if p.original not in used and p.original not in seen:
            seen.add(p.original)
            out.append(p)
    return out


def _add_spun(ex: Examples, by_ds: dict, used: set[str], max_sentences: int, spin_docs: int, seed: int, rng: random.Random):
    """Spin ``spin_docs`` originals per news dataset that are not in ``used``; add them to ``used``."""
    from .augment.spin import label_sentences, spin

    for ds in sorted(by_ds):
        rows = sorted(by_ds[ds], key=lambda p: p.id)
        if rows[0].domain != "news":
            continue
        # This shuffle is kept although a fresh rng would do: it advances
        # ``rng`` exactly as before, so the labeled texts sampled after it
        # are the same ones.
        rng.shuffle(rows)
        fresh = _fresh(rows, used)
        used.update(p.original for p in fresh[:spin_docs])
        for k, p in enumerate(fresh[:spin_docs]):
            window = segment(p.original[:WINDOW_CHARS])[:max_sentences]
            if not window:
                continue
            text = p.original[: window[-1].end]
            result = spin(text, rate=SPIN_RATES[k % len(SPIN_RATES)], seed=seed * 100_003 + k, mode="mixed")
            labelled = label_sentences(result)[:max_sentences]
            if not labelled or not result.edits:
                continue
            ex.add_doc([w.norm for w in window], [0] * len(window), 0, "spinner", "human", f"{p.id}:unspun")
            ex.add_doc([s.norm for s, _ in labelled], [1 if e else 0 for _, e in labelled], 1, "spinner", "spinner", f"{p.id}:spun")


#: Editing rates drawn per document: a light touch to every edit the text allows.
EDIT_RATES = (0.25, 0.5, 1.0)


def _add_edited(ex: Examples, by_ds: dict, used: set[str], max_sentences: int, edit_docs: int, seed: int):
    """Add up to ``edit_docs`` copy-edited originals per news dataset, none in ``used``; add those tried to ``used``."""
    from .augment.edit import edit

    for ds in sorted(by_ds):
        rows = sorted(by_ds[ds], key=lambda p: p.id)
        if rows[0].domain != "news":
            continue
        # its own generator: the samples drawn from ``rng`` stay the same with or without edited documents
        random.Random(f"{seed}:edited:{ds}").shuffle(rows)
        added = 0
        for k, p in enumerate(_fresh(rows, used)):
            if added == edit_docs:
                break
            used.add(p.original)
            window = segment(p.original[:WINDOW_CHARS])[:max_sentences]
            if not window:
                continue
            text, before = p.original[: window[-1].end], [w.norm for w in window]
            # A light draw often changes nothing the model sees (quote shapes are
            # normalised away); then every edit the text allows. A text with none
            # (a one-sentence MRPC original without numbers) is passed over.
            for rate in (EDIT_RATES[k % len(EDIT_RATES)], 1.0):
                edited = [s.norm for s in segment(edit(text, seed=seed * 100_003 + k, rate=rate).text)][:max_sentences]
                if edited and edited != before:
                    ex.add_doc(edited, [0] * len(edited), 0, "edited", "human", f"{p.id}:edited")
                    added += 1
                    break
