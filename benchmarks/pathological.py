"""End-to-end scoring time of pathological inputs (issue 15): one huge run-on sentence and its relatives.

Usage::

    python benchmarks/pathological.py [--mb 2] [--kinds runon,one_token,...] [--out benchmarks/runs/pathological-DATE]

Writes each input (``--mb`` megabytes, generated, seeded) to a temporary
directory and times a fresh ``python -m spindetect score FILE --format json``
on it (whole process: start-up, reading, segmentation, artifacts, the
document model, JSON). Prints one row per input: wall seconds, CPU seconds
(user + system of the child), peak RSS, exit code, sentences. Target (issue 15; reported, never asserted): the
``runon`` row ≤ 10 s for 2 MB.

Timings are noisy on a shared machine: the load average before and after is
printed, and CPU seconds are less affected by other jobs than wall seconds.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from speed import machine  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "spun_biden_putin_call.txt"


def _repeat(unit: str, n_chars: int, sep: str = " ") -> str:
    return sep.join([unit] * (n_chars // (len(unit) + len(sep)) + 1))[:n_chars]


def _mixed(n_chars: int) -> str:
    words = ["council", "budget", "road", "mayor", "debate"]
    return " ".join(random.Random(3).choices(words, k=n_chars // 6))[:n_chars]


#: name -> (what it is, generator of about n characters)
KINDS = {
    "runon": ("one sentence of 'word word ...' (the issue's case)", lambda n: _repeat("word", n)),
    "runon_mixed": ("one sentence of five words in random order", _mixed),
    "one_token": ("one 'word' with no whitespace at all", lambda n: "a" * n),
    "lower_periods": ("'word. word. ...': full stops but no safe sentence end", lambda n: _repeat("word.", n)),
    "abbreviations": ("'U.S. U.S. ...': abbreviations only", lambda n: _repeat("U.S.", n)),
    "prose_one_line": ("the seed article repeated on one line",
                       lambda n: _repeat(" ".join(SEED.read_text().split()), n)),
    "prose_lines": ("the seed article repeated, its line breaks kept", lambda n: _repeat(SEED.read_text(), n, "\n")),
}




def _score(path: Path) -> dict:
    """Time one fresh ``python -m spindetect score`` child; peak RSS from ``wait4``.

    The JSON goes to a file, not into this process: a parent grown by reading
    it would pass its size on to the next child's peak RSS.
    """
    out = path.with_suffix(".json")
    t = time.perf_counter()
    with out.open("wb") as f:
        p = subprocess.Popen([sys.executable, "-m", "spindetect", "score", str(path), "--format", "json"],
                             stdout=f, stderr=subprocess.DEVNULL, cwd=ROOT)
        _, status, usage = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t
    code = os.waitstatus_to_exitcode(status)
    with out.open("rb") as f:  # keys are sorted: n_sentences comes within the first few hundred bytes
        head = f.read(4096).decode("utf-8", "replace")
    m = re.search(r'"n_sentences": (\d+)', head)
    out.unlink()
    return {"wall_s": round(wall, 2), "cpu_s": round(usage.ru_utime + usage.ru_stime, 2),
            "rss_mib": round(usage.ru_maxrss / 1024), "exit": code, "sentences": int(m.group(1)) if m else None}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--mb", type=float, default=2.0, help="size of each input in megabytes (default 2)")
    ap.add_argument("--kinds", default=",".join(KINDS), help=f"comma-separated, of: {', '.join(KINDS)}")
    ap.add_argument("--out", type=Path, help="directory for results.json")
    args = ap.parse_args()
    kinds = [k for k in args.kinds.split(",") if k]
    unknown = [k for k in kinds if k not in KINDS]
    if unknown:
        ap.error(f"unknown kind(s) {', '.join(unknown)}; choose from {', '.join(KINDS)}")
    n = int(args.mb * 1_000_000)
    print(f"machine: {machine()}; load before: {os.getloadavg()[0]:.1f}")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for k in kinds:
            path = Path(tmp) / f"{k}.txt"
            path.write_text(KINDS[k][1](n), encoding="utf-8")
            row = {"kind": k, "bytes": path.stat().st_size, **_score(path)}
            rows.append(row)
            print(f"{k:<16} {row['bytes']:>9,} B  {row['wall_s']:>7.2f} s wall  {row['cpu_s']:>7.2f} s CPU  "
                  f"{row['rss_mib']:>5} MiB  "
                  f"exit {row['exit']}  {row['sentences']} sentences   ({KINDS[k][0]})", flush=True)
    print(f"load after: {os.getloadavg()[0]:.1f}")
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / "results.json").write_text(json.dumps(
            {"machine": machine(), "mb": args.mb, "rows": rows, "date": time.strftime("%Y-%m-%d")}, indent=1))


if __name__ == "__main__":
    main()
