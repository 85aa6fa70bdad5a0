"""How often each artifact code fires on human originals vs machine rewrites.

For a seeded sample of pairs from every pair file in the shared data directory,
segment both sides with ``spindetect.segment.segment``, run
``spindetect.artifacts.detect`` on ``Sentence.norm`` (one document at a time)
and print, per dataset and code, the number of sentences with that code per
1,000 sentences on the original (O) and rewritten (W) side. Also prints the
speed of ``detect`` per 1,000 sentences (the wordfreq load is timed apart).

    python benchmarks/artifact_rates.py --pairs 150 --out benchmarks/runs/artifact_rates

Caveat printed with the table: originals are raw web scrapes (share buttons,
credits, 'Related:' lists) and rewrites are clean LLM prose, so boilerplate
codes fire more on originals; that is a property of the data, not of spinning.
``human_paraphrase_pairs`` has humans on both sides (a control: codes should
not separate its O and W columns). ``padben_sentences`` is unpaired
sentences: label 0 is O, label 1 is W.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from spindetect import artifacts  # noqa: E402
from spindetect.segment import segment  # noqa: E402

DATASETS = (
    "llmfake", "sheepdog_politifact", "f3", "hppt", "detectrl_paraphrase_nonnews",
    "human_paraphrase_pairs", "padben_sentences",
)


def _load(path: Path, n: int, seed: int) -> list[tuple[str, str]]:
    """(original, rewritten) documents; padben rows become one-sentence documents."""
    rows = [json.loads(line) for line in gzip.open(path, "rt", encoding="utf-8")]
    random.Random(seed).shuffle(rows)
    if "label" in rows[0]:
        human = [r["text"] for r in rows if r["label"] == 0][:n]
        machine = [r["text"] for r in rows if r["label"] == 1][:n]
        return list(zip(human, machine))
    return [(r["original"], r["rewritten"]) for r in rows[:n]]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", default="/work/shared/data", help="folder with the *.jsonl.gz pair files")
    ap.add_argument("--pairs", type=int, default=150,
                    help="pairs sampled per dataset (x10 for the one-sentence padben and human_paraphrase rows)")
    ap.add_argument("--max-chars", type=int, default=8000,
                    help="truncate each document before segmenting (sheepdog originals are ~9,000 chars)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--datasets", default=",".join(DATASETS), help="comma-separated subset of: " + ", ".join(DATASETS))
    ap.add_argument("--out", default=None, help="folder to write rates.json and args.json into")
    args = ap.parse_args(argv)

    unknown = [d for d in args.datasets.split(",") if d not in DATASETS]
    if unknown:
        ap.error(f"unknown dataset {unknown[0]!r}; expected one of: {', '.join(DATASETS)}")

    t0 = time.perf_counter()
    artifacts.detect(["The committee postponed the conferencing session."])  # loads wordfreq
    load_s = time.perf_counter() - t0

    codes = [c for c, _ in artifacts.CODES]
    results: dict[str, dict] = {}
    detect_s, detect_n = 0.0, 0
    for name in args.datasets.split(","):
        # one-sentence rows: ten times as many to get comparable sentence counts
        n = args.pairs * (10 if name in ("padben_sentences", "human_paraphrase_pairs") else 1)
        pairs = _load(Path(args.data) / f"{name}.jsonl.gz", n, args.seed)
        side_counts = {}
        for side in (0, 1):
            counts: Counter = Counter()
            n_sent = 0
            for pair in pairs:
                sents = [s.norm for s in segment(pair[side][: args.max_chars])]
                t = time.perf_counter()
                hits = artifacts.detect(sents)
                detect_s += time.perf_counter() - t
                detect_n += len(sents)
                n_sent += len(sents)
                for hs in hits:
                    counts.update({h.code for h in hs})  # sentences with the code, not hits
            side_counts["O" if side == 0 else "W"] = (n_sent, counts)
        results[name] = {
            side: {"sentences": n_sent, **{c: round(1000 * cnt[c] / max(n_sent, 1), 1) for c in codes}}
            for side, (n_sent, cnt) in side_counts.items()
        }
        print(f"{name}: {side_counts['O'][0]} original / {side_counts['W'][0]} rewritten sentences", file=sys.stderr)

    names = list(results)
    short = {n: n.split("_")[0][:9] for n in names}
    header = "| code | " + " | ".join(f"{short[n]} O | {short[n]} W" for n in names) + " |"
    print("Sentences with the code per 1,000 sentences (O = human original, W = machine rewrite)\n")
    print(header)
    print("|" + "---|" * (1 + 2 * len(names)))
    print("| sentences | " + " | ".join(f"{results[n]['O']['sentences']} | {results[n]['W']['sentences']}" for n in names) + " |")
    for c in codes:
        print(f"| {c} | " + " | ".join(f"{results[n]['O'][c]:.1f} | {results[n]['W'][c]:.1f}" for n in names) + " |")
    speed = 1000 * detect_s / max(detect_n, 1)
    print(f"\ndetect(): {speed * 1000:.0f} ms per 1,000 sentences over {detect_n} sentences "
          f"(one-off wordfreq load {load_s:.2f} s)")
    if args.out:
        out = Path(args.out)
        out.mkdir(parents=True, exist_ok=True)
        (out / "rates.json").write_text(json.dumps({"rates": results, "ms_per_1000": speed * 1000,
                                                    "load_s": load_s}, indent=1))
        (out / "args.json").write_text(json.dumps(vars(args), indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
