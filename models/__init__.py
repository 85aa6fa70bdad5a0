"""The shipped model directories (installed as package data spindetect._models)."""
