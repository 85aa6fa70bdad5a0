"""Two model directories timed against each other under the same machine load: cold score of the seed, peak memory
and warm throughput, runs interleaved so that load drifts hit both alike.

    git archive HEAD~1 models/spindetect-accurate | tar -x -C /tmp/before     # e.g. the model before a change
    python benchmarks/speed_ab.py /tmp/before/models/spindetect-accurate models/spindetect-accurate [--runs 3]

Cold rows are whole-process wall times of `spindetect score --model DIR seeds/spun_biden_putin_call.txt` (medians of
--runs; peak RSS from /usr/bin/time), warm rows ``Detector.score_articles`` of the 400 sentences benchmarks/speed.py
uses, 16 to a document (medians of --runs rounds). Compare the two columns, not absolute numbers across runs.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import speed  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("models", nargs=2, metavar="DIR", help="the two model directories (before, after)")
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    from spindetect.detector import Detector
    from spindetect.types import Article

    models = dict(zip(("before", "after"), args.models))
    cold: dict[str, list[float]] = {k: [] for k in models}
    rss: dict[str, list[float]] = {k: [] for k in models}
    print(f"load before: {os.getloadavg()}")
    for _ in range(args.runs):
        for name, d in models.items():
            t = time.time()
            p = subprocess.run(["/usr/bin/time", "-f", "%M", sys.executable, "-c", speed.CLI, "score", "--model", d,
                                str(speed.SEED)], capture_output=True, text=True)
            if p.returncode != 0:
                sys.exit(f"error: scoring with {d} failed: {p.stderr.strip().splitlines()[-1:]}")
            cold[name].append(time.time() - t)
            rss[name].append(int(p.stderr.strip().splitlines()[-1]) / 1024)
    sents, _ = speed._sentences(400)
    docs = [Article(path=f"doc{k}", text=" ".join(sents[k: k + 16])) for k in range(0, len(sents), 16)]
    dets = {k: Detector.load(d) for k, d in models.items()}
    for det in dets.values():
        det.score_articles(docs[:1])
    warm: dict[str, list[float]] = {k: [] for k in models}
    for _ in range(args.runs):
        for k, det in dets.items():
            t = time.time()
            scored = det.score_articles(docs)
            warm[k].append(time.time() - t)
    n = sum(d.n_sentences for d in scored)
    print("| | " + " | ".join(f"{k}: {d}" for k, d in models.items()) + " |\n|---|---|---|")
    print("| cold score of the seed (s) | " + " | ".join(f"{statistics.median(v):.2f}" for v in cold.values()) + " |")
    print("| peak RSS (MiB) | " + " | ".join(f"{statistics.median(v):.0f}" for v in rss.values()) + " |")
    print("| warm sentences/s | " + " | ".join(f"{n / statistics.median(v):.1f}" for v in warm.values()) + " |")
    print(f"load after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
