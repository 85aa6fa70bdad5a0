"""Inputs to Articles, one module per job.

``files`` reads files, directories and stdin (``read_path``, ``read_bytes``,
``expand_paths``); ``decode`` turns bytes into clean text; ``html`` and
``markdown`` reduce pages and markup to prose; ``documents`` takes the text
out of PDF and Word files; ``records`` reads JSONL crawl records and holds the
steps every record shares; ``parquet`` reads Parquet crawl records. Import
the module you need: this package imports nothing itself, so
``spindetect --help`` stays fast (the CLI takes ``MAX_BYTES`` from here).
"""

#: Larger inputs are refused: ~10 MB is ~100k sentences, minutes of scoring.
MAX_BYTES = 10 * 1024 * 1024
