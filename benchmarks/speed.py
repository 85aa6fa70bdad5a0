"""Speed budget of the scoring path: cold start, warm throughput, peak memory.

Usage::

    python benchmarks/speed.py [--runs 3] [--sentences 400] [--out benchmarks/runs/speed-DATE]

Prints one table and writes it (with the raw timings and the arguments) as
JSON to ``--out``. Cold rows are whole-process wall times of fresh Python
processes (median of ``--runs``), run as ``python -c 'from spindetect.cli
import app; app()' ...`` so the pyenv shim in front of ``spindetect`` is not
timed. Warm throughput encodes the same sentences in one process with the
default backend and with a bare ``SentenceTransformer.encode`` (fp32), in
interleaved rounds. Peak RSS comes from ``wait4`` on each child.

Targets (issue 9; reported, never asserted): ``--help``/``info`` import no
torch and take ≤ 0.3 s; a cold one-file score ≤ 2 s; warm throughput ≥ 1.5×
bare sentence-transformers; peak RSS of a one-file score ≤ 400 MiB.

Timings are noisy on a shared machine: the load average before and after is
printed; compare ratios measured in the same run, not absolute numbers
across runs.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "spun_biden_putin_call.txt"
DATA = ROOT.parent / "shared" / "data" / "llmfake.jsonl.gz"
CLI = "import sys; sys.argv[0] = 'spindetect'; from spindetect.cli import app; app()"
HEAVY = ("torch", "transformers", "sentence_transformers", "sklearn", "onnxruntime")


def machine() -> str:
    """CPU count, model and Python version of this machine (benchmarks/pathological.py uses it too)."""
    model = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} CPUs, {model}, Python {platform.python_version()}"


def _run(argv: list[str], env: dict | None = None) -> tuple[float, float, int]:
    """Run a child; return (wall seconds, peak RSS MiB, exit code)."""
    t = time.perf_counter()
    p = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, cwd=ROOT)
    _, status, usage = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t
    p.returncode = os.waitstatus_to_exitcode(status)
    p.stderr.close()
    return wall, usage.ru_maxrss / 1024, p.returncode


def _cold(name: str, argv: list[str], runs: int, env: dict | None = None) -> dict:
    res = [_run(argv, env) for _ in range(runs)]
    return {
        "name": name,
        "wall_s": statistics.median(r[0] for r in res),
        "rss_mib": statistics.median(r[1] for r in res),
        "exit": sorted({r[2] for r in res}),
        "raw": res,
    }


def _heavy_imports(args: list[str]) -> str:
    """Which heavy modules a CLI invocation imports (run in a child)."""
    code = (
        "import sys; sys.argv[0] = 'spindetect'\n"
        "from spindetect.cli import app\n"
        f"try:\n    app({args!r}, standalone_mode=False)\nexcept SystemExit:\n    pass\n"
        "except Exception:\n    pass\n"
        f"print(','.join(m for m in {HEAVY!r} if m in sys.modules) or 'none')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    return out.stdout.strip().splitlines()[-1] if out.stdout.strip() else f"? ({out.stderr.strip()[-80:]})"


def _sentences(n: int) -> tuple[list[str], str]:
    from spindetect.segment import segment

    out: list[str] = []
    if DATA.is_file():
        # Read in place for timing only; nothing from the data is written out.
        with gzip.open(DATA, "rt", encoding="utf-8") as f:
            for line in f:
                row = json.loads(line)
                out += [s.norm for s in segment(row["original"])] + [s.norm for s in segment(row["rewritten"])]
                if len(out) >= n:
                    return out[:n], f"{n} sentences of shared/data/llmfake (in file order)"
    base = [s.norm for s in segment(SEED.read_text(encoding="utf-8"))]
    return (base * (n // len(base) + 1))[:n], f"{n} sentences: the seed article repeated"


def _bare_st(warm_up: list[str]):
    """The reference: a bare SentenceTransformer (fp32, torch), after one warm-up encode."""
    from spindetect.embed import Embedder

    ref = Embedder(backend="torch")
    ref._load()
    ref._model.encode(warm_up)
    return ref._model


def _st_encode(st, sents: list[str]):
    return st.encode(sents, batch_size=64, normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False)


def _interleaved(rounds: int, st, sents: list[str], run) -> tuple[list[float], list[float], object]:
    """Each round: time a bare ST encode of ``sents``, then ``run()``; return both timings and run's last result."""
    t_st, t_run, last = [], [], None
    for _ in range(rounds):
        t = time.perf_counter()
        _st_encode(st, sents)
        t_st.append(time.perf_counter() - t)
        t = time.perf_counter()
        last = run()
        t_run.append(time.perf_counter() - t)
    return t_st, t_run, last


def _warm(n: int, rounds: int) -> dict:
    import numpy as np

    from spindetect.embed import Embedder

    sents, what = _sentences(n)
    fast = Embedder()
    st = _bare_st(sents[:16])
    fast.encode(sents[:16])
    t_st, t_fast, e = _interleaved(rounds, st, sents, lambda: fast.encode(sents))
    cos = (e * _st_encode(st, sents)).sum(1)
    return {
        "sentences": what,
        "backend": fast.backend,
        "default_sent_s": n / statistics.median(t_fast),
        "st_sent_s": n / statistics.median(t_st),
        "ratio": statistics.median(t_st) / statistics.median(t_fast),
        "cos_min": float(cos.min()),
        "cos_mean": float(np.mean(cos)),
        "raw_default_s": t_fast,
        "raw_st_s": t_st,
    }


def _warm_scoring(n: int, modes: list[str], rounds: int) -> dict:
    """Whole-pipeline throughput (segment, artifacts, embed, LM, classify) per mode.

    After one warm-up, each round times a bare ``SentenceTransformer.encode``
    of the same sentences and then ``score_articles`` of the documents made
    from them, so the ratio compares the two under the same machine load
    (medians of ``rounds``).
    """
    from spindetect import modeldir
    from spindetect.detector import Detector
    from spindetect.types import Article

    sents, _ = _sentences(n)
    docs = [Article(path=f"doc{k}", text=" ".join(sents[k : k + 16])) for k in range(0, len(sents), 16)]
    st = _bare_st(sents[:16])
    out = {}
    for mode in modes:
        det = Detector.load(modeldir.default_model_dir(mode))
        det.score_articles(docs[:1])
        t_st, t_det, scored = _interleaved(rounds, st, sents, lambda: det.score_articles(docs))
        n_sent = sum(d.n_sentences for d in scored)
        sent_s, st_sent_s = n_sent / statistics.median(t_det), len(sents) / statistics.median(t_st)
        out[mode] = {
            "documents": len(docs), "sentences": n_sent, "sent_s": sent_s, "st_sent_s": st_sent_s,
            "ratio": sent_s / st_sent_s, "raw_score_s": t_det, "raw_st_s": t_st,
        }
    return out


def _lm_ready() -> bool:
    from spindetect.surprisal import find_prepared

    return find_prepared() is not None


def _model_present(mode: str = "fast") -> bool:
    from spindetect import modeldir

    try:
        modeldir.load_manifest(modeldir.default_model_dir(mode))
        return True
    except modeldir.ModelError:
        return False


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=3, help="cold runs per row (median reported)")
    ap.add_argument("--sentences", type=int, default=400, help="sentences for warm throughput")
    ap.add_argument("--rounds", type=int, default=3, help="interleaved warm rounds (median reported)")
    ap.add_argument("--out", help="folder for speed.json (default: benchmarks/runs/speed-<UTC time>)")
    args = ap.parse_args(argv)
    if args.runs < 1 or args.sentences < 1 or args.rounds < 1:
        ap.error("--runs, --sentences and --rounds must be at least 1")

    from spindetect.embed import Embedder

    default_backend = Embedder().backend
    py = sys.executable
    env_torch = {**os.environ, "SPINDETECT_BACKEND": "torch"}
    load0 = os.getloadavg()
    rows = [
        _cold("python -c pass", [py, "-c", "pass"], args.runs),
        _cold("python -c 'import sentence_transformers'", [py, "-c", "import sentence_transformers"], args.runs),
        _cold("spindetect --help", [py, "-c", CLI, "--help"], args.runs),
        _cold("spindetect info", [py, "-c", CLI, "info"], args.runs),
    ]
    model = _model_present()
    if model:
        rows.append(_cold(f"spindetect score seed ({default_backend})", [py, "-c", CLI, "score", str(SEED)], args.runs))
        rows.append(_cold("spindetect score seed (torch)", [py, "-c", CLI, "score", str(SEED)], args.runs, env_torch))
    accurate = _model_present("accurate") and _lm_ready()
    if accurate:
        rows.append(_cold("spindetect score --mode accurate seed", [py, "-c", CLI, "score", "--mode", "accurate", str(SEED)], args.runs))
    # Embedder alone (read + segment + encode the seed file), which needs no trained model.
    embed_only = (
        "import sys; from spindetect.embed import Embedder; from spindetect.segment import segment\n"
        "s = [x.norm for x in segment(open(sys.argv[1], encoding='utf-8').read())]\n"
        "Embedder().encode(s)\n"
    )
    rows.append(_cold(f"embed seed only ({default_backend})", [py, "-c", embed_only, str(SEED)], args.runs))
    rows.append(_cold("embed seed only (torch)", [py, "-c", embed_only, str(SEED)], args.runs, env_torch))
    warm = _warm(args.sentences, args.rounds)
    if model:
        warm["scoring"] = _warm_scoring(args.sentences, ["fast"] + (["accurate"] if accurate else []), args.rounds)
    load1 = os.getloadavg()
    result = {
        "machine": machine(),
        "load_avg_before_after": [load0[0], load1[0]],
        "default_backend": default_backend,
        "model_present": model,
        "heavy_imports": {"--help": _heavy_imports(["--help"]), "info": _heavy_imports(["info"])},
        "cold": rows,
        "warm": warm,
        "args": vars(args),
    }
    st_import = rows[1]["wall_s"]
    print(f"machine: {result['machine']}; load average {load0[0]:.1f} before, {load1[0]:.1f} after")
    print(f"default backend: {default_backend}; shipped model present: {model}")
    print(f"{'cold (whole process, median of ' + str(args.runs) + ')':<52} {'wall s':>7} {'÷ ST import':>11} {'peak MiB':>9}  exit")
    for r in rows:
        print(f"{r['name']:<52} {r['wall_s']:7.2f} {r['wall_s'] / st_import:11.2f} {r['rss_mib']:9.0f}  {','.join(map(str, r['exit']))}")
    print(f"heavy modules imported: --help: {result['heavy_imports']['--help']}; info: {result['heavy_imports']['info']}")
    print(
        f"warm ({warm['sentences']}, median of {args.rounds}): {warm['backend']} {warm['default_sent_s']:.1f} sent/s, "
        f"bare SentenceTransformer.encode {warm['st_sent_s']:.1f} sent/s, ratio {warm['ratio']:.2f}x; "
        f"cosine to ST min {warm['cos_min']:.5f} mean {warm['cos_mean']:.5f}"
    )
    out = Path(args.out) if args.out else ROOT / "benchmarks" / "runs" / time.strftime("speed-%Y%m%dT%H%M%SZ", time.gmtime())
    out.mkdir(parents=True, exist_ok=True)
    (out / "speed.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    for mode, r in warm.get("scoring", {}).items():
        print(
            f"warm full scoring, {mode} mode ({r['documents']} documents, {r['sentences']} sentences, median of {args.rounds}): "
            f"{r['sent_s']:.1f} sent/s = {r['ratio']:.2f}x bare SentenceTransformer.encode in the same rounds ({r['st_sent_s']:.1f} sent/s)"
        )
    print(f"wrote {out / 'speed.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
