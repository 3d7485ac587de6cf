"""The ``Doc._`` extensions through which policycorpus's components hand each
other their results, and the records that only travel inside the pipeline.

=====================  ==========================  ================================
extension              set by                      holds
=====================  ==========================  ================================
``doc._.pc_origins``   ``policycorpus_entities``   ``{span start: SpanOrigin}``
``doc._.pc_roles``     ``policycorpus_officials``  ``{person span start: TitleRole}``
``doc._.pc_implied``   ``policycorpus_officials``  ``[ImpliedMention]``
``doc._.pc_state``     ``policycorpus_officials``  the US state the text is about
``doc._.pc_entities``  ``policycorpus_linker``     ``[ExtractedEntity]``
``doc._.pc_quotes``    ``policycorpus_quotes``     ``[Quote]``
``doc._.pc_relations`` ``policycorpus_relations``  ``[Relation]``
=====================  ==========================  ================================

The linker reads and clears the first four; the last three are the
pipeline's output (records of ``policycorpus.extraction``), read by the
quotes and relations components and by ``pipeline.build.extract*``. Every
extension defaults to None.

spaCy keeps extension values in ``doc.user_data``, which ``nlp.pipe`` with
``n_process > 1`` sends from its workers with msgpack (``Doc.to_bytes``), not
pickle; msgpack knows no dataclasses and turns tuples into lists. So the
records are registered with srsly's msgpack encoders and decoders (the hook
spaCy's serialisation offers for custom types), and come back as the same
frozen records. ``register()`` does all this once; importing this module
calls it.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

import srsly
from spacy.tokens import Doc

from policycorpus.extraction import RECORDS
from policycorpus.plain import from_plain


@dataclass(frozen=True, slots=True)
class SpanOrigin:
    """Where an entity span of ``policycorpus_entities`` came from: its end
    character, the base model's own label for its text and the rule of
    ``models/`` that made or relabelled it."""

    end: int
    model_label: str = ""
    rule_id: str = ""


@dataclass(frozen=True, slots=True)
class TitleRole:
    """The title of office the text gives a person (who is then an official),
    and the body or jurisdiction of that office, as stated."""

    title: str
    org: str = ""


@dataclass(frozen=True, slots=True)
class ImpliedMention:
    """A body or place a title names ("Oakland police" in "Oakland police
    Chief ..."): its characters, canonical name, ``kind`` ("agency" or
    "place") and the rule."""

    start: int
    end: int
    name: str
    kind: str
    rule_id: str


EXTENSIONS = ("pc_origins", "pc_roles", "pc_implied", "pc_state", "pc_entities", "pc_quotes",
              "pc_relations")
_TAG = "__policycorpus__"
_TYPES: dict[str, type] = {**RECORDS, **{cls.__name__: cls for cls in (SpanOrigin, TitleRole,
                                                                        ImpliedMention)}}


def register() -> None:
    """Declare the ``Doc._`` extensions and the records' msgpack form (idempotent)."""
    for name in EXTENSIONS:
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)
    if _TAG not in srsly.msgpack_encoders.get_all():
        srsly.msgpack_encoders.register(_TAG, func=_encode)
        srsly.msgpack_decoders.register(_TAG, func=_decode)


def _encode(obj: Any, chain: Any = None) -> Any:
    """msgpack's ``default`` hook: a record as a tagged map of its fields
    (records nested in it are encoded in turn)."""
    name = type(obj).__name__
    if _TYPES.get(name) is type(obj):
        return {_TAG: name, **{f.name: getattr(obj, f.name) for f in fields(obj)}}
    return obj if chain is None else chain(obj)


def _decode(obj: Any, chain: Any = None) -> Any:
    """msgpack's ``object_hook``: a tagged map back into its record."""
    if _TAG in obj:
        return from_plain(_TYPES[obj[_TAG]], obj)
    return obj if chain is None else chain(obj)


register()
