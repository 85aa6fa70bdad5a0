"""Inputs to Articles, one module per job.

``files`` reads files, directories and stdin (``read_path``, ``read_bytes``,
``expand_paths``); ``decode`` turns bytes into clean text; ``html`` and
``markdown`` reduce pages and markup to prose; ``documents`` takes the text
out of PDF and Word files; ``records`` reads JSONL crawl records (Parquet
records: ``parquet_io``). Import the module you need: this package imports
nothing itself, so ``spindetect --help`` stays fast.
"""
