"""The artifact codes and their one-line descriptions, in feature-column order.

Kept apart from the detectors (``artifacts.py``, which compiles its patterns at
import) so that `spindetect info` can list them without that cost.
"""

from __future__ import annotations

#: Word-level detectors read at most this many characters of one "sentence"
#: (the segmenter caps sentences at 1,500; longer input is debris).
MAX_SCAN = 5000
#: Reasons kept per code and sentence (debris lines can hold hundreds of rare words).
MAX_HITS_PER_CODE = 10
#: The rare-word band (wordfreq zipf), measured and explained in artifacts.py.
RARE_ZIPF_LOW = 2.5
RARE_ZIPF = 3.0

CODES: tuple[tuple[str, str], ...] = (
    ("quote_attribution", "a quote mark opens on the attribution ('... private \"The agency quoted him')"),
    ("quote_glued", "a full-sentence quotation glued to the preceding clause with no punctuation"),
    ("quote_swallowed", "the attribution sits inside the quotation ('\"We are ready, he said.\"')"),
    ("quote_unbalanced", "an odd number of quote marks that no nearby sentence pairs"),
    ("title_conflict", "a person's title contradicts the document, or two people hold one unique office"),
    ("link_leadin", "a link-list or source lead-in ('Related:', 'Read more', 'Also, see source:')"),
    ("credit", "a photo/source credit or advertisement fragment"),
    ("share_fragment", "a share/subscribe/newsletter fragment from a web page"),
    ("lowercase_start", "a sentence that starts in lower case"),
    ("doubled_word", "a doubled word ('the the')"),
    ("broken_join", "two sentences joined without a space ('end.Next')"),
    ("repeated_phrase", "a phrase of 3+ words repeated at once in the sentence, outside quotations"),
    ("rare_word", f"a lower-case word of zipf {RARE_ZIPF_LOW}-{RARE_ZIPF} (spinners pick rare synonyms)"),
    ("llm_word", "a word LLM polishers overuse ('delve', 'underscore', 'pivotal')"),
    ("stock_phrase", "a stock LLM phrase ('it is important to note', 'sparked outrage')"),
)

#: A reason that is not an artifact code (no feature column): the document model's character-style evidence.
CHAR_STYLE = ("char_style", "the words of a sentence scored >= 0.5 without artifacts whose character n-grams look most machine-rewritten")

#: A reason that is not an artifact code (fast mode): a rare lower-case word whose vector fits its neighbours' below
#: signals/context.py's MISFIT_FIT.
CONTEXT_MISFIT = ("context_misfit", "a rare lower-case word that does not fit its context (its word vector against "
                  "its neighbours'; a possible synonym swap)")

#: Character-level obfuscation that normalisation undid (issue 17). Reasons, not
#: feature columns: the model sees the de-obfuscated text, so as columns they
#: would always be zero (and would change every sentence model's feature list).
OBFUSCATION_CODES: tuple[tuple[str, str], ...] = (
    ("homoglyph", "a word mixing Latin letters with look-alikes from other scripts ('sаid' with Cyrillic 'а')"),
    ("invisible_char", "an invisible or formatting character inside a word (zero-width space, soft hyphen, bidi control)"),
)
