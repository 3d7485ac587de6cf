"""The text of the Doc being processed, built once for every component that reads it.

``Doc.text`` joins the text of every token on each access, which costs as
much as a pass of a rule component. Components run one document after the
other, so a one-entry cache keyed on the Doc object serves them all.
"""

from __future__ import annotations

from spacy.tokens import Doc

from policycorpus.names import alias_key

_last: dict[str, object] = {"doc": None, "text": "", "key": None}


def doc_text(doc: Doc) -> str:
    """``doc.text``, computed once per document."""
    if _last["doc"] is not doc:
        _last.update(doc=doc, text=doc.text, key=None)
    return str(_last["text"])


def doc_key(doc: Doc) -> str:
    """``alias_key`` of the whole text (for "does the text name X anywhere"), once per document."""
    text = doc_text(doc)
    if _last["key"] is None:
        _last["key"] = alias_key(text)
    return str(_last["key"])
