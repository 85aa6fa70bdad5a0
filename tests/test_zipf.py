"""The zipf table: wordfreq's floats, from the data file or from the sorted cache copy."""

import math

import pytest

from spindetect import zipf


@pytest.fixture
def cache(monkeypatch, tmp_path):
    """A private cache folder and a cleared in-process table."""
    monkeypatch.setenv("SPINDETECT_CACHE", str(tmp_path))
    zipf.table.cache_clear()
    yield tmp_path
    zipf.table.cache_clear()


@pytest.fixture(scope="module")
def reference():
    import wordfreq

    return wordfreq.get_frequency_dict("en", wordlist="best")


def _same_as_wordfreq(table, ref):
    # The artifacts read wordfreq's data file themselves (to skip importing
    # langcodes); the values must be the very floats wordfreq gives, or the
    # shipped classifier would see other rare-word counts than it was trained on.
    assert len(table) == len(ref)
    assert all(table[w] == math.log10(f) + 9.0 for w, f in ref.items())


def test_first_load_matches_wordfreq_and_writes_the_cache(cache, reference):
    import wordfreq

    table = zipf.table()
    _same_as_wordfreq(table, reference)
    assert abs(table["the"] - wordfreq.zipf_frequency("the", "en")) < 0.01  # zipf_frequency rounds
    assert zipf.cache_file(zipf.source_file()).is_file()
    assert zipf.cache_file(zipf.source_file()).parent.parent == cache


def test_cached_load_gives_the_same_floats(cache, reference):
    zipf.table()
    zipf.table.cache_clear()
    path = zipf.cache_file(zipf.source_file())
    stamp = path.stat().st_mtime_ns
    again = zipf.table()
    assert path.stat().st_mtime_ns == stamp  # read, not rebuilt
    _same_as_wordfreq(again, reference)


def test_unknown_words_and_lookups():
    table = zipf.table()
    assert table.get("qzxwvjjk") == 0.0
    assert table.get("qzxwvjjk", -1.0) == -1.0
    assert "qzxwvjjk" not in table and "the" in table and 3 not in table
    with pytest.raises(KeyError):
        table["qzxwvjjk"]
    assert table.get("") == 0.0
    assert table.get("zzzzzzzzzzzzzzzzzzzzzz") == 0.0  # past the last word


@pytest.mark.parametrize("damage", ["truncate", "flip", "garbage", "empty"])
def test_damaged_cache_is_rebuilt(cache, reference, damage):
    zipf.table()
    path = zipf.cache_file(zipf.source_file())
    data = bytearray(path.read_bytes())
    if damage == "truncate":
        data = data[: len(data) // 2]
    elif damage == "flip":
        data[len(data) // 2] ^= 0xFF
    elif damage == "garbage":
        data = bytearray(b"not a table at all")
    else:
        data = bytearray()
    path.write_bytes(bytes(data))
    zipf.table.cache_clear()
    _same_as_wordfreq(zipf.table(), reference)
    zipf._decode(path.read_bytes())  # rewritten intact


def test_unwritable_cache_folder_still_loads(monkeypatch, tmp_path, reference):
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache folder would go")
    monkeypatch.setenv("SPINDETECT_CACHE", str(blocker))
    zipf.table.cache_clear()
    try:
        _same_as_wordfreq(zipf.table(), reference)
    finally:
        zipf.table.cache_clear()


def test_round_trip_of_a_small_table():
    from array import array

    t = zipf.ZipfTable(["a", "b", "ünï"], array("H", [0, 250, 600]))
    back = zipf._decode(zipf._encode(t))
    assert [back.get(w) for w in ("a", "b", "ünï")] == [t.get(w) for w in ("a", "b", "ünï")]
    assert back.get("b") == math.log10(10 ** (-250 / 100)) + 9.0
    empty = zipf._decode(zipf._encode(zipf.ZipfTable([], array("H"))))
    assert len(empty) == 0 and empty.get("a") == 0.0
