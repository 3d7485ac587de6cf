"""Ingest: runs sources -> pipeline -> store -> corpus over a set of input paths."""
