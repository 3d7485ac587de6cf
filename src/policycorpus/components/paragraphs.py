"""``policycorpus_paragraphs``: a paragraph break always starts a sentence.

Runs before the parser, which keeps preset boundaries, so a headline or a
one-line caption never runs into the next paragraph's sentence.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc


@Language.component("policycorpus_paragraphs")
def paragraph_boundaries(doc: Doc) -> Doc:
    """Mark the token after every line break as a sentence start."""
    for token in doc[:-1]:
        if "\n" in token.text or token.text_with_ws.endswith("\n"):
            doc[token.i + 1].is_sent_start = True
    return doc
