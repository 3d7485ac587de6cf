"""A Datasette metadata file for a policycorpus database: a label and a
description for every table and its columns, the label column of each table
that has one, default facets (``documents.entity_ids`` as an array facet) and
the full-text index's shadow tables hidden.

Use: ``datasette data/corpus.db --metadata metadata.json``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from policycorpus.store.database import Store

TABLES: dict[str, dict[str, Any]] = {
    "documents": {
        "title": "Documents",
        "description": "One row per ingested file: its text, metadata and the entities it mentions.",
        "label_column": "title",
        "facets": ["outlet", {"array": "entity_ids"}],
        "columns": {
            "path": "File path relative to the ingested folder",
            "hash": "SHA-256 of the file's bytes",
            "title": "Headline", "outlet": "Publication", "byline": "Author(s)",
            "published": "Publication date (ISO 8601)", "text": "Text without page chrome",
            "words": "Word count", "pipeline_version": "Version of code, model and models/ data",
            "ingested_at": "When the file was ingested (UTC)",
            "entity_ids": "JSON array of the ids of the entities it mentions (facet with _facet_array)",
            "url": "Web address the page or record gave", "dateline": "Dateline (LOS ANGELES —)",
            "source_format": "Input format: text, html, pdf, docx, jsonl, json or csv",
        },
    },
    "entities": {
        "title": "Entities",
        "description": "Officials, people, agencies, organizations, laws and places of the corpus.",
        "label_column": "name",
        "facets": ["type", "level"],
        "columns": {
            "type": "official, person, agency, organization, law or place",
            "name": "Canonical name",
            "level": "Level of government: federal, state, county, municipal or tribal",
            "jurisdiction": "Place (or nation) governed: United States, California, El Cajon...",
            "law_key": "Key of a law: jurisdiction, kind and number (US-CA SB 54)",
            "correction": "Corrections from the corrections file that shaped it",
        },
    },
    "aliases": {
        "title": "Aliases",
        "description": "Every surface form of an entity, with its normalised lookup key.",
        "label_column": "alias",
        "columns": {"alias": "Surface form", "key": "Normalised lookup key"},
    },
    "mentions": {
        "title": "Mentions",
        "description": "Each occurrence of an entity in a document, with its provenance.",
        "label_column": "text",
        "facets": ["source", "link_rule"],
        "columns": {
            "start": "Start character offset", "end": "End character offset",
            "text": "Surface text", "sent_start": "Start of its sentence",
            "sent_end": "End of its sentence", "label": "Label the pipeline gave it",
            "source": "Step that produced it: model, gazetteer, law-pattern, acronym, rule, title, linker",
            "model_label": "The base spaCy model's own label for this text",
            "rule_id": "Rule of models/ that produced or relabelled it (file#id)",
            "link_rule": "How it joined its entity across documents: name, official-name, surname, law-key, correction",
            "correction": "Corrections that touched it",
        },
    },
    "roles": {
        "title": "Roles",
        "description": "An official's title in one document, and the jurisdiction of the office.",
        "label_column": "title",
        "facets": ["level"],
        "columns": {
            "title": "Title as stated", "org": "Organization or place tied to the title",
            "level": "Level of government of the office", "jurisdiction": "Jurisdiction of the office",
            "correction": "Role correction that set it",
        },
    },
    "document_paths": {
        "title": "Document paths",
        "description": "Every path a document was found under: copies of a file are one "
                       "document with several paths; documents.path is the first one's name.",
        "label_column": "name",
        "columns": {"path": "The key: the file's resolved absolute path (#ID for a record)",
                    "name": "File path relative to the ingested folder",
                    "document_id": "The document stored for it"},
    },
    "quotes": {
        "title": "Quotes",
        "description": "Quotations attributed to a speaker entity: direct (in quote marks) or "
                       "indirect (reported speech), with offsets into the document.",
        "label_column": "text",
        "facets": ["kind", "cue"],
        "columns": {
            "start": "Start of the quoted text", "end": "End of the quoted text",
            "text": "The quoted (or reported) words", "kind": "direct or indirect",
            "cue": "The speech verb (said, told, according...)",
            "speaker_start": "Start of the speaker's mention",
            "speaker_end": "End of the speaker's mention",
            "speaker_text": "The speaker as named there",
        },
    },
    "document_entities": {
        "title": "Document entities",
        "description": "One row per entity per document with its number of mentions there, kept "
                       "by triggers on mentions; what entity reports count documents from.",
        "columns": {"entity_id": "The entity", "document_id": "The document",
                    "mentions": "How many times the document mentions the entity"},
    },
    "extracted_entities": {
        "title": "Extracted entities",
        "description": "Entities as the pipeline saw them in each document, before corpus-level "
                       "linking and corrections (input of reapply).",
        "label_column": "name",
    },
    "extracted_mentions": {
        "title": "Extracted mentions",
        "description": "Every mention the pipeline produced, with its provenance, including "
                       "mentions the corrections file ignores (input of reapply).",
        "label_column": "text",
    },
    "relations": {
        "title": "Law actions",
        "description": "Who did what to which law: one row per (document, subject, relation, "
                       "law), derived from extracted_relations by reapply, with the date of the "
                       "document and the sentence that states it (see ANNOTATION, Law actions).",
        "facets": ["relation"],
        "columns": {
            "subject_id": "The official, person, agency or organization that acted",
            "relation": "sponsor, sign, veto, vote_for, vote_against, pass, challenge, rule, "
                        "enforce, support or oppose",
            "object_id": "The law acted on", "date": "Publication date of the document",
            "extracted_relation_id": "The pipeline's first evidence of it (extracted_relations)",
            "start": "Start of the trigger word", "end": "End of the trigger word",
            "cue": "The trigger word (signed, vetoed, sponsor, lawsuit...)",
            "sent_start": "Start of the sentence that states it",
            "sent_end": "End of that sentence",
            "subject_text": "The subject as written there (before a reference was resolved)",
            "object_text": "The law as written there",
            "rule_id": "Rule of models/law_actions.jsonl that produced it, and how (passive, "
                       "reference, vote, stance...)",
            "evidence": "How many times the document states it",
            "correction": "The [[add_relation]] correction that added or confirmed it",
        },
    },
    "extracted_relations": {
        "title": "Extracted law actions",
        "description": "Every law action the pipeline found, with the offsets of its subject and "
                       "law mentions (input of reapply, which derives relations from them).",
        "label_column": "relation",
    },
    "meta": {
        "title": "Meta",
        "description": "Schema version, pipeline version, corrections applied.",
    },
    "documents_fts": {
        "title": "Full-text index",
        "description": "FTS5 index over document titles and texts.",
        "hidden": True,
    },
    **{name: {"title": title, "hidden": True,
              "description": "Change tracking of the incremental reapply (internal)."}
       for name, title in (("corpus_keys", "Link keys of extracted entities"),
                           ("corpus_pending", "Documents awaiting reapply"),
                           ("corpus_dirty", "Keys of deleted extracted entities"),
                           ("corpus_left", "Deleted extracted entities and their entity"))},
}
FTS_SHADOW_SUFFIXES = ("_data", "_idx", "_docsize", "_config", "_content")


def metadata(store: Store) -> dict[str, Any]:
    """The metadata document for ``store``: every table it has, described."""
    tables: dict[str, Any] = {}
    for name in store.db.table_names():
        if name in TABLES:
            tables[name] = TABLES[name]
        elif name.startswith("documents_fts") and name.endswith(FTS_SHADOW_SUFFIXES):
            tables[name] = {"hidden": True}
        else:  # a table this module does not know: a title, no invented description
            tables[name] = {"title": name.replace("_", " ").capitalize()}
    return {
        "title": "policycorpus",
        "description": "Officials, people, agencies, organizations, laws and places in a corpus "
                       "of policy news, each mention with its evidence.",
        "databases": {Path(store.path).stem: {"tables": tables}},
    }


def metadata_json(store: Store) -> str:
    """``metadata`` as indented JSON."""
    return json.dumps(metadata(store), indent=2, ensure_ascii=False) + "\n"
