"""Sentence labels of rewritten documents: the lexical copy rule vs an alignment rule (issue 5).

Usage::

    python benchmarks/alignment_labels.py --data /work/shared/data --pairs 40 --out benchmarks/runs/alignment-labels

A rewritten sentence is labelled 0 (a near-verbatim copy) or 1 (changed).

* ``lexical`` (``spindetect.examples.copy_labels``, what training uses): the
  candidate is the original sentence with the highest word-set Jaccard
  similarity among *all* sentences of the whole original (split on sentence
  punctuation); 0 iff difflib's word ratio to it is >= 0.9. No order.
* ``align``: rewritten and original sentences are embedded
  (``spindetect.embed.Embedder``, all-MiniLM-L6-v2) and aligned with
  ``spindetect.align.align`` (monotone DP over cosine similarity with
  merges/splits, then out-of-order "moved" links), as ``spindetect compare``
  does; 0 iff the aligned original sentence(s) (two joined for a merge) have a
  word ratio >= 0.9 with it, 1 when it is unaligned. The original is the
  window training segments: its first ``WINDOW_CHARS`` characters.
* ``lexical-window``: the lexical rule on that same window, to tell the
  window's effect from the rule's.

Per pair dataset (``open-ended`` rows left out, as in training) ``--pairs``
pairs are sampled (seeded), each rewrite cut to its first ``--max-sentences``
sentences. No ground truth exists for these, so the rules are compared with
each other. A check with exact labels comes from the built-in spinner:
``--spin`` llmfake originals not in the sample are spun (rates 0.15/0.3/0.5)
and each rule is scored against the spinner's own per-sentence edit record.

Writes ``args.json``, ``rows.jsonl`` (one line per rewritten sentence: labels,
link kind, ratio -- no text) and ``metrics.json`` to ``--out``.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from spindetect.align import align, word_count  # noqa: E402
from spindetect.data import read_training_file  # noqa: E402
from spindetect.segment import segment  # noqa: E402
from spindetect import copies  # noqa: E402
from spindetect.examples import _ROUGH_SPLIT, SKIP_METHODS, WINDOW_CHARS, _norms, copy_labels  # noqa: E402


def align_labels(rewritten: list[str], original: list[str], rew_emb: np.ndarray, orig_emb: np.ndarray) -> tuple[list[int], list[str], list[float]]:
    """Labels by alignment, with each sentence's link kind ('' if unaligned) and word ratio."""
    a = align(rew_emb, orig_emb, [word_count(s) for s in rewritten], [word_count(s) for s in original])
    to_orig = {}
    for link in a.links:
        for i in link.suspect:
            to_orig[i] = link
    labels, kinds, ratios = [], [], []
    for i, s in enumerate(rewritten):
        link = to_orig.get(i)
        if link is None:
            labels.append(1)
            kinds.append("")
            ratios.append(0.0)
            continue
        r = copies.copy_ratio(s, " ".join(original[j] for j in link.original))
        labels.append(copies.label(r))
        kinds.append(link.kind)
        ratios.append(round(r, 4))
    return labels, kinds, ratios


def _sample(pairs, n, seed):
    rows = sorted((p for p in pairs if p.method not in SKIP_METHODS), key=lambda p: p.id)
    random.Random(seed).shuffle(rows)
    return rows[:n]


def _compare(name: str, items, embedder, timing: dict, out_rows: list) -> dict:
    """items: (id, rewritten sentences, window sentences, full-original split, exact labels or None)."""
    counts = {"pairs": 0, "sentences": 0, "lexical_0": 0, "lexical_window_0": 0, "align_0": 0, "agree": 0,
              "lexical0_align1": 0, "lexical1_align0": 0, "align_eq_lexical_window": 0, "original_sentences": 0}
    exact_hits = {"lexical": 0, "lexical_window": 0, "align": 0, "n": 0, "exact_0": 0}
    missed = {"lexical": 0, "lexical_window": 0, "align": 0}  # exact 0 (untouched) labelled 1
    for pid, rew, window, full, exact in items:
        t0 = time.perf_counter()
        r_emb = embedder.encode(rew)
        t1 = time.perf_counter()
        o_emb = embedder.encode(window)
        t2 = time.perf_counter()
        timing["rewritten_s"] += t1 - t0
        timing["original_s"] += t2 - t1
        timing["rewritten_n"] += len(rew)
        timing["original_n"] += len(window)
        lex = copy_labels(full, rew)
        lexw = copy_labels(window, rew)
        t3 = time.perf_counter()
        al, kinds, ratios = align_labels(rew, window, r_emb, o_emb)
        timing["align_s"] += time.perf_counter() - t3
        counts["pairs"] += 1
        counts["original_sentences"] += len(window)
        for k in range(len(rew)):
            counts["sentences"] += 1
            counts["lexical_0"] += lex[k] == 0
            counts["lexical_window_0"] += lexw[k] == 0
            counts["align_0"] += al[k] == 0
            counts["agree"] += lex[k] == al[k]
            counts["lexical0_align1"] += lex[k] == 0 and al[k] == 1
            counts["align_eq_lexical_window"] += al[k] == lexw[k]
            counts["lexical1_align0"] += lex[k] == 1 and al[k] == 0
            row = {"dataset": name, "id": pid, "sentence": k, "lexical": lex[k], "lexical_window": lexw[k],
                   "align": al[k], "link": kinds[k], "align_ratio": ratios[k]}
            if exact is not None:
                row["exact"] = exact[k]
                exact_hits["n"] += 1
                exact_hits["exact_0"] += exact[k] == 0
                for rule, got in (("lexical", lex[k]), ("lexical_window", lexw[k]), ("align", al[k])):
                    exact_hits[rule] += got == exact[k]
                    missed[rule] += exact[k] == 0 and got == 1
            out_rows.append(row)
    if exact_hits["n"]:
        counts["exact_0"] = exact_hits["exact_0"]
        for rule in ("lexical", "lexical_window", "align"):
            counts[f"{rule}_accuracy"] = round(exact_hits[rule] / exact_hits["n"], 4)
            counts[f"{rule}_untouched_labelled_1"] = missed[rule]
    counts["agree_rate"] = round(counts["agree"] / max(counts["sentences"], 1), 4)
    return counts


def _spinner_items(pairs, exclude: set[str], n: int, max_sentences: int, seed: int):
    from spindetect.augment.spin import label_sentences, spin

    rows = sorted((p for p in pairs if p.method not in SKIP_METHODS and p.original not in exclude), key=lambda p: p.id)
    random.Random(seed + 1).shuffle(rows)
    seen, items = set(), []
    for p in rows:
        if len(items) == n:
            break
        if p.original in seen:
            continue
        seen.add(p.original)
        window = segment(p.original[:WINDOW_CHARS])[:max_sentences]
        if not window:
            continue
        text = p.original[: window[-1].end]
        result = spin(text, rate=(0.15, 0.3, 0.5)[len(items) % 3], seed=seed * 100_003 + len(items), mode="mixed")
        labelled = label_sentences(result)[:max_sentences]
        if not labelled or not result.edits:
            continue
        rew = [s.norm for s, _ in labelled]
        exact = [1 if e else 0 for _, e in labelled]
        # the spun text was made from this window only
        items.append((p.id, rew, [w.norm for w in window], _ROUGH_SPLIT.split(text), exact))
    return items


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", default="/work/shared/data", help="Folder of the shared pair files (*.jsonl.gz).")
    ap.add_argument("--pairs", type=int, default=40, help="Pairs sampled per dataset.")
    ap.add_argument("--max-sentences", type=int, default=12, help="Rewritten sentences kept per pair (as in training).")
    ap.add_argument("--spin", type=int, default=40, help="Spun llmfake windows for the exact-label check (0: none).")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", default="benchmarks/runs/alignment-labels", help="Folder for args, rows and metrics.")
    args = ap.parse_args(argv)

    from spindetect.embed import Embedder

    embedder = Embedder(backend="onnx")
    embedder.encode(["warm up"])
    timing = {"rewritten_s": 0.0, "original_s": 0.0, "align_s": 0.0, "rewritten_n": 0, "original_n": 0}
    results, rows = {}, []
    all_pairs = []
    for path in sorted(Path(args.data).glob("*.jsonl.gz")):
        pairs, _ = read_training_file(path)
        if not pairs:
            continue
        all_pairs.append(pairs)
        name = pairs[0].dataset
        items = []
        for p in _sample(pairs, args.pairs, args.seed):
            rew = _norms(p.rewritten)[: args.max_sentences]
            window = _norms(p.original[:WINDOW_CHARS])
            if rew and window:
                items.append((p.id, rew, window, _ROUGH_SPLIT.split(p.original), None))
        human = pairs[0].rewriter == "human"
        results[name + (" (human; training labels all 0)" if human else "")] = _compare(name, items, embedder, timing, rows)
        print(f"{name}: done", file=sys.stderr)
    exact = None
    if args.spin:
        llm = next(ps for ps in all_pairs if ps[0].dataset == "llmfake")
        used = {p.original for p in _sample(llm, args.pairs, args.seed)}
        results["spinner (exact labels)"] = exact = _compare("spinner", _spinner_items(llm, used, args.spin, args.max_sentences, args.seed), embedder, timing, rows)

    cols = {"pairs": "pairs", "sentences": "rewritten sentences", "lexical_0": "lexical: 0", "align_0": "align: 0",
            "agree_rate": "agree", "lexical0_align1": "lexical 0, align 1", "lexical1_align0": "lexical 1, align 0",
            "lexical_window_0": "lexical-window: 0", "align_eq_lexical_window": "align = lexical-window"}
    print("| dataset | " + " | ".join(cols.values()) + " |")
    print("|---" * (len(cols) + 1) + "|")
    for name, m in results.items():
        print(f"| {name} | " + " | ".join(str(m[c]) for c in cols) + " |")
    if exact:
        print(f"\nspinner, against its exact labels ({exact['sentences']} sentences, {exact['exact_0']} untouched):")
        for rule in ("lexical", "lexical_window", "align"):
            print(f"  {rule:<15} accuracy {exact[rule + '_accuracy']}, untouched sentences labelled 1: {exact[rule + '_untouched_labelled_1']}")
    rate_o = timing["original_n"] / max(timing["original_s"], 1e-9)
    per_pair = timing["original_n"] / max(sum(m["pairs"] for m in results.values()), 1)
    print(
        f"\nembedding: {timing['original_n']} original sentences in {timing['original_s']:.1f} s ({rate_o:.0f}/s), "
        f"{timing['rewritten_n']} rewritten in {timing['rewritten_s']:.1f} s; alignment DP {timing['align_s']:.1f} s; "
        f"{per_pair:.1f} window sentences per pair"
    )
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "args.json").write_text(json.dumps(vars(args), indent=2))
    with open(out / "rows.jsonl", "w") as f:
        for r in rows:
            f.write(json.dumps(r) + "\n")
    meta = {"machine": platform.machine(), "python": platform.python_version(), "backend": embedder.backend}
    (out / "metrics.json").write_text(json.dumps({"per_dataset": results, "timing": timing, "meta": meta}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
