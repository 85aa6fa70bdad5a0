"""Crawl throughput: single-process streaming vs a LocalCluster, docs/s and peak memory.

Usage::

    python benchmarks/crawl.py --docs 1000 [--docs 250 ...] [--workers 2] [--model DIR]
                               [--modes single,dask] [--max-chars N] [--out benchmarks/runs/crawl-DATE]

For each ``--docs N`` it writes a JSONL.gz crawl of N news texts sampled at
run time from ``shared/data/llmfake.jsonl.gz`` (originals and rewrites,
seeded; nothing is copied into the repository) to a temporary folder, then
scores it in fresh child processes:

* ``single``: ``score_to_file`` in one process (torch uses every core);
* ``dask``: ``score_with_dask`` on a LocalCluster of ``--workers`` processes
  x 1 thread (Dask's nanny sets OMP_NUM_THREADS=1 in each worker).

Reported per run: wall seconds and docs/s of the scoring (model load and
cluster start excluded and reported apart), peak RSS of each process
(``ru_maxrss``), the per-worker model load seconds, and a paper estimate of
throughput on W workers = W x the measured per-worker rate (partitions
share nothing but the input files, so scaling is linear until the shared
filesystem or the scheduler saturate, which this does not measure).

CPU is shared with other work on a development machine: the load average
before and after each run is recorded; compare rates from the same run.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "llmfake.jsonl.gz"


def _rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def write_crawl(path: Path, n: int, seed: int = 0, max_chars: int = 0) -> dict:
    """N documents sampled (with replacement) from the originals and rewrites of DATA (cut to max_chars if > 0)."""
    texts = []
    with gzip.open(DATA, "rt", encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            texts += [row["original"], row["rewritten"]]
    rng = random.Random(seed)
    chars = 0
    with gzip.open(path, "wt", encoding="utf-8") as f:
        for k in range(n):
            t = rng.choice(texts)
            if max_chars:
                t = t[:max_chars]
            chars += len(t)
            f.write(json.dumps({"url": f"https://example.org/{k}", "text": t}) + "\n")
    return {"docs": n, "mean_chars": round(chars / max(n, 1))}


# ------------------------------------------------------------------ children


def child_single(crawl: str, out: str, model: str | None) -> dict:
    # What score_to_file does, minus the progress bar, with the model load timed apart.
    import torch

    from spindetect.distributed import get_detector, score_items
    from spindetect.parquet_io import ParquetScoreWriter
    from spindetect.io.records import iter_jsonl_articles

    t = time.perf_counter()
    det = get_detector(model)
    load_s = time.perf_counter() - t
    rss_loaded = _rss_mib()
    t = time.perf_counter()
    with ParquetScoreWriter(out, force=True) as w:
        for rows in score_items(iter_jsonl_articles(crawl, "text", "url"), det):
            w.write_rows(rows)
    wall = time.perf_counter() - t
    return {"rc": int(w.errors_written > 0), "wall_s": wall, "load_s": load_s, "torch_threads": torch.get_num_threads(),
            "rss_after_load_mib": rss_loaded, "peak_rss_mib": _rss_mib(), "errors": w.errors_written}


def _worker_facts() -> dict:
    import torch

    from spindetect.distributed import load_stats

    return {**load_stats(), "peak_rss_mib": _rss_mib(), "torch_threads": torch.get_num_threads()}


def child_dask(crawl: str, out: str, model: str | None, workers: int, partition_rows: int) -> dict:
    from distributed import Client, LocalCluster

    from spindetect.crawl import score_with_dask

    t = time.perf_counter()
    cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, scheduler_port=0,
                           dashboard_address=None, silence_logs=50)
    client = Client(cluster)
    start_s = time.perf_counter() - t
    t = time.perf_counter()
    result = score_with_dask([crawl], out, text_field="text", id_field="url", scheduler=client.scheduler.address,
                             model=model, partition_rows=partition_rows, force=True, local_workers=workers)
    rc = 0 if result.complete else 1
    wall = time.perf_counter() - t
    facts = client.run(_worker_facts)
    summaries = json.loads((Path(out) / "_spindetect_run.json").read_text())  # the run happened
    assert summaries["partitions"] > 0
    client.close()
    cluster.close()
    return {"rc": rc, "wall_s": wall, "cluster_start_s": start_s, "client_peak_rss_mib": _rss_mib(),
            "workers": list(facts.values())}


# ------------------------------------------------------------------ parent


def _child(args: list[str]) -> dict:
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    p = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True, cwd=ROOT, env=env)
    if p.returncode != 0:
        raise SystemExit(f"child failed ({p.returncode}): {p.stderr.strip().splitlines()[-1:]}")
    return json.loads(p.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--docs", type=int, action="append", help="crawl sizes (repeatable; default 1000)")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--partition-rows", type=int, default=100)
    ap.add_argument("--model", default=None, help="model directory (default: the shipped one)")
    ap.add_argument("--modes", default="single,dask")
    ap.add_argument("--max-chars", type=int, default=0,
                    help="cut each document to this many characters (short documents make a 100k-document memory run feasible)")
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "runs" / time.strftime("crawl-%Y%m%d-%H%M")))
    args = ap.parse_args()
    sizes = args.docs or [1000]
    results = []
    with tempfile.TemporaryDirectory(prefix="spindetect-crawl-") as tmp:
        for n in sizes:
            crawl = Path(tmp) / f"crawl-{n}.jsonl.gz"
            info = write_crawl(crawl, n, max_chars=args.max_chars)
            for mode in args.modes.split(","):
                load0 = os.getloadavg()[0]
                if mode == "single":
                    r = _child(["_single", str(crawl), str(Path(tmp) / "single.parquet"), args.model or ""])
                    per_worker = n / r["wall_s"]
                else:
                    r = _child(["_dask", str(crawl), str(Path(tmp) / "dask"), args.model or "",
                                str(args.workers), str(args.partition_rows)])
                    per_worker = n / r["wall_s"] / args.workers
                    # Workers load the model inside their first partition; the rate without it:
                    # (a worker restarted after a crash has not loaded it: no entry)
                    load = max((s for w in r["workers"] for s in w["seconds"]), default=0.0)
                    r["docs_per_s_excl_load"] = round(n / (r["wall_s"] - load), 2)
                if r["rc"] != 0:  # failed partitions would inflate docs/s
                    raise SystemExit(f"{mode} run on {n} docs exited {r['rc']}; not a valid measurement")
                r.update(mode=mode, **info, docs_per_s=round(n / r["wall_s"], 2),
                         docs_per_s_per_worker=round(per_worker, 2), load_before=load0, load_after=os.getloadavg()[0])
                results.append(r)
                print(json.dumps(r), flush=True)
                out = Path(args.out)
                out.mkdir(parents=True, exist_ok=True)
                (out / "results.json").write_text(json.dumps({"args": vars(args), "results": results}, indent=1))
    print(f"\n{'mode':<7}{'docs':>7}{'docs/s':>9}{'/worker':>9}{'peak MiB (per process)':>34}{'load s':>14}")
    for r in results:
        if r["mode"] == "single":
            mem, load = f"{r['peak_rss_mib']:.0f}", f"{r['load_s']:.1f}"
        else:
            mem = " ".join(f"{w['peak_rss_mib']:.0f}" for w in r["workers"]) + f" (client {r['client_peak_rss_mib']:.0f})"
            load = " ".join(f"{s:.1f}" for w in r["workers"] for s in w["seconds"])
        print(f"{r['mode']:<7}{r['docs']:>7}{r['docs_per_s']:>9}{r['docs_per_s_per_worker']:>9}{mem:>34}{load:>14}")
    best = max((r for r in results if r["mode"] == "dask"), key=lambda r: r["docs"], default=None)
    if best:
        rate = best["docs_per_s_per_worker"]
        print(f"\npaper estimate at {rate} docs/s per 1-thread worker: "
              + ", ".join(f"{w} workers ~ {rate * w:,.0f} docs/s ({rate * w * 3600:,.0f} docs/h)" for w in (16, 64, 256)))
    print(f"wrote {out / 'results.json'}")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "_single":
        print(json.dumps(child_single(sys.argv[2], sys.argv[3], sys.argv[4] or None)))
    elif len(sys.argv) > 1 and sys.argv[1] == "_dask":
        print(json.dumps(child_dask(sys.argv[2], sys.argv[3], sys.argv[4] or None, int(sys.argv[5]), int(sys.argv[6]))))
    else:
        main()
