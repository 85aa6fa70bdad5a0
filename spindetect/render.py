"""Render document scores: table (rich), json, jsonl, csv.

Every format is built from ``DocumentScore.to_dict()``, so they cannot
disagree. Writers take a text stream and write as they go (jsonl/csv stream).
"""

from __future__ import annotations

import csv
import json
from typing import IO, Iterable

from .types import DocumentScore

CSV_FIELDS = ("path", "id", "doc_score", "label", "index", "start", "end", "score", "reasons", "text")


def to_json(doc: DocumentScore) -> str:
    """One document as compact, key-sorted JSON (byte-identical across runs)."""
    return json.dumps(doc.to_dict(), ensure_ascii=False, sort_keys=True)


def write_jsonl(docs: Iterable[DocumentScore], out: IO[str]) -> None:
    for doc in docs:
        out.write(to_json(doc) + "\n")
        out.flush()


def write_json(docs: Iterable[DocumentScore], out: IO[str]) -> None:
    out.write("[")
    for k, doc in enumerate(docs):
        out.write(("," if k else "") + "\n" + to_json(doc))
        out.flush()
    out.write("\n]\n")


class CsvWriter:
    """One row per sentence; the header is written once."""

    def __init__(self, out: IO[str], header: bool = True):
        self._w = csv.DictWriter(out, fieldnames=CSV_FIELDS, lineterminator="\n")
        if header:
            self._w.writeheader()
        self._out = out

    def write(self, doc: DocumentScore) -> None:
        for s in doc.sentences:
            self._w.writerow(
                {
                    "path": doc.path, "id": doc.id or "", "doc_score": doc.score, "label": doc.label,
                    "index": s.index, "start": s.start, "end": s.end, "score": s.score,
                    "reasons": ";".join(r.code for r in s.reasons), "text": s.text,
                }
            )
        self._out.flush()


def _shade(score: float) -> str:
    return "bold red" if score >= 0.75 else "red" if score >= 0.5 else "yellow" if score >= 0.25 else "green"


def table_detail(doc: DocumentScore, top: int):
    """A rich renderable: document verdict, then the ``top`` highest-scoring sentences with reasons."""
    from rich.console import Group
    from rich.text import Text

    head = Text()
    head.append(f"{doc.path}\n", style="bold")
    head.append(f"score {doc.score:.3f}  ", style=_shade(doc.score))
    head.append(f"label {doc.label.upper()}", style="bold " + {"spun": "red", "unscorable": "yellow"}.get(doc.label, "green"))
    head.append(
        f"  (threshold {doc.threshold:.3f}, {doc.n_sentences} sentences, model {doc.model['name']} {doc.model['version']})",
        style="dim",
    )
    for n in doc.notes:
        head.append(f"\n{n}", style="magenta")
    for w in doc.warnings:
        head.append(f"\nwarning: {w}", style="yellow")
    if doc.reference is not None:
        return Group(head, *reference_view(doc), _sentence_table(doc, top))
    return Group(head, _sentence_table(doc, top))


def _sentence_table(doc: DocumentScore, top: int):
    """The ``top`` highest-scoring sentences with their reasons and words."""
    from rich.table import Table
    from rich.text import Text

    t = Table(show_header=True, header_style="bold", expand=True, box=None, padding=(0, 1))
    t.add_column("#", justify="right", width=4)
    t.add_column("score", justify="right", width=6)
    t.add_column("sentence", ratio=1)
    ranked = sorted(doc.sentences, key=lambda s: (-s.score, s.index))[: max(top, 0)]
    for s in ranked:
        body = Text(s.text)
        for r in s.reasons:
            a, b = r.start - s.start, r.end - s.start
            if 0 <= a < b <= len(s.text):
                body.stylize("underline bold magenta", a, b)
        _style_words(body, s)
        for r in s.reasons:
            body.append(f"\n  ↳ {r.code}: {r.message}", style="magenta")
        t.add_row(str(s.index), Text(f"{s.score:.3f}", style=_shade(s.score)), body)
    return t


def reference_view(doc: DocumentScore) -> list:
    """Reference mode: the verdict and why, then the aligned sentences with word diffs (source -> document)."""
    from rich.table import Table
    from rich.text import Text

    v, ref = doc.verdict, doc.reference
    out = [Text(f"verdict {v.label.upper()} (by {v.by}): {v.why}",
                style="bold " + ("red" if v.label in ("spun", "derived") else "green"))]
    if ref.source is None or not ref.source.pairs:
        return out
    t = Table(show_header=True, header_style="bold", expand=True, box=None, padding=(0, 1))
    t.add_column("#", justify="right", width=5)
    t.add_column("src", justify="right", width=5)
    t.add_column("sim", justify="right", width=5)
    t.add_column(f"{ref.source.path} -> document", ratio=1)
    for p in ref.source.pairs:
        body = Text()
        for k, op in enumerate(p.diff):
            body.append((" " if k else "") + op["text"], style={"delete": "strike red", "insert": "bold green"}.get(op["op"], ""))
        t.add_row("+".join(map(str, p.sentences)), "+".join(map(str, p.source_index)), f"{p.similarity:.2f}", body)
    return out + [t]


def _style_words(body, s) -> None:
    """Underline the sentence's suspicious words (word-level evidence) in cyan."""
    for w in s.words:
        a, b = w.start - s.start, w.end - s.start
        if 0 <= a < b <= len(s.text):
            body.stylize("underline cyan", a, b)


def table_summary(docs: list[DocumentScore]):
    from rich.table import Table
    from rich.text import Text

    t = Table(show_header=True, header_style="bold", box=None, padding=(0, 1))
    ref = any(d.reference is not None for d in docs)
    for col in ("score", "label", "sentences", "path") + (("verdict", "source") if ref else ()):
        t.add_column(col)
    for d in docs:
        row = [Text(f"{d.score:.3f}", style=_shade(d.score)), d.label, str(d.n_sentences), d.path]
        if ref:
            src = d.reference.source if d.reference else None
            row += [f"{d.verdict.label} (by {d.verdict.by})" if d.verdict else "",
                    f"{src.path} ({src.similarity:.2f}{'' if src.derived else ', not derived'})" if src else f"none of {d.reference.searched}" if d.reference else ""]
        t.add_row(*row)
    return t


#: A sentence is "flagged" in the explain view at this sentence probability.
EXPLAIN_MIN_SCORE = 0.5


def explain_view(doc: DocumentScore):
    """Every flagged sentence (score >= 0.5 or any reason) in reading order, each reason with the text it points at."""
    from rich.console import Group
    from rich.text import Text

    parts = [table_detail(doc, 0).renderables[0]]
    flagged = [s for s in doc.sentences if s.score >= EXPLAIN_MIN_SCORE or s.reasons]
    if not flagged:
        parts.append(Text("no sentence flagged", style="green"))
    for s in flagged:
        t = Text()
        t.append(f"\n[{s.index}] ", style="bold")
        t.append(f"{s.score:.3f} ", style=_shade(s.score))
        body = Text(s.text)
        for r in s.reasons:
            a, b = r.start - s.start, r.end - s.start
            if 0 <= a < b <= len(s.text):
                body.stylize("underline bold magenta", a, b)
        _style_words(body, s)
        t.append_text(body)
        for r in s.reasons:
            span = s.text[r.start - s.start : r.end - s.start]
            t.append(f"\n    {r.code}: {r.message} — “{span}” (weight {r.weight:+.2f})", style="magenta")
        parts.append(t)
    return Group(*parts)


# ---------------------------------------------------------------- other commands' views
# Each returns the renderables a command prints in order (``console.print(x)`` for each).


def compare_view(r: dict) -> list:
    """``spindetect compare``: the verdict, the pair evidence and the aligned sentences with word diffs.

    ``r`` is the command's JSON object (``compare.to_dict``).
    """
    from rich.table import Table
    from rich.text import Text

    out = [
        Text(r["verdict"], style="bold red" if r["is_rewrite"] else "bold green"),
        Text(
            f"pair score {r['similarity']:.2f}; coverage {100 * r['coverage']:.1f} % of words, {100 * r['sentence_share']:.1f} % of sentences; "
            f"links at cosine >= {r['min_similarity']:.2f}; embedder {r['embedder']}",
            style="dim",
        ),
    ]
    t = Table(show_header=True, header_style="bold", expand=True, box=None, padding=(0, 1))
    for col, kw in (("sus", {"justify": "right", "width": 5}), ("orig", {"justify": "right", "width": 5}),
                    ("sim", {"justify": "right", "width": 5}), ("kind", {"width": 6}), ("original -> suspect", {"ratio": 1})):
        t.add_column(col, **kw)
    for p in r["pairs"]:
        body = Text()
        for k, op in enumerate(p["diff"]):
            if k:
                body.append(" ")
            style = {"delete": "strike red", "insert": "bold green"}.get(op["op"], "")
            body.append(op["text"], style=style)
        t.add_row("+".join(map(str, p["suspect"])), "+".join(map(str, p["original"])), f"{p['similarity']:.2f}", p["kind"], body)
    out.append(t)
    if r["inserted"]:
        out.append(Text(f"\nsuspect sentences with no source ({len(r['inserted'])}):", style="bold"))
        out += [Text(f"  [{s['index']}] {s['text']}") for s in r["inserted"]]
    if r["dropped"]:
        out.append(Text(f"original sentences not used: {len(r['dropped'])}", style="dim"))
    return out


def find_view(r: dict) -> list:
    """``spindetect find``: one suspect's ranked sources and, when one is found, its aligned sentences."""
    from rich.table import Table
    from rich.text import Text

    out: list = [Text(r["path"], style="bold")]
    if not r["source_found"]:
        best = r["matches"][0]["score"] if r["matches"] else 0.0
        out.append(Text(f"  no source found (best match score {best:.3f} < {r['min_score']:.3f})", style="green"))
    t = Table(show_header=True, header_style="bold", box=None, padding=(0, 1))
    for col in ("rank", "score", "aligned", "source"):
        t.add_column(col)
    for k, m in enumerate(r["matches"], 1):
        t.add_row(str(k), f"{m['score']:.3f}", str(m["n_aligned"]), m["source"])
    if r["matches"]:
        out.append(t)
    if r["source_found"] and r["best"]:
        bt = Table(show_header=True, header_style="bold", expand=True, box=None, padding=(0, 1))
        bt.add_column("sim", justify="right", width=5)
        bt.add_column("suspect", ratio=1)
        bt.add_column("source", ratio=1)
        for p in r["best"]["pairs"]:
            bt.add_row(f"{p['similarity']:.2f}", p["suspect_text"], p["source_text"])
        out.append(Text(f"aligned sentences of {r['best']['source']}:", style="bold"))
        out.append(bt)
    out.append("")
    return out


def _fmt(x, digits: int = 3) -> str:
    if x is None:
        return "n/a"
    if isinstance(x, float):
        return f"{x:.{digits}f}"
    return str(x)


def bench_tables(m: dict) -> list:
    """``spindetect bench``: the metrics table and, with groups, the per-group table (``m``: the metrics JSON)."""
    from rich.table import Table

    t = Table(title=f"spindetect bench: {m['model']['name']} {m['model']['version']}, threshold {m['threshold']:.3f}", title_justify="left")
    t.add_column("metric")
    t.add_column("value", justify="right")
    cm = m["confusion_matrix"]
    s = m["sentence_level"]
    tp = m["throughput"]
    rows = [
        ("documents (spun / original)", f"{m['n']} ({m['n_pos']} / {m['n_neg']})"),
        ("ROC AUC", _fmt(m["roc_auc"])),
        ("PR AUC (average precision)", _fmt(m["pr_auc"])),
        ("accuracy", _fmt(m["accuracy"])),
        ("precision", _fmt(m["precision"])),
        ("recall", _fmt(m["recall"])),
        ("F1", _fmt(m["f1"])),
        ("false-positive rate at the threshold", _fmt(m["fpr"])),
        ("TPR at 1% FPR (threshold)", f"{_fmt(m['tpr_at_fpr_1pct'])} ({_fmt(m['threshold_at_fpr_1pct'])})"),
        ("TPR at 5% FPR (threshold)", f"{_fmt(m['tpr_at_fpr_5pct'])} ({_fmt(m['threshold_at_fpr_5pct'])})"),
        ("Brier score", _fmt(m["brier"])),
        ("ECE (10 uniform bins)", _fmt(m["ece"])),
        ("confusion tn / fp / fn / tp", f"{cm['tn']} / {cm['fp']} / {cm['fn']} / {cm['tp']}"),
        ("pairs: rewrite outscores its original", f"{_fmt(m['pair_win_rate'])} ({m['n_pairs']} pairs)"),
        ("sentence ROC AUC, changed vs copied", f"{_fmt(m['sentence_roc_auc'])} ({s['n_pos']} changed / {s['n_neg']} copied)"),
        ("sentence ROC AUC, changed vs original docs", _fmt(s["roc_auc_vs_originals"])),
        ("throughput", f"{_fmt(tp['documents_per_s'], 1)} docs/s, {_fmt(tp['sentences_per_s'], 1)} sentences/s"),
        ("wall time", f"{tp['wall_s']:.1f} s"),
    ]
    for name, value in rows:
        t.add_row(name, value)
    out = [t]
    if m["groups"]:
        g = Table(title=f"by {m['group_by']} (worst ROC AUC first; undefined last)", title_justify="left")
        g.add_column("group", overflow="fold", min_width=16)
        # PR AUC, Brier and the rest are in --format json / metrics.json.
        for col in ("n", "spun", "orig", "ROC AUC", "F1", "FPR", "TPR@1%", "TPR@5%", "ECE", "sent AUC", "pair win"):
            g.add_column(col, justify="right", no_wrap=True)
        for r in m["groups"]:
            g.add_row(
                r["group"], str(r["n"]), str(r["n_pos"]), str(r["n_neg"]), _fmt(r["roc_auc"]),
                _fmt(r["f1"]), _fmt(r["fpr"]), _fmt(r["tpr_at_fpr_1pct"]), _fmt(r["tpr_at_fpr_5pct"]), _fmt(r["ece"]), _fmt(r["sentence_roc_auc"]),
                _fmt(r["pair_win_rate"]),
            )
        out.append(g)
    return out
