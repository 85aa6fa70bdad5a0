"""Document signals that the combiner stacks: each a small, pure scorer with its own arrays.

- :mod:`.charstyle` -- hashed character n-gram style model (linear, per document and per sentence);
- :mod:`.lexical` -- word rarity, punctuation and rhythm statistics, two-sided against human text;
- :mod:`.context` -- whether each word fits its context (word vectors against their neighbours'; fast mode);
- :mod:`.docmodel` -- the stacked document model over the signals' outputs, its experts and the strong rule.
"""
