"""Document signals that the combiner stacks: each a small, pure scorer with its own arrays.

- :mod:`.charstyle` -- hashed character n-gram style model (linear, per document and per sentence);
- :mod:`.lexical` -- word rarity, punctuation and rhythm statistics, two-sided against human text;
- :mod:`.combiner` -- the stacked document model over the signals' outputs.
"""
