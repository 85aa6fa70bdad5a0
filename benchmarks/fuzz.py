"""Fuzz the reader and the segmenter with many hypothesis examples.

Runs the properties of ``tests/test_fuzz_inputs.py`` (same strategies, same
checks) with far more examples than the default test run: for any input,
``read_bytes`` returns an Article or raises ReadError, nothing else, and every
sentence satisfies ``text[s.start:s.end] == s.text``.

    python benchmarks/fuzz.py --examples 10000 --out benchmarks/runs/fuzz

``--examples`` is the total, split over the properties by the weights below.
Writes ``result.json`` (arguments, per-property counts, failures with their
minimal example, seconds) to ``--out``; exits 1 if any property failed.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import tempfile
import time
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from hypothesis import HealthCheck, Phase, given, seed, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from tests import test_fuzz_inputs as props  # noqa: E402

#: (name, share of the examples, strategy, check). Random bytes get the
#: largest share: they are the cheapest and the most hostile.
PROPERTIES = [
    ("read_bytes(random bytes)", 0.30, st.tuples(props.any_bytes), lambda d: props.check_read(d)),
    ("read_bytes(spliced prose, .txt/.md/.html/-)", 0.20,
     st.tuples(props.spliced_bytes, st.sampled_from(["a.txt", "a.md", "a.html", "-"])), props.check_read),
    ("read_bytes(random unicode, 10 encodings)", 0.15, st.tuples(props.any_text, st.sampled_from(props.ENCODINGS)),
     lambda t, e: props.check_read(props._encode(t, e))),
    ("read_bytes(random unicode, html=True)", 0.05, st.tuples(props.any_text),
     lambda t: props.check_read(t.encode("utf-8", "surrogatepass"), "x.txt", html=True)),
    ("read_bytes(random unicode, markdown=True)", 0.05, st.tuples(props.any_text),
     lambda t: props.check_read(t.encode("utf-8", "surrogatepass"), "x.md")),
    ("segment(random unicode)", 0.15, st.tuples(st.one_of(props.any_text, props.mixed_text)), None),
    ("strip_markdown(random unicode)", 0.08, st.tuples(st.one_of(props.any_text, props.mixed_text)), props.check_markdown),
    ("iter_jsonl_articles(random lines)", 0.02, None, None),
]


def run_property(name, n, strategy, check, rng_seed):
    """Run one property for ``n`` examples; return (examples run, failure or None)."""
    count = 0

    @seed(rng_seed)
    @settings(
        max_examples=n,
        deadline=None,
        database=None,
        derandomize=False,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.generate, Phase.shrink],
    )
    @given(strategy)
    def prop(args):
        nonlocal count
        count += 1
        check(*args)

    try:
        prop()
    except Exception as e:  # the minimal failing example is in hypothesis's note
        notes = "\n".join(getattr(e, "__notes__", []))
        return count, {"error": f"{type(e).__name__}: {e}"[:2000], "example": notes[:4000],
                       "traceback": traceback.format_exc(limit=6)[-3000:]}
    return count, None


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--examples", type=int, default=10_000, help="total examples over all properties")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", default="benchmarks/runs/fuzz", help="folder for result.json")
    args = ap.parse_args(argv)
    if args.examples < len(PROPERTIES):
        ap.error(f"--examples must be at least {len(PROPERTIES)}")

    results, total, t_all = [], 0, time.perf_counter()
    for k, (name, share, strategy, check) in enumerate(PROPERTIES):
        n = max(1, round(args.examples * share))
        t = time.perf_counter()
        if name.startswith("segment"):
            check = props.check_sentences
        if name.startswith("iter_jsonl"):
            with tempfile.TemporaryDirectory() as tmp:
                counter = iter(range(10**9))
                def jsonl_check(ls, gz):
                    d = Path(tmp) / str(next(counter))
                    d.mkdir()
                    props.check_jsonl(ls, d, gz)
                count, failure = run_property(name, n, st.tuples(props.jsonl_lines, st.booleans()), jsonl_check, args.seed + k)
        else:
            count, failure = run_property(name, n, strategy, check, args.seed + k)
        secs = time.perf_counter() - t
        total += count
        results.append({"property": name, "examples": count, "seconds": round(secs, 1), "failure": failure})
        status = "ok" if failure is None else "FAILED"
        print(f"{status:6} {count:6d} examples {secs:7.1f} s  {name}", flush=True)
        if failure:
            print("       " + failure["error"].splitlines()[0][:300])
            print("       " + failure["example"].replace("\n", "\n       ")[:1500])

    seconds = time.perf_counter() - t_all
    failed = [r["property"] for r in results if r["failure"]]
    print(f"total {total} examples in {seconds:.0f} s; {len(failed)} failing propert{'y' if len(failed) == 1 else 'ies'}")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "result.json").write_text(json.dumps({
        "args": vars(args), "total_examples": total, "seconds": round(seconds, 1), "failed": failed,
        "python": platform.python_version(), "properties": results,
    }, indent=2))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
