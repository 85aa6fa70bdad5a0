"""Language identification, to warn when a text is not English.

The model was trained on English news only, so scores on other languages mean
little. py3langid (BSD-3-Clause) was chosen because its naive-Bayes model ships
inside the wheel (``py3langid/data/model.npz.xz``, 4.6 MB, loaded with
``allow_pickle=False``), covers 97 languages and needs only numpy. Loading it
takes about 2 s (LZMA decompression), so it is loaded lazily, once, and
:func:`looks_english` answers the common case (English news) without it.
"""

from __future__ import annotations

import re
from functools import lru_cache

#: Characters looked at by :func:`detect_language`; the byte-level DFA runs in
#: pure Python (~1 µs a byte), and a few thousand characters decide the language.
SAMPLE_CHARS = 4000
#: Below this many letters the identifier is unreliable (headlines, names).
MIN_LETTERS = 40

# Frequent English function words, leaving out those that are also frequent
# words in other languages written in Latin script ("a", "in", "is", "to", "of",
# "on", "for", "at", "by", "he", "had", "was", "will", "die", "also"), so a share
# of them is high only for English.
_ENGLISH_WORDS = frozenset(
    "the and that it with be this not are but from have they you which his she were "
    "their been has would there said who its when more about after".split()
)
_WORD = re.compile(r"[^\W\d_]+")


@lru_cache(maxsize=1)
def _identifier():
    """The py3langid identifier with normalised probabilities (loaded once)."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def _sample(text: str) -> str:
    """The start of ``text`` cut at a word boundary, at most SAMPLE_CHARS long."""
    if len(text) <= SAMPLE_CHARS:
        return text
    cut = text.rfind(" ", SAMPLE_CHARS // 2, SAMPLE_CHARS)
    return text[: cut if cut > 0 else SAMPLE_CHARS]


def looks_english(text: str) -> bool:
    """Cheap check that ``text`` is plainly English, without loading the model.

    True when at least 15 % of at least 20 words are frequent English function
    words; False means "unsure", not "not English".

    Parameters
    ----------
    text : str
        The text to check.

    Returns
    -------
    bool
    """
    words = _WORD.findall(_sample(text).lower())
    return len(words) >= 20 and sum(w in _ENGLISH_WORDS for w in words) >= 0.15 * len(words)


def detect_language(text: str) -> tuple[str, float]:
    """Identify the language of ``text`` with py3langid.

    The first call loads the model (about 2 s); later calls take about a
    millisecond per thousand characters.

    Parameters
    ----------
    text : str
        The text; only its first ``SAMPLE_CHARS`` characters are used.

    Returns
    -------
    tuple[str, float]
        An ISO 639-1 code (``"en"``, ``"fr"``, ...) and the probability the
        model gives it, in [0, 1]. ``("und", 0.0)`` for text with fewer than
        ``MIN_LETTERS`` letters, where no identifier is reliable.
    """
    sample = _sample(text)
    if sum(len(w) for w in _WORD.findall(sample)) < MIN_LETTERS:
        return "und", 0.0
    lang, prob = _identifier().classify(sample)
    return str(lang), float(prob)


#: English names of the languages a warning is likely to name; others are
#: shown as their ISO 639-1 code.
LANGUAGE_NAMES = {
    "ar": "Arabic", "bg": "Bulgarian", "ca": "Catalan", "cs": "Czech", "da": "Danish",
    "de": "German", "el": "Greek", "en": "English", "es": "Spanish", "fa": "Persian",
    "fi": "Finnish", "fr": "French", "he": "Hebrew", "hi": "Hindi", "hu": "Hungarian",
    "id": "Indonesian", "it": "Italian", "ja": "Japanese", "ko": "Korean", "nl": "Dutch",
    "no": "Norwegian", "pl": "Polish", "pt": "Portuguese", "ro": "Romanian",
    "ru": "Russian", "sk": "Slovak", "sv": "Swedish", "th": "Thai", "tr": "Turkish",
    "uk": "Ukrainian", "ur": "Urdu", "vi": "Vietnamese", "zh": "Chinese",
}


def language_name(code: str) -> str:
    """English name of an ISO 639-1 code, or the code itself when unknown."""
    return LANGUAGE_NAMES.get(code, code)
