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

#: Strongest reasons listed in a document's summary (the issue asks for three).
TOP_REASONS = 3
#: Bars of the sentence-score histogram in the summary: equal bins over [0, 1].
HISTOGRAM_BINS = 10

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


def _sentence_view(s: dict) -> dict:
    """What the template needs of one sentence: text cut into pieces, shading, whether it is flagged."""
    reasons = s.get("reasons") or []
    return {
        "index": s["index"],
        "text": s["text"],
        "score": float(s["score"]),
        "reasons": reasons,
        "words": s.get("words") or [],
        "pieces": _pieces(s),
        "flagged": float(s["score"]) >= FLAG_SCORE or bool(reasons),
        "colour": score_colour(s["score"]),
    }


def _paragraphs(d: dict) -> list[list[dict]]:
    """The document's sentence views grouped by its ``paragraphs`` ranges (``segment.paragraphs``).

    A dict without paragraph ranges (JSON written before they existed) is one paragraph.

    Raises
    ------
    ValueError
        The ranges do not cover every sentence once, in order.
    """
    sents = sorted(d["sentences"], key=lambda s: s["index"])
    ranges = d.get("paragraphs") or ([[0, len(sents)]] if sents else [])
    if [k for a, b in ranges for k in range(a, b)] != list(range(len(sents))):
        raise ValueError(f"{d['path']}: paragraphs {ranges} do not cover its {len(sents)} sentences once, in order")
    return [[_sentence_view(s) for s in sents[a:b]] for a, b in ranges]


def top_reasons(d: dict, k: int = TOP_REASONS) -> list[dict]:
    """A document's strongest evidence: its notes (the strong rule firing), then kinds of reason.

    Reasons are grouped by code and ranked by the model's weight on the code
    summed over the sentences giving it (how hard and how often it pushed
    towards "rewritten"); codes whose sum is not positive push the other way
    and are left out.

    Parameters
    ----------
    d : dict
        ``DocumentScore.to_dict()``.
    k : int
        At most this many items.

    Returns
    -------
    list of dict
        ``{"code", "message", "sentences", "weight"}``; ``message`` is that of
        the highest-scoring sentence giving the code, ``sentences`` the indexes
        giving it in reading order (notes: code "note", no sentences, weight None).
    """
    out = [{"code": "note", "message": n, "sentences": [], "weight": None} for n in d.get("notes") or []]
    groups: dict[str, dict] = {}
    for s in sorted(d["sentences"], key=lambda s: (-float(s["score"]), s["index"])):
        for r in s.get("reasons") or []:
            g = groups.setdefault(r["code"], {"code": r["code"], "message": r["message"], "sentences": [], "weight": 0.0})
            g["weight"] += float(r["weight"])
            if s["index"] not in g["sentences"]:
                g["sentences"].append(s["index"])
    ranked = sorted((g for g in groups.values() if g["weight"] > 0), key=lambda g: (-g["weight"], g["code"]))
    return [{**g, "sentences": sorted(g["sentences"])} for g in out + ranked][: max(k, 0)]


def histogram(scores: list[float], bins: int = HISTOGRAM_BINS) -> list[dict]:
    """Sentence scores counted in ``bins`` equal bins over [0, 1] (1.0 falls in the last).

    Returns
    -------
    list of dict
        ``{"low", "high", "count", "colour"}`` per bin, in order; the colour is that of the bin's middle.
    """
    counts = [0] * bins
    for x in scores:
        counts[min(int(min(max(float(x), 0.0), 1.0) * bins), bins - 1)] += 1
    return [{"low": k / bins, "high": (k + 1) / bins, "count": c, "colour": score_colour((k + 0.5) / bins)}
            for k, c in enumerate(counts)]


def _side_by_side(d: dict, paragraphs: list[list[dict]]) -> list[list[dict]] | None:
    """Each paragraph's sentences with their aligned source pair (or None), when reference mode found a source."""
    source = (d.get("reference") or {}).get("source")
    if not source:
        return None
    pairs = {p["sentence"]: p for p in source["pairs"]}
    return [[{"index": s["index"], "text": s["text"], "pair": pairs.get(s["index"])} for s in para] for para in paragraphs]


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
        Reference mode's keys, when present, are shown too: ``verdict``
        (``{"label", "by", "why"}``) in the summary, and ``reference`` -- its
        source (or "no source found in N documents") in the summary and the
        source's aligned sentences side by side with the article's.
    title : str
        Page title and heading.

    Returns
    -------
    str
        A complete, self-contained HTML document (inline CSS, no scripts,
        no external resources). Each article is a ``section.doc``: a summary
        (label, score against threshold, ``top_reasons``, an SVG
        ``histogram`` of sentence scores), then its paragraphs, in which every
        sentence is a ``span.s`` with ``data-index`` and ``data-score``.

    Raises
    ------
    KeyError
        A document dict lacks a field of ``DocumentScore.to_dict()``.
    ValueError
        A document's ``paragraphs`` do not cover its sentences.
    """
    from .version import __version__

    views = []
    models = []
    for d in docs:
        paras = _paragraphs(d)
        views.append({
            **d, "paragraphs": paras, "top_reasons": top_reasons(d),
            "histogram": histogram([s["score"] for s in d["sentences"]]),
            "n_flagged": sum(1 for p in paras for s in p if s["flagged"]),
            "side_by_side": _side_by_side(d, paras),
        })
        m = f"{d['model']['name']} {d['model']['version']}"
        if m not in models:
            models.append(m)
    return _env().get_template("report.html.j2").render(
        title=title, docs=views, models=models, version=__version__, legend=_legend(), flag=FLAG_SCORE,
        score_colour=score_colour,
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
