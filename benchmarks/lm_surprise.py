"""How well the `lm_surprise` reason points at synonym swaps, per surprisal threshold.

Spins news originals with the built-in spinner (synonym mode, exact edit
spans), scores the original and the spun sentences with the language model,
and for each threshold counts the words `surprising_words` would report:
per 100 original sentences (false alarms: a human wrote them), per 100 spun
sentences, and the share of words reported in spun text that lie inside a
spinner edit (precision of the pointer).

    python benchmarks/lm_surprise.py --data ../shared/data --docs 40

Reads the shared data in place; writes nothing from it.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from spindetect import surprisal  # noqa: E402
from spindetect.segment import segment  # noqa: E402
from spindetect.augment.spin import label_sentences, spin  # noqa: E402

THRESHOLDS = (10.0, 12.0, 14.0, 16.0, 18.0)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default="../shared/data")
    ap.add_argument("--docs", type=int, default=40, help="news originals per file (llmfake, f3)")
    ap.add_argument("--sentences", type=int, default=8, help="sentences kept per original")
    args = ap.parse_args(argv)
    t0 = time.time()
    orig, spun = [], []  # (normalised sentence, edit spans in it)
    for name in ("llmfake", "f3"):
        with gzip.open(Path(args.data) / f"{name}.jsonl.gz", "rt", encoding="utf-8") as f:
            rows = [json.loads(line) for _, line in zip(range(args.docs * 3), f)]
        seen = set()
        for k, row in enumerate(rows):
            if row["original"] in seen or len(seen) >= args.docs:
                continue
            seen.add(row["original"])
            window = segment(row["original"][:4000])[: args.sentences]
            if not window:
                continue
            text = row["original"][: window[-1].end]
            orig += [(s.norm, ()) for s in window]
            result = spin(text, rate=0.3, seed=k, mode="synonym")
            for s, edits in label_sentences(result):
                if edits and s.norm == s.text:  # offsets of norm == offsets of text
                    spans = tuple((e.dst_start - s.start, e.dst_end - s.start) for e in edits)
                    spun.append((s.norm, spans))
    lm = surprisal.LanguageModel()
    scored_o = lm.score([s for s, _ in orig])
    scored_s = lm.score([s for s, _ in spun])
    print(f"{len(orig)} original sentences, {len(spun)} spun sentences with edits; LM in {time.time() - t0:.0f}s")
    print("| surprisal ≥ (nats), rank ≥ 1000 | words per 100 original sentences | words per 100 spun sentences | share of spun-text words inside a spinner edit |")
    print("|---|---|---|---|")
    for th in THRESHOLDS:
        surprisal.SURPRISE_NATS = th
        n_o = sum(len(surprisal.surprising_words(s, t)) for (s, _), t in zip(orig, scored_o))
        hits = inside = 0
        for (s, spans), t in zip(spun, scored_s):
            for a, b, _ in surprisal.surprising_words(s, t):
                hits += 1
                inside += any(a < e and b > st for st, e in spans)
        print(f"| {th:g} | {100 * n_o / len(orig):.1f} | {100 * hits / len(spun):.1f} | {inside / hits if hits else float('nan'):.2f} ({inside}/{hits}) |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
