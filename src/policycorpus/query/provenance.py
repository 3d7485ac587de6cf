"""``why NAME``: why an entity exists, mention by mention (read-only, no spaCy).

For each mention: the document and sentence, the step that produced it
(``model``, ``gazetteer``, ``law-pattern``, ``acronym``, ``rule``, ``title``,
``linker``), the base model's own label, the rule of ``models/`` (``rule_id``,
"file#id"), the entity the document's pipeline made of it, how it was linked
across documents (``link_rule``) and the corrections that touched it. Mentions
the corrections file ignores are listed apart.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from policycorpus.corpus.corrections import Corrections
from policycorpus.errors import NotFoundError
from policycorpus.names import alias_key
from policycorpus.query import reports as q
from policycorpus.store.database import ENTITY_TYPES, Store


@dataclass
class MentionEvidence:
    """One mention and where it comes from."""

    id: int
    document: str
    text: str
    sentence: str
    source: str
    model_label: str
    rule_id: str
    document_entity: str  # "person Wells": what the document's pipeline made of it
    link_rule: str = ""
    correction: str = ""


@dataclass
class RoleEvidence:
    """An official's title in one document, with its jurisdiction."""

    document: str
    title: str
    org: str
    level: str
    jurisdiction: str
    correction: str


@dataclass
class WhyReport:
    """An entity (None if only ignored mentions bear the name) and its evidence."""

    name: str
    entity: q.Entity | None
    law_key: str = ""
    corrections: list[str] = field(default_factory=list)
    roles: list[RoleEvidence] = field(default_factory=list)
    mentions: list[MentionEvidence] = field(default_factory=list)
    ignored: list[MentionEvidence] = field(default_factory=list)
    ignored_by: list[str] = field(default_factory=list)
    relations: list[Any] = field(default_factory=list)  # law actions with their rules


_EVIDENCE_SQL = """
select x.id, d.path, x.text,
       trim(substr(d.text, x.sent_start + 1, x.sent_end - x.sent_start), ' ' || char(10) || char(13)),
       coalesce(x.source, ''), coalesce(x.model_label, ''), coalesce(x.rule_id, ''),
       e.type || ' ' || e.name {extra}
from extracted_mentions x
join documents d on d.id = x.document_id
join extracted_entities e on e.id = x.extracted_entity_id
{join}
where {where}
order by d.path, x.start
"""


def why(store: Store, name: str, corrections: Corrections, *, types: tuple[str, ...] = (),
        entity_id: int | None = None) -> WhyReport:
    """Why ``name`` is an entity: its mentions with their provenance.

    Raises NotFoundError when no entity and no ignored mention bears the name.
    """
    key = alias_key(name)
    ignored = [MentionEvidence(*row) for row in store.db.execute(
        _EVIDENCE_SQL.format(extra="", join="",
                             where="x.id not in (select id from mentions)"),
    ) if alias_key(row[2]) == key or alias_key(row[7].split(" ", 1)[1]) == key]
    ignored_by = [f"ignore: {i.name}" + (f" ({i.type})" if i.type else "")
                  for i in corrections.ignores if alias_key(i.name) == key]
    try:
        entity = q.resolve(store, name, types or ENTITY_TYPES, entity_id)
    except NotFoundError:
        if ignored or ignored_by:
            return WhyReport(name, None, ignored=ignored, ignored_by=ignored_by)
        raise
    law_key, correction = store.db.execute(
        "select coalesce(law_key, ''), coalesce(correction, '') from entities where id = ?",
        [entity.id]).fetchone()
    mentions = [MentionEvidence(*row) for row in store.db.execute(
        _EVIDENCE_SQL.format(extra=", coalesce(m.link_rule, ''), coalesce(m.correction, '')",
                             join="join mentions m on m.id = x.id",
                             where="m.entity_id = ?"), [entity.id])]
    roles = [RoleEvidence(*row) for row in store.db.execute(
        """select d.path, r.title, coalesce(r.org, ''), coalesce(r.level, ''),
                  coalesce(r.jurisdiction, ''), coalesce(r.correction, '')
           from roles r join documents d on d.id = r.document_id
           where r.entity_id = ? order by d.path""", [entity.id])]
    from policycorpus.query.relations import actions_of

    return WhyReport(name, entity, law_key, [c for c in correction.split("; ") if c], roles,
                     mentions, ignored, ignored_by, actions_of(store, entity, limit=None))
