"""HTML report: rendered from DocumentScore dicts, checked as markup and in headless Chromium."""

import html.parser
import shutil
import subprocess
from pathlib import Path

import pytest

from spindetect.compare import diff_words
from spindetect.render_html import FLAG_SCORE, HISTOGRAM_BINS, histogram, render_compare, render_report, score_colour, top_reasons

from . import texts

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run",
    "--disable-component-update", "--disable-sync", "--hide-scrollbars",
]


def _doc(path, sentences, score=0.7, label="spun", paragraphs=None):
    """A DocumentScore.to_dict()-shaped dict from (text, score, reasons) triples (one paragraph unless given)."""
    sents, pos = [], 0
    for k, (text, s, reasons) in enumerate(sentences):
        sents.append({"index": k, "start": pos, "end": pos + len(text), "text": text, "score": s, "reasons": reasons})
        pos += len(text) + 1
    return {
        "path": path, "score": score, "label": label, "threshold": 0.5, "model": {"name": "spindetect-test", "version": "0"},
        "n_sentences": len(sents), "sentences": sents, "encoding": "utf-8", "warnings": [], "id": None,
        "paragraphs": paragraphs if paragraphs is not None else ([[0, len(sents)]] if sents else []),
    }


TRICKY = _doc(
    "<script>alert(1)</script>.txt",
    [
        ("Plain first sentence.", 0.1, []),
        ('A "quoted" <b>tag</b> & ampersand.', 0.9, [{"code": "synonym", "message": "odd <word> choice", "start": 22, "end": 30, "weight": 1.0}]),
        ("Ünïcödé — 市议会 🎉.", 0.5, []),
    ],
)


class _Spans(html.parser.HTMLParser):
    """Collect span.s elements (attributes + text), tooltips and sections from a page."""

    def __init__(self):
        super().__init__()
        self.sentences, self.tips, self.sections, self._open, self._depth = [], {}, [], None, 0
        self.body = {}

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "body":
            self.body = a
        if tag == "section" and "data-score" in a:
            self.sections.append(a)
        cls = (a.get("class") or "").split()
        if tag == "span" and "s" in cls:
            self._open = {"attrs": a, "text": "", "section": len(self.sections)}
            self.sentences.append(self._open)
        elif tag == "span" and "tip" in cls:
            self.tips[a["id"]] = a

    def handle_endtag(self, tag):
        if tag == "span":
            self._open = None

    def handle_data(self, data):
        if self._open is not None:
            self._open["text"] += data


def _parse(page):
    p = _Spans()
    p.feed(page)
    return p


def test_colour_scale_is_monotone_in_hue():
    hues = [int(score_colour(k / 10).split("(")[1].split(",")[0]) for k in range(11)]
    assert hues == sorted(hues, reverse=True) and hues[0] == 120 and hues[-1] == 0
    assert score_colour(-3) == score_colour(0) and score_colour(7) == score_colour(1)


def test_markup_escapes_and_keeps_every_sentence():
    page = render_report([TRICKY], "Report <title>")
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
    assert "<title>Report &lt;title&gt;</title>" in page
    assert "<b>tag</b>" not in page and "odd &lt;word&gt; choice" in page
    p = _parse(page)
    assert [(s["attrs"]["data-index"], float(s["attrs"]["data-score"]), s["text"]) for s in p.sentences] == [
        (str(s["index"]), s["score"], s["text"]) for s in TRICKY["sentences"]
    ]
    flagged = [s for s in p.sentences if "flagged" in s["attrs"]["class"]]
    assert [s["attrs"]["data-index"] for s in flagged] == ["1", "2"]  # score >= FLAG_SCORE or reasons
    for s in flagged:
        assert s["attrs"]["tabindex"] == "0"
        assert p.tips[s["attrs"]["aria-describedby"]]["role"] == "tooltip"
    assert "tabindex" not in p.sentences[0]["attrs"] and "title" in p.sentences[0]["attrs"]
    assert FLAG_SCORE == 0.5


def test_self_contained_and_deterministic():
    page = render_report([TRICKY, _doc("b.txt", [("One.", 0.2, [])], 0.1, "original")], "t")
    assert page == render_report([TRICKY, _doc("b.txt", [("One.", 0.2, [])], 0.1, "original")], "t")
    for external in ("http://", "https://", "<link", "src=", "@import"):
        assert external not in page
    assert 'href="#doc-1"' in page and 'href="#doc-2"' in page and "How to read this" in page
    assert "spindetect-test 0" in page


def test_empty_inputs():
    page = render_report([], "nothing")
    assert "0 articles" in page
    assert _parse(render_report([_doc("e.txt", [], 0.0, "original")], "e")).sentences == []


@pytest.fixture(scope="module")
def shipped_detector():
    from spindetect import Detector
    from spindetect.modeldir import ModelError

    try:
        return Detector.load()
    except ModelError as e:
        pytest.skip(f"no shipped model to score with: {e}")


def test_real_scores(shipped_detector):
    detector = shipped_detector
    docs = [detector.score(texts.HUMAN_NEWS, "human.txt").to_dict(), detector.score(texts.SPUN_NEWS, "spun.txt").to_dict()]
    p = _parse(render_report(docs, "real"))
    got = [(s["section"], int(s["attrs"]["data-index"]), round(float(s["attrs"]["data-score"]), 4)) for s in p.sentences]
    want = [(k + 1, s["index"], round(s["score"], 4)) for k, d in enumerate(docs) for s in d["sentences"]]
    assert got == want


def test_compare_page_markup():
    result = {
        "original": "o.txt", "suspect": "s.txt", "verdict": "s.txt is a rewrite of o.txt: 50 % ...", "is_rewrite": True,
        "coverage": 0.5, "sentence_share": 0.5, "score": 0.4, "threshold": 0.3, "threshold_note": "note <x>",
        "min_similarity": 0.55, "embedder": "e", "n_suspect": 2, "n_original": 1,
        "pairs": [{"suspect": [0], "original": [0], "similarity": 0.8, "kind": "match", "suspect_text": "A b.", "original_text": "A c.",
                   "diff": [{"op": "equal", "text": "A"}, {"op": "delete", "text": "c."}, {"op": "insert", "text": "b."}]}],
        "inserted": [{"index": 1, "text": "New <i>thing</i>."}], "dropped": [],
    }
    page = render_compare(result)
    assert "<del>c.</del>" in page and "<ins>b.</ins>" in page and "New &lt;i&gt;thing" in page and "note &lt;x&gt;" in page
    assert 'data-similarity="0.8000"' in page


def _tree(page):
    import lxml.html

    return lxml.html.fromstring(page)


def _words(el):
    return " ".join(el.text_content().split())


def _cls(name):
    """XPath predicate: the element has CSS class ``name``."""
    return f'contains(concat(" ", normalize-space(@class), " "), " {name} ")'


def test_paragraphs_follow_the_documents_ranges():
    d = _doc("p.txt", [("One.", 0.1, []), ("Two.", 0.6, []), ("Three.", 0.2, [])], paragraphs=[[0, 2], [2, 3]])
    paras = _tree(render_report([d], "p")).xpath('//div[@class="article"]/p')
    assert [[s.get("data-index") for s in p.xpath(f".//span[{_cls('s')}]")] for p in paras] == [["0", "1"], ["2"]]
    # JSON written before paragraphs existed: one paragraph
    old = {k: v for k, v in d.items() if k != "paragraphs"}
    assert len(_tree(render_report([old], "p")).xpath('//div[@class="article"]/p')) == 1
    for bad in ([[0, 2]], [[0, 2], [1, 3]], [[1, 3], [0, 1]]):
        with pytest.raises(ValueError, match="do not cover"):
            render_report([{**d, "paragraphs": bad}], "p")


def _reason(code, weight, message="m"):
    return {"code": code, "message": message, "start": 0, "end": 1, "weight": weight}


def test_top_reasons_rank_kinds_of_evidence_by_summed_weight():
    d = _doc("r.txt", [
        ("A.", 0.6, [_reason("a", 0.5, "a in A"), _reason("neg", -2.0)]),
        ("B.", 0.3, [_reason("a", 0.5, "a in B"), _reason("b", 0.8), _reason("b", 0.1)]),
        ("C.", 0.95, [_reason("c", 0.2), _reason("zero", 0.0), _reason("a", 0.1, "a in C")]),
    ])
    got = top_reasons(d, k=5)
    assert [(g["code"], g["sentences"], round(g["weight"], 3)) for g in got] == [("a", [0, 1, 2], 1.1), ("b", [1], 0.9), ("c", [2], 0.2)]
    assert got[0]["message"] == "a in C"  # the message of the highest-scoring sentence giving the code
    assert top_reasons(d, k=0) == [] and top_reasons(_doc("e.txt", []), k=3) == []
    d["notes"] = ["strong rule fired"]
    assert [g["code"] for g in top_reasons(d)] == ["note", "a", "b"]
    items = _tree(render_report([d], "r")).xpath('//ol[@class="reasons"]/li')
    assert [li.get("data-code") for li in items] == ["note", "a", "b"]
    assert _words(items[0]) == "strong rule fired" and _words(items[1]).startswith("a in 3 sentences (0, 1, 2): a in C")


def test_histogram_counts_every_score_once():
    h = histogram([0.0, 0.05, 0.1, 0.55, 0.999, 1.0, -1, 3])
    assert [b["count"] for b in h] == [3, 1, 0, 0, 0, 1, 0, 0, 0, 3] and len(h) == HISTOGRAM_BINS
    assert (h[0]["low"], h[-1]["high"]) == (0.0, 1.0) and h[0]["colour"] == score_colour(0.05)
    assert [b["count"] for b in histogram([], bins=4)] == [0, 0, 0, 0]
    page = _tree(render_report([_doc("h.txt", [("A.", 0.05, []), ("B.", 0.97, []), ("C.", 0.91, [])])], "h"))
    assert [int(r.get("data-count")) for r in page.xpath('//svg//rect[@class="bin"]')] == [1, 0, 0, 0, 0, 0, 0, 0, 0, 2]
    assert _tree(render_report([_doc("e.txt", [], 0.0, "unscorable")], "e")).xpath('//svg//rect[@class="bin"]/@height') == ["0.0"] * 10


def test_summary_shows_verdict_score_threshold():
    d = _doc("v.txt", [("A.", 0.2, [])], score=0.31, label="original")
    summary = _tree(render_report([d], "v")).xpath(f'//div[{_cls("summary")}]')[0]
    assert summary.xpath(f'.//span[{_cls("badge")}]')[0].text == "original"
    assert _words(summary.xpath('.//p[@class="scoreline"]')[0]).startswith("document score 0.310 < threshold 0.500")
    assert "No artifact or style reason found." in _words(summary)
    verdict = {"label": "derived", "by": "source", "why": "Most of its sentences are <b>reworded</b> from a.txt."}
    summary = _tree(render_report([{**d, "verdict": verdict}], "v")).xpath(f'//div[{_cls("summary")}]')[0]
    assert summary.xpath(f'.//span[{_cls("badge")}]')[0].get("data-verdict") == "derived"
    assert _words(summary.xpath('.//span[@class="why"]')[0]) == "Most of its sentences are <b>reworded</b> from a.txt."


#: A suspect of three sentences in two paragraphs, written for these tests.
REF_DOC = _doc("suspect.txt", [
    ("The town chamber sanctioned the plan on Tuesday.", 0.8, []),
    ("Related: see more <here>.", 0.6, []),
    ("Work starts in April.", 0.3, []),
], paragraphs=[[0, 2], [2, 3]])


def _source_pair(k, source, suspect, similarity):
    """One item of reference.source.pairs, in the agreed JSON shape."""
    return {"sentence": k, "source_sentence": source, "similarity": similarity, "diff": diff_words(source, suspect)}


REF_SOURCE = {
    "path": "originals/a.txt", "similarity": 0.83, "coverage": 0.67, "derived": True,
    "pairs": [
        _source_pair(0, "The city council approved the plan on Tuesday.", REF_DOC["sentences"][0]["text"], 0.91),
        _source_pair(2, "Work begins in April.", REF_DOC["sentences"][2]["text"], 0.88),
    ],
}


def test_reference_source_side_by_side():
    page = render_report([{**REF_DOC, "reference": {"searched": 120, "source": REF_SOURCE}}], "ref")
    t = _tree(page)
    line = t.xpath(f'//p[{_cls("source-line")}]')[0]
    assert line.get("data-source") == "originals/a.txt"
    assert _words(line).startswith("Source found: originals/a.txt · similarity 0.83 · 67 % of sentences aligned · derived from it · 120 documents searched")
    table = t.xpath('//table[@class="sbs"]')[0]
    assert len(table.xpath('./tbody[@class="para"]')) == 2  # the suspect's paragraphs
    rows = table.xpath(".//tbody/tr")
    assert [r.get("data-index") for r in rows] == ["0", "1", "2"] and [r.get("class") for r in rows] == ["pair", "unaligned", "pair"]
    suspect, source = rows[0].xpath('./td[@class="suspect"]')[0], rows[0].xpath('./td[@class="source"]')[0]
    assert [i.text for i in suspect.xpath("./ins")] == ["town chamber sanctioned"]
    assert [x.text for x in source.xpath("./del")] == ["city council approved"]
    assert _words(suspect) == REF_DOC["sentences"][0]["text"] and _words(source) == REF_SOURCE["pairs"][0]["source_sentence"]
    assert rows[0].get("data-similarity") == "0.9100"
    assert [_words(td) for td in rows[1].xpath("./td")] == ["1", "Related: see more <here>.", "no aligned source sentence", ""]
    assert "&lt;here&gt;" in page
    assert [i.text for i in rows[2].xpath('./td[@class="suspect"]/ins')] == ["starts"]
    # every sentence still reads in the article above, with its paragraphs
    assert len(t.xpath('//div[@class="article"]/p')) == 2 and len(t.xpath(f'//span[{_cls("s")}]')) == 3


def test_no_source_looks_as_without_reference_mode_plus_one_line():
    plain = render_report([REF_DOC], "ref")
    none = render_report([{**REF_DOC, "reference": {"searched": 120, "source": None}}], "ref")
    line = '<p class="source-line none">no source found in 120 documents</p>\n'
    assert line in none and none.replace(line, "") == plain
    assert "sbs" not in _tree(plain).xpath('//section[@class="doc"]')[0].get("class") and 'class="sbs"' not in plain
    one = render_report([{**REF_DOC, "reference": {"searched": 1, "source": None}}], "ref")
    assert "no source found in 1 document</p>" in one


def test_print_stylesheet_in_markup():
    page = render_report(BROWSER_DOCS, "print")
    # shading survives a print dialog's "no background graphics": the property is on <html> and inherited
    assert "html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }" in page
    media = page[page.index("@media print {\n"):]
    media = media[: media.index("\n}\n")]
    for rule in ("section.doc + section.doc { break-before: page; }", ".backlink, .tip, .hover-hint { display: none !important; }"):
        assert rule in media


# --- headless Chromium ---------------------------------------------------------

needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)")


def _chromium(tmp_path, *args):
    profile = tmp_path / "profile"
    r = subprocess.run(
        [CHROMIUM, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args],
        capture_output=True, text=True, timeout=180,
    )
    assert r.returncode == 0, r.stderr[-2000:]
    return r.stdout


#: Two articles with a spread of sentence scores, written for these tests.
BROWSER_DOCS = [
    _doc("spun.txt", [(line, (k * 37 % 101) / 100, [{"code": "c", "message": "m", "start": 0, "end": 1, "weight": 1.0}] if k % 3 == 0 else [])
                      for k, line in enumerate(texts.SPUN_NEWS.replace("\n", " ").split(". "))], 0.81, "spun"),
    _doc("human.txt", [(line, k / 10, []) for k, line in enumerate(texts.HUMAN_NEWS.replace("\n", " ").split(". "))], 0.12, "original"),
]


@pytest.fixture(scope="module")
def browser_docs():
    return BROWSER_DOCS


@needs_chromium
def test_chromium_dom_has_every_sentence_with_its_score(browser_docs, tmp_path):
    page = tmp_path / "report.html"
    page.write_text(render_report(browser_docs, "browser check"), encoding="utf-8")
    dom = _parse(_chromium(tmp_path, "--dump-dom", page.as_uri()))
    got = [(s["section"], int(s["attrs"]["data-index"]), float(s["attrs"]["data-score"]), " ".join(s["text"].split())) for s in dom.sentences]
    want = [(k + 1, s["index"], round(s["score"], 4), " ".join(s["text"].split())) for k, d in enumerate(browser_docs) for s in d["sentences"]]
    assert got == want
    assert [float(s["data-score"]) for s in dom.sections] == [d["score"] for d in browser_docs]


@needs_chromium
def test_chromium_tooltip_shows_on_keyboard_focus(tmp_path):
    # A probe script (added to a copy of the page only) focuses the first flagged
    # sentence the way Tab would and records whether its tooltip became visible.
    # Chromium matches :focus only once the page itself has focus, which headless
    # Chromium gives it a moment after parsing (on a busy machine the script ran
    # first: 2 failures in 8 runs), so the probe waits for that; the virtual-time
    # budget lets the wait happen before the DOM is dumped.
    probe = (
        "<script>const s = document.querySelector('.s.flagged');"
        "const tip = document.getElementById(s.getAttribute('aria-describedby'));"
        "function probe() { if (document.body.dataset.after) return;"
        " document.body.dataset.before = getComputedStyle(tip).display; s.focus();"
        " document.body.dataset.after = getComputedStyle(tip).display;"
        " document.body.dataset.focused = document.activeElement.dataset.index; }"
        "if (document.hasFocus()) probe(); else window.addEventListener('focus', probe);"
        "</script></body>"
    )
    page = tmp_path / "probe.html"
    page.write_text(render_report([TRICKY], "focus").replace("</body>", probe), encoding="utf-8")
    body = _parse(_chromium(tmp_path, "--virtual-time-budget=5000", "--dump-dom", page.as_uri())).body
    assert "data-after" in body, "the page never got focus in headless Chromium"
    assert (body["data-before"], body["data-after"], body["data-focused"]) == ("none", "block", "1")


@needs_chromium
def test_chromium_screenshot_is_not_blank(browser_docs, tmp_path):
    Image = pytest.importorskip("PIL.Image")
    page = tmp_path / "report.html"
    page.write_text(render_report(browser_docs, "screenshot"), encoding="utf-8")
    shot = tmp_path / "shot.png"
    _chromium(tmp_path, f"--screenshot={shot}", "--window-size=1000,1400", page.as_uri())
    img = Image.open(shot).convert("RGB")
    assert img.size == (1000, 1400)
    colours = img.getcolors(maxcolors=1 << 20)
    assert colours is not None and len(colours) > 50  # text and shading, not one flat colour
    # the shading is there: some clearly green and some clearly non-grey pixels
    raw = img.resize((250, 350)).tobytes()
    px = zip(raw[0::3], raw[1::3], raw[2::3])
    assert sum(1 for r, g, b in px if max(r, g, b) - min(r, g, b) > 25) > 200


SEED = Path(__file__).resolve().parent.parent / "seeds" / "spun_biden_putin_call.txt"


def _reference_doc(detector):
    """SPUN_NEWS scored, with HUMAN_NEWS as its source found by the real aligner, in the agreed reference JSON shape."""
    from spindetect.compare import compare
    from spindetect.types import Article

    c = compare(Article("human.txt", texts.HUMAN_NEWS), Article("spun.txt", texts.SPUN_NEWS), detector.embedder).to_dict()
    pairs = [{"sentence": p["suspect"][0], "source_sentence": p["original_text"], "similarity": p["similarity"], "diff": p["diff"]}
             for p in c["pairs"] if len(p["suspect"]) == 1]
    source = {"path": "human.txt", "similarity": c["score"], "coverage": c["sentence_share"], "derived": c["is_rewrite"], "pairs": pairs}
    verdict = {"label": "derived" if c["is_rewrite"] else "original", "by": "source", "why": c["verdict"]}
    return {**detector.score(texts.SPUN_NEWS, "spun.txt").to_dict(), "reference": {"searched": 1, "source": source}, "verdict": verdict}


@needs_chromium
def test_chromium_seed_report_reads_as_the_article(shipped_detector, tmp_path):
    seed = SEED.read_text(encoding="utf-8")
    d = shipped_detector.score(seed, "seeds/spun_biden_putin_call.txt").to_dict()
    ref = _reference_doc(shipped_detector)
    assert ref["reference"]["source"]["pairs"], "the aligner found no pair to show"
    page = tmp_path / "report.html"
    page.write_text(render_report([d, ref], "seed"), encoding="utf-8")
    dom = _tree(_chromium(tmp_path, "--dump-dom", page.as_uri()))
    seed_doc, ref_doc = dom.xpath('//section[@class="doc"]')

    # paragraphs as in the input: the seed has one per line and no blank line
    lines = seed.splitlines()
    assert all(line.strip() for line in lines) and len(lines) == 24
    paras = seed_doc.xpath('./div[@class="article"]/p')
    assert [" ".join(_words(s) for s in p.xpath(f".//span[{_cls('s')}]")) for p in paras] == [" ".join(x.split()) for x in lines]
    # every sentence, and every suspected word highlighted inside its sentence
    spans = seed_doc.xpath(f".//span[{_cls('s')}]")
    assert [(int(s.get("data-index")), _words(s)) for s in spans] == [(s["index"], " ".join(s["text"].split())) for s in d["sentences"]]
    assert [[m.text for m in s.xpath('.//mark[@class="w"]')] for s in spans] == [[w["text"] for w in s["words"]] for s in d["sentences"]]
    assert sum(len(s["words"]) for s in d["sentences"]) > 20

    # the summary: verdict, score against threshold, the three strongest reasons, the histogram
    summary = seed_doc.xpath(f'./div[{_cls("summary")}]')[0]
    assert summary.xpath(f'.//span[{_cls("badge")}]')[0].text == d["label"] == "spun"
    assert summary.xpath('.//strong[@class="score"]')[0].text == f"{d['score']:.3f}"
    assert summary.xpath('.//strong[@class="threshold"]')[0].text == f"{d['threshold']:.3f}"
    assert [li.get("data-code") for li in summary.xpath('.//ol[@class="reasons"]/li')] == [g["code"] for g in top_reasons(d)]
    assert len(top_reasons(d)) == 3
    bins = [int(r.get("data-count")) for r in summary.xpath('.//svg//rect[@class="bin"]')]
    assert bins == [b["count"] for b in histogram([s["score"] for s in d["sentences"]])] and sum(bins) == d["n_sentences"]

    # the source side by side: a row per suspect sentence, words not in the source marked
    rows = ref_doc.xpath('.//table[@class="sbs"]/tbody/tr')
    assert [int(r.get("data-index")) for r in rows] == [s["index"] for s in ref["sentences"]]
    by_index = {p["sentence"]: p for p in ref["reference"]["source"]["pairs"]}
    for r in rows:
        pair = by_index.get(int(r.get("data-index")))
        assert r.get("class") == ("pair" if pair else "unaligned")
        if pair:
            assert [i.text for i in r.xpath('./td[@class="suspect"]/ins')] == [op["text"] for op in pair["diff"] if op["op"] == "insert"]
    assert ref_doc.xpath(f'.//span[{_cls("badge")}]')[0].get("data-verdict") == ref["verdict"]["label"]

    # nothing is fetched: no element loads anything and every link stays on the page
    assert not dom.xpath("//*[@src] | //link | //script | //iframe | //img | //object | //embed")
    assert all(h.startswith("#") for h in dom.xpath("//@href")) and "url(" not in page.read_text(encoding="utf-8")


def _rgb(hsl):
    """'hsl(h, s%, l%)' as (r, g, b) in [0, 1]."""
    import colorsys

    h, s, lum = (float(x.strip(" %")) for x in hsl[4:-1].split(","))
    return colorsys.hls_to_rgb(h / 360, lum / 100, s / 100)


@needs_chromium
def test_chromium_print_keeps_shading_and_breaks_pages_between_documents(browser_docs, tmp_path):
    # Printing to PDF lays the page out with print media, as a print dialog does.
    pypdf = pytest.importorskip("pypdf")
    import re

    html = render_report(browser_docs, "print")
    assert "back to contents" in html and "sentence 0: score" in html  # on screen: back links and tooltips
    page, pdf = tmp_path / "report.html", tmp_path / "report.pdf"
    page.write_text(html, encoding="utf-8")
    _chromium(tmp_path, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", page.as_uri())
    pages = pypdf.PdfReader(pdf).pages
    text = [" ".join(p.extract_text().split()) for p in pages]

    def where(sentence):
        head = " ".join(sentence["text"].split()[:4])
        return [k for k, t in enumerate(text) if head in t]

    first, second = browser_docs
    last_of_first = max(k for s in first["sentences"] for k in where(s))
    start_of_second = min(k for s in second["sentences"] for k in where(s))
    assert last_of_first < start_of_second and text[start_of_second].startswith("human.txt")  # a page break between them
    assert not any("back to contents" in t or "sentence 0: score" in t for t in text)  # no interactive controls

    # the shading is printed: every sentence colour of the first document is a fill in the PDF
    fills = set()
    for p in pages:
        ops = p.get_contents().get_data().decode("latin-1")
        fills |= {tuple(map(float, m)) for m in re.findall(r"([\d.]+) ([\d.]+) ([\d.]+) rg\b", ops)}
    for s in first["sentences"]:
        want = _rgb(score_colour(s["score"]))
        assert any(max(abs(a - b) for a, b in zip(want, f)) < 0.006 for f in fills), (s["score"], want)


def test_cli_writes_the_report_of_a_batch_with_a_bad_file(tmp_path):
    from typer.testing import CliRunner

    from spindetect.cli import app

    md = tmp_path / "wrapped.md"
    md.write_text("# Budget vote\n\nThe council met on Tuesday to discuss the budget for the\ncoming year, which includes "
                  "money for roads and a new\nlibrary.\n\nIt passed by five votes to two.\n", encoding="utf-8")
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    out = tmp_path / "report.html"
    out.write_text("mine", encoding="utf-8")
    args = ["score", str(SEED), str(md), str(bad), "--format", "html", "--out", str(out)]
    r = CliRunner().invoke(app, args)
    assert r.exit_code == 2 and out.read_text(encoding="utf-8") == "mine" and "Traceback" not in r.stderr  # never overwritten
    r = CliRunner().invoke(app, args + ["--force"])
    assert r.exit_code == 1 and "bad.txt" in r.stderr and "Traceback" not in r.stderr + r.stdout
    t = _tree(out.read_text(encoding="utf-8"))
    seed_doc, md_doc = t.xpath('//section[@class="doc"]')  # the bad file is reported, the rest scored
    assert len(seed_doc.xpath('./div[@class="article"]/p')) == 24
    paras = [" ".join(_words(s) for s in p.xpath(f".//span[{_cls('s')}]")) for p in md_doc.xpath('./div[@class="article"]/p')]
    assert paras == ["Budget vote", "The council met on Tuesday to discuss the budget for the coming year, which includes money for "
                     "roads and a new library.", "It passed by five votes to two."]
