"""wordfreq's English word frequencies (zipf scale), loaded fast for a cold start.

The table is read from wordfreq's own data file (``large_en.msgpack.gz``, a
gzipped msgpack "cBpack": a header, then one list of words per centibel of
frequency) rather than through ``wordfreq``, whose import pulls in langcodes
only to resolve "en". Values are computed as wordfreq computes them
(``log10(10 ** (-cB / 100)) + 9``), so they are the same floats
(tests/test_zipf.py compares every word).

Building a dict of its 321,180 words costs 0.15-0.2 s (hashing every word),
a tenth of a cold one-file `spindetect score`. So the first load also writes a
sorted copy to the cache folder (``$SPINDETECT_CACHE/wordfreq``, 3.3 MB;
keyed by the data file's size and modification time), and later loads read
that copy and look words up by binary search: ~0.06 s to load, and a
one-file score looks up a few hundred words. The copy holds only data (a
header, a CRC, bucket numbers, words); a damaged copy is ignored and
rebuilt, and an unwritable cache folder only costs the slower load.
"""

from __future__ import annotations

import math
import os
import struct
import sys
import threading
import zlib
from array import array
from bisect import bisect_left
from functools import lru_cache
from pathlib import Path

#: Header of the cache file: magic, then word count and CRC-32 of the rest.
_MAGIC = b"spindetect-zipf 1\n"
_HEAD = struct.Struct("<II")


class ZipfTable:
    """Read-only word -> zipf mapping over a sorted word list.

    Parameters
    ----------
    words : list[str]
        Words in ascending order, unique.
    buckets : array
        ``buckets[i]`` is the centibel bucket of ``words[i]`` (zipf =
        ``log10(10 ** (-bucket / 100)) + 9``).
    """

    def __init__(self, words: list[str], buckets: array):
        if len(words) != len(buckets):
            raise ValueError(f"{len(words)} words but {len(buckets)} buckets")
        self._words = words
        self._buckets = buckets
        top = max(buckets, default=0)
        self._zipf = [math.log10(10 ** (-index / 100)) + 9.0 for index in range(top + 1)]

    def __len__(self) -> int:
        return len(self._words)

    def _index(self, word: str) -> int:
        i = bisect_left(self._words, word)
        return i if i < len(self._words) and self._words[i] == word else -1

    def get(self, word: str, default: float = 0.0) -> float:
        """The zipf value of ``word``, or ``default`` when wordfreq does not list it."""
        i = self._index(word)
        return self._zipf[self._buckets[i]] if i >= 0 else default

    def __getitem__(self, word: str) -> float:
        i = self._index(word)
        if i < 0:
            raise KeyError(word)
        return self._zipf[self._buckets[i]]

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and self._index(word) >= 0


def source_file() -> Path:
    """wordfreq's English data file ('best' = large_en)."""
    from importlib.util import find_spec

    spec = find_spec("wordfreq")
    if spec is None or spec.origin is None:
        raise ImportError("wordfreq is not installed; pip install wordfreq==3.1.1")
    return Path(spec.origin).parent / "data" / "large_en.msgpack.gz"


def cache_file(source: Path) -> Path:
    """Where the sorted copy of ``source`` is kept (one file per size and mtime of the source)."""
    from .cache import root

    st = source.stat()
    return root() / "wordfreq" / f"{source.name.split('.')[0]}-{st.st_size}-{st.st_mtime_ns}.bin"


def read_source(source: Path) -> ZipfTable:
    """Parse wordfreq's cBpack file into a ZipfTable (the slow path: ~0.45 s with the sort)."""
    import gzip

    import msgpack

    with gzip.open(source, "rb") as f:
        pack = msgpack.unpackb(f.read(), raw=False)
    if not isinstance(pack[0], dict) or pack[0].get("format") != "cB" or pack[0].get("version") != 1:
        raise ValueError(f"{source}: not a wordfreq cBpack version 1")
    bucket_of: dict[str, int] = {}
    for index, bucket in enumerate(pack[1:]):
        for word in bucket:
            bucket_of[word] = index  # a word listed twice keeps its last bucket, as in wordfreq.get_frequency_dict
    words = sorted(bucket_of)
    return ZipfTable(words, array("H", (bucket_of[w] for w in words)))


def _encode(table: ZipfTable) -> bytes:
    buckets = array("H", table._buckets)
    if sys.byteorder != "little":
        buckets.byteswap()
    body = buckets.tobytes() + "\n".join(table._words).encode("utf-8")
    return _MAGIC + _HEAD.pack(len(table), zlib.crc32(body)) + body


def _decode(data: bytes) -> ZipfTable:
    """Inverse of _encode; ValueError on any mismatch (wrong magic, size or CRC)."""
    if not data.startswith(_MAGIC) or len(data) < len(_MAGIC) + _HEAD.size:
        raise ValueError("not a spindetect zipf cache file")
    n, crc = _HEAD.unpack_from(data, len(_MAGIC))
    body = memoryview(data)[len(_MAGIC) + _HEAD.size:]
    if zlib.crc32(body) != crc or len(body) < 2 * n:
        raise ValueError("damaged zipf cache file")
    buckets = array("H")
    buckets.frombytes(body[: 2 * n])
    if sys.byteorder != "little":
        buckets.byteswap()
    words = str(body[2 * n:], "utf-8").split("\n") if n else []
    if len(words) != n:
        raise ValueError("damaged zipf cache file")
    return ZipfTable(words, buckets)


def _write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    # Unique per process and thread: two writers never share a temporary file.
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


@lru_cache(maxsize=1)
def table() -> ZipfTable:
    """The English zipf table, from the cache copy when it is there and intact."""
    source = source_file()
    cached = cache_file(source)
    try:
        return _decode(cached.read_bytes())
    except (OSError, ValueError):
        pass
    fresh = read_source(source)
    if all("\n" not in w for w in fresh._words):  # the cache format separates words by newlines
        try:
            _write_atomic(cached, _encode(fresh))
        except OSError:
            pass  # read-only cache folder: every load takes the slow path, results are the same
    return fresh
