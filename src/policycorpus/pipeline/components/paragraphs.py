"""``policycorpus_paragraphs``: sentence boundaries the parser gets wrong in news.

Runs before the parser, which keeps preset boundaries:

- a paragraph break always starts a sentence, so a headline or a one-line
  caption never runs into the next paragraph's sentence;
- a title or honorific abbreviation before a capitalised word never ends
  one ("spokesman Sgt. Ray Kelly", "Rep. Juan Vargas"). The abbreviations
  are the dotted forms of ``models/gazetteer/titles.jsonl`` and the
  honorifics of ``models/title_modifiers.jsonl``.
"""

from __future__ import annotations

from functools import cache

from spacy.language import Language
from spacy.tokens import Doc

from policycorpus.pipeline.gazetteer import Gazetteer
from policycorpus.resources import load_jsonl


@cache
def title_abbreviations() -> frozenset[str]:
    """Dotted title forms after which a sentence does not end ("Sgt.", "Sens.")."""
    forms = {w for t in Gazetteer.load().titles for f in (*t.forms, *t.plural)
             for w in f.split() if w.endswith(".") and len(w) > 2}
    for row in load_jsonl("title_modifiers.jsonl"):
        if row.get("kind") == "honorific":
            forms.update(row["words"])
    return frozenset(forms)


@Language.component("policycorpus_paragraphs")
def paragraph_boundaries(doc: Doc) -> Doc:
    """Mark paragraph starts as sentence starts and title abbreviations as non-ends."""
    abbreviations = title_abbreviations()
    for token in doc[:-1]:
        following = doc[token.i + 1]
        if "\n" in token.text or token.text_with_ws.endswith("\n"):
            following.is_sent_start = True
            continue
        # The tokenizer keeps "Sgt." whole or splits it into "Sgt" and ".".
        if token.text == "." and token.i > 0 and not doc[token.i - 1].whitespace_:
            word = doc[token.i - 1].text + "."
        else:
            word = token.text
        if word in abbreviations and following.text[:1].isupper():
            following.is_sent_start = False
    return doc
