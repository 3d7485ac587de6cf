"""Corpus: entities, aliases and roles derived from the extracted rows and the
user's corrections.
"""
