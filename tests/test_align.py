"""Sentence alignment: hand-written rewrites with the real embedder, invariants with toy vectors."""

import numpy as np
import pytest

from spindetect.align import Alignment, align, word_count
from spindetect.segment import segment

ORIGINAL = (
    "The city council voted on Tuesday to close the old harbour bridge for repairs. "
    "Engineers found cracks in two of the steel supports last month. "
    "The bridge carries about 12,000 cars a day. "
    "Repairs are expected to take eight months and cost 4 million dollars. "
    "Mayor Lena Ortiz said the decision was painful but necessary. "
    "Ferries will run every twenty minutes while the bridge is shut."
)
# The last original sentence moved to the front; the rest rephrased in order.
REORDERED = (
    "Ferries will operate every 20 minutes during the closure of the bridge. "
    "On Tuesday, city councillors decided to shut the aging harbour bridge so it can be repaired. "
    "Last month engineers discovered cracks in a pair of the bridge's steel supports. "
    "Mayor Lena Ortiz called the choice painful yet unavoidable."
)
# Original sentence 3 is split in two.
SPLIT = (
    "The council decided on Tuesday to close the old harbour bridge for repair work. "
    "Last month, engineers spotted cracks in two steel supports. "
    "About 12,000 cars use the bridge daily. "
    "The repair work should take eight months. "
    "It will cost 4 million dollars. "
    "Mayor Lena Ortiz said the decision hurt but had to be made."
)
# Original sentences 1 and 2 merged into one.
MERGED = (
    "On Tuesday the city council voted to shut the old harbour bridge for repairs. "
    "Engineers found cracks last month in two of the steel supports of the bridge, which about 12,000 cars cross each day. "
    "Repairs will take eight months and cost 4 million dollars."
)
# An unrelated sentence inserted at position 1.
INSERTED = (
    "The city council decided on Tuesday to close the old harbour bridge for repair work. "
    "Local bakeries reported record sales of pumpkin bread this autumn. "
    "Last month engineers detected cracks in two of the steel supports. "
    "About 12,000 cars cross the bridge each day."
)
UNRELATED = (
    "The school board hired a new head teacher for the primary school on Elm Road. "
    "She previously ran a science programme in another district. "
    "Parents welcomed the appointment at a meeting on Thursday evening."
)


@pytest.fixture(scope="module")
def embed():
    from spindetect.embed import Embedder

    e = Embedder()

    def run(text):
        sents = segment(text)
        return e.encode([s.norm for s in sents]), [word_count(s.text) for s in sents]

    return run


def _align(embed, suspect, original=ORIGINAL):
    se, sw = embed(suspect)
    oe, ow = embed(original)
    return align(se, oe, sw, ow)


def _links(al: Alignment) -> dict:
    return {link.suspect: (link.original, link.kind) for link in al.links}


def test_reordered_sentence_is_linked_as_moved(embed):
    al = _align(embed, REORDERED)
    assert _links(al) == {
        (0,): ((5,), "moved"),
        (1,): ((0,), "match"),
        (2,): ((1,), "match"),
        (3,): ((4,), "match"),
    }
    assert al.inserted == [] and al.coverage == 1.0
    assert al.dropped == [2, 3]


def test_split_sentence_is_one_link(embed):
    al = _align(embed, SPLIT)
    links = _links(al)
    assert links[(3, 4)] == ((3,), "split")
    assert links[(0,)][0] == (0,) and links[(1,)][0] == (1,) and links[(2,)][0] == (2,)
    assert al.inserted == [] and al.sentence_share == 1.0


def test_merged_sentences_are_one_link(embed):
    al = _align(embed, MERGED)
    links = _links(al)
    assert links[(1,)] == ((1, 2), "merge")
    assert links[(0,)][0] == (0,) and links[(2,)][0] == (3,)


def test_inserted_sentence_is_left_unlinked(embed):
    al = _align(embed, INSERTED)
    assert al.inserted == [1]
    assert {s: o for s, (o, _) in _links(al).items()} == {(0,): (0,), (2,): (1,), (3,): (2,)}
    words = [word_count(s.text) for s in segment(INSERTED)]
    assert al.coverage == pytest.approx(1 - words[1] / sum(words))
    assert al.sentence_share == 0.75


def test_unrelated_article_has_low_coverage(embed):
    al = _align(embed, UNRELATED)
    assert al.coverage < 0.34
    assert _align(embed, REORDERED).score > al.score


def test_identical_text_links_every_sentence_in_order(embed):
    al = _align(embed, ORIGINAL)
    assert [(link.suspect, link.original, link.kind) for link in al.links] == [((k,), (k,), "match") for k in range(6)]
    assert al.score == pytest.approx(1.0, abs=1e-4)


# --- invariants with toy vectors (no model) ---------------------------------


def _basis(n, dim=8):
    return np.eye(dim, dtype=np.float32)[:n]


@pytest.mark.parametrize("n,m", [(0, 0), (0, 3), (3, 0)])
def test_empty_inputs_give_no_links(n, m):
    al = align(_basis(n), _basis(m))
    assert al.links == () and al.coverage == 0.0 and al.score == 0.0
    assert al.inserted == list(range(n)) and al.dropped == list(range(m))


def test_monotone_links_never_cross():
    rng = np.random.default_rng(0)
    base = rng.normal(size=(12, 16)).astype(np.float32)
    base /= np.linalg.norm(base, axis=1, keepdims=True)
    noisy = base + 0.3 * rng.normal(size=base.shape).astype(np.float32)
    noisy /= np.linalg.norm(noisy, axis=1, keepdims=True)
    al = align(noisy[[0, 1, 2, 4, 5, 7, 8, 9, 11]], base, moves=False)
    last = -1
    for link in al.links:
        assert min(link.original) > last
        last = max(link.original)
    assert 0.0 <= al.coverage <= 1.0 and 0.0 <= al.score <= al.coverage


def test_below_threshold_is_never_linked():
    a = np.array([[1.0, 0.0]], dtype=np.float32)
    b = np.array([[0.5, np.sqrt(0.75)]], dtype=np.float32)  # cosine 0.5
    assert align(a, b, min_similarity=0.55).links == ()
    assert len(align(a, b, min_similarity=0.45).links) == 1


def test_mismatched_shapes_are_refused():
    with pytest.raises(ValueError, match="embedding sizes differ"):
        align(np.ones((2, 3), np.float32), np.ones((2, 4), np.float32))
    with pytest.raises(ValueError, match="one word count per sentence"):
        align(_basis(2), _basis(2), suspect_words=[1])
