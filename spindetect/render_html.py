"""Self-contained HTML pages: the score report and the compare view.

Pages are rendered with Jinja2 (autoescaped) from the same plain dicts the
JSON output prints -- ``DocumentScore.to_dict()`` and ``Comparison.to_dict()``
-- so HTML cannot disagree with JSON. CSS is inline and nothing is fetched:
a page works offline and as a mail attachment.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

#: A sentence at or above this score (or with artifacts) is outlined, focusable
#: and shows its reasons; 0.5 = "as likely rewritten as not" for a calibrated score.
FLAG_SCORE = 0.5
#: Colour stops of the sentence shading (score, hue in degrees): green -> amber -> red.
_STOPS = ((0.0, 120.0), (0.5, 45.0), (1.0, 0.0))

TEMPLATES = Path(__file__).parent / "templates"


@lru_cache(maxsize=1)
def _env():
    import jinja2

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def score_colour(score: float) -> str:
    """Background colour of a sentence with ``score`` in [0, 1] (clamped), as CSS ``hsl()``."""
    x = min(max(float(score), 0.0), 1.0)
    for (a, ha), (b, hb) in zip(_STOPS, _STOPS[1:]):
        if x <= b:
            hue = ha + (hb - ha) * (x - a) / (b - a)
            break
    # Lighter at the low end so unsuspicious text reads as plain text.
    light = 94 - 22 * x
    return f"hsl({hue:.0f}, 85%, {light:.0f}%)"


def _legend() -> list[dict]:
    return [{"pct": int(100 * k / 4), "colour": score_colour(k / 4)} for k in range(5)]


def _paragraphs(sentences: list[dict]) -> list[list[dict]]:
    """Group sentences into paragraphs: a gap of 2+ characters between them is taken as a line break.

    The JSON output carries sentence offsets but not the article text, so
    paragraph breaks are inferred from the offsets.
    """
    paras: list[list[dict]] = []
    prev_end = None
    for s in sorted(sentences, key=lambda s: s["index"]):
        reasons = s.get("reasons") or []
        view = {
            "index": s["index"],
            "text": s["text"],
            "score": float(s["score"]),
            "reasons": reasons,
            "words": s.get("words") or [],
            "pieces": _pieces(s),
            "flagged": float(s["score"]) >= FLAG_SCORE or bool(reasons),
            "colour": score_colour(s["score"]),
        }
        if prev_end is None or s["start"] - prev_end >= 2:
            paras.append([])
        paras[-1].append(view)
        prev_end = s["end"]
    return paras


def _pieces(s: dict) -> list[dict]:
    """The sentence text cut into plain runs and suspicious words (``word`` true), in order."""
    text, base, out, at = s["text"], s["start"], [], 0
    for w in sorted(s.get("words") or [], key=lambda w: w["start"]):
        a, b = w["start"] - base, w["end"] - base
        if not at <= a < b <= len(text):
            continue
        if a > at:
            out.append({"text": text[at:a], "word": False})
        out.append({"text": text[a:b], "word": True, "score": float(w["score"])})
        at = b
    if at < len(text):
        out.append({"text": text[at:], "word": False})
    return out


def render_report(docs: list[dict], title: str) -> str:
    """One HTML page for scored documents.

    Parameters
    ----------
    docs : list of dict
        ``DocumentScore.to_dict()`` of each article, in the order to show.
    title : str
        Page title and heading.

    Returns
    -------
    str
        A complete, self-contained HTML document (inline CSS, no scripts,
        no external resources). Every sentence is a ``span.s`` with
        ``data-index`` and ``data-score``.

    Raises
    ------
    KeyError
        A document dict lacks a field of ``DocumentScore.to_dict()``.
    """
    from .version import __version__

    views = []
    models = []
    for d in docs:
        views.append({**d, "paragraphs": _paragraphs(d["sentences"])})
        m = f"{d['model']['name']} {d['model']['version']}"
        if m not in models:
            models.append(m)
    return _env().get_template("report.html.j2").render(
        title=title, docs=views, models=models, version=__version__, legend=_legend(), flag=FLAG_SCORE
    )


def render_compare(result: dict, title: str | None = None) -> str:
    """One HTML page for a ``Comparison.to_dict()``: verdict, aligned pairs with word diffs, leftovers.

    Parameters
    ----------
    result : dict
        ``spindetect.compare.Comparison.to_dict()``.
    title : str, optional
        Page title (default: "SUSPECT vs ORIGINAL").

    Returns
    -------
    str
        A complete, self-contained HTML document.
    """
    from .version import __version__

    title = title or f"{result['suspect']} vs {result['original']}"
    pairs = [{**p, "colour": score_colour(p["similarity"])} for p in result["pairs"]]
    return _env().get_template("compare.html.j2").render(
        title=title, r=result, pairs=pairs, version=__version__, legend=_legend(), flag=FLAG_SCORE
    )
