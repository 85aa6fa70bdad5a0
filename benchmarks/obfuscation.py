"""How often the obfuscation codes fire, and what de-obfuscation costs (issue 17).

For a seeded sample of human originals from every pair file in the shared data
directory (the ``original`` side; ``label`` 0 rows of padben), segment each
document and count sentences with a ``homoglyph`` or ``invisible_char`` hit
(``normalize.obfuscation_hits`` on the raw sentence, as ``spindetect score``
reports them), per 1,000 sentences. The same originals are then rewritten by
the project's spinner (``spindetect.augment.spin.spin``, rate 0.3) and obfuscated the
two ways of the issue, and counted again:

- homoglyphs: every Latin a, e, o, p, c, x (and capital T) replaced by its
  Cyrillic look-alike with probability ``--share``;
- zero-width: one U+200B inside a word per ``--zw-every`` characters.

Also: whether the obfuscated spun text normalises to exactly the plain spun
text (the model then sees the same sentences), and the cost of de-obfuscation:
``normalize_with_map`` per 1,000 sentences on plain text, on obfuscated text,
and ``obfuscation_hits`` (the reporting) per 1,000 sentences.

    git show 69cfd73:spindetect/normalize.py > /tmp/old_normalize.py
    python benchmarks/obfuscation.py --docs 60 --all-human --baseline /tmp/old_normalize.py --out benchmarks/runs/obfuscation
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from spindetect.normalize import obfuscation_hits  # noqa: E402
from spindetect.normalize import lookalikes, normalize_with_map  # noqa: E402
from spindetect.segment import segment  # noqa: E402
from spindetect.augment.spin import spin  # noqa: E402

DATASETS = (
    "llmfake", "sheepdog_politifact", "f3", "hppt", "detectrl_paraphrase_nonnews",
    "human_paraphrase_pairs", "padben_sentences",
)
SWAPS = {"a": "\u0430", "e": "\u0435", "o": "\u043e", "p": "\u0440", "c": "\u0441", "x": "\u0445", "T": "\u0422"}


def originals(path: Path, n: int, seed: int) -> list[str]:
    rows = [json.loads(line) for line in gzip.open(path, "rt", encoding="utf-8")]
    random.Random(seed).shuffle(rows)
    if "label" in rows[0]:
        return [r["text"] for r in rows if r["label"] == 0][:n]
    return [r["original"] for r in rows[:n]]


def homoglyphs(text: str, share: float, seed: int) -> str:
    rng = random.Random(seed)
    return "".join(SWAPS[c] if c in SWAPS and rng.random() < share else c for c in text)


def zero_width(text: str, every: int, seed: int) -> str:
    rng = random.Random(seed)
    spots = [i for i in range(1, len(text)) if text[i - 1].isalpha() and text[i].isalpha()]
    for i in sorted(rng.sample(spots, min(len(spots), len(text) // every)), reverse=True):
        text = text[:i] + "\u200b" + text[i:]
    return text


def rates(docs: list[str]) -> dict:
    sents = [s for d in docs for s in segment(d)]
    fired = {"homoglyph": 0, "invisible_char": 0}
    examples = []
    for s in sents:
        codes = {h.code for h in obfuscation_hits(s.text)}
        for c in codes:
            fired[c] += 1
        if codes and len(examples) < 5:
            examples.append([h.message for h in obfuscation_hits(s.text)][:2])
    n = max(len(sents), 1)
    return {"sentences": len(sents), **{f"{c}_per_1000": round(1000 * v / n, 2) for c, v in fired.items()},
            "sentences_with_hits": fired, "examples": examples}


def per_1000(fn, sentences: list[str], repeat: int = 5) -> float:
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        for s in sentences:
            fn(s)
        best = min(best, time.perf_counter() - t)
    return round(1000 * best / max(len(sentences), 1) * 1000, 2)  # ms per 1,000 sentences


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", default=str(Path(__file__).resolve().parents[2] / "shared" / "data"))
    ap.add_argument("--docs", type=int, default=100, help="originals per dataset (x10 for one-sentence padben rows)")
    ap.add_argument("--max-chars", type=int, default=8000)
    ap.add_argument("--share", type=float, default=0.3, help="probability of swapping each swappable letter")
    ap.add_argument("--zw-every", type=int, default=40, help="one zero-width space per this many characters")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--all-human", action="store_true",
                    help="also count the codes on every original of every file (no spinning; a few minutes)")
    ap.add_argument("--baseline", default=None,
                    help="a normalize.py from before issue 17 to time against, e.g. "
                         "`git show 69cfd73:spindetect/normalize.py > /tmp/old_normalize.py`")
    ap.add_argument("--out", default=None, help="folder for results.json")
    a = ap.parse_args(argv)
    data = Path(a.data)
    lookalikes()  # load the confusables table outside the timings
    human: list[str] = []
    for name in DATASETS:
        path = data / f"{name}.jsonl.gz"
        if not path.exists():
            continue
        n = a.docs * (10 if name in ("padben_sentences", "human_paraphrase_pairs") else 1)
        human += [t[: a.max_chars] for t in originals(path, n, a.seed)]
    t = time.perf_counter()
    spun = [spin(d, rate=0.3, seed=a.seed).text for d in human]
    spin_s = time.perf_counter() - t
    homo = [homoglyphs(d, a.share, a.seed + k) for k, d in enumerate(spun)]
    zw = [zero_width(d, a.zw_every, a.seed + k) for k, d in enumerate(spun)]
    both = [zero_width(d, a.zw_every, a.seed + k) for k, d in enumerate(homo)]
    same = {
        name: sum([s.norm for s in segment(o)] == [s.norm for s in segment(p)] for o, p in zip(docs, spun)) / len(spun)
        for name, docs in (("homoglyph", homo), ("zero_width", zw), ("both", both))
    }
    plain_sents = [s.text for d in human for s in segment(d)]
    obf_sents = [s.text for d in both for s in segment(d)]
    res = {
        "command": "python benchmarks/obfuscation.py " + " ".join(sys.argv[1:] if argv is None else argv),
        "documents": len(human), "spin_seconds": round(spin_s, 1),
        "human_originals": rates(human),
        "spun_plain": rates(spun),
        "spun_homoglyphs": rates(homo),
        "spun_zero_width": rates(zw),
        "spun_both": rates(both),
        "normalises_to_plain_spun_share": same,
        "ms_per_1000_sentences": {
            "normalize_with_map_human": per_1000(normalize_with_map, plain_sents),
            "normalize_with_map_obfuscated": per_1000(normalize_with_map, obf_sents),
            "obfuscation_hits_human": per_1000(obfuscation_hits, plain_sents),
            "obfuscation_hits_obfuscated": per_1000(obfuscation_hits, obf_sents),
        },
        "timed_sentences": {"human": len(plain_sents), "obfuscated": len(obf_sents)},
    }
    if a.baseline:
        import importlib.util

        spec = importlib.util.spec_from_file_location("baseline_normalize", a.baseline)
        old = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(old)
        res["ms_per_1000_sentences"]["baseline_normalize_with_map_human"] = per_1000(old.normalize_with_map, plain_sents)
        res["ms_per_1000_sentences"]["baseline_normalize_with_map_obfuscated"] = per_1000(old.normalize_with_map, obf_sents)
    if a.all_human:
        every: list[str] = []
        for name in DATASETS:
            path = data / f"{name}.jsonl.gz"
            if path.exists():
                every += [t[: a.max_chars] for t in originals(path, 10**9, a.seed)]
        every = list(dict.fromkeys(every))  # one original can have several rewrites
        res["all_human_originals"] = {"documents": len(every), **rates(every)}
    print(json.dumps(res, indent=1, ensure_ascii=False))
    if a.out:
        Path(a.out).mkdir(parents=True, exist_ok=True)
        (Path(a.out) / "results.json").write_text(json.dumps(res, indent=1, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
