"""The ``policycorpus`` command line: the group and its commands, by family.

Commands parse options, call the library and print with Rich; errors from
below become one-line messages with a named exit code (``options``).

- ``ingesting``: ingest, reapply
- ``queries``: person, law, agency, place, org, related, entities,
  documents, show, search, timeline, why
- ``exporting``: export, evaluate
- ``correcting``: merge, alias, ignore, retype, role
- ``relations``: relations (law actions), relate
"""

from __future__ import annotations

import click

from policycorpus import __version__
from policycorpus.cli import correcting, exporting, ingesting, queries, relations


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 88})
@click.version_option(__version__, prog_name="policycorpus")
def cli() -> None:
    """Turn a folder of policy news into a queryable map of officials, people,
    agencies, organizations, laws and places.

    \b
    Example:
      policycorpus ingest seeds/
      policycorpus person wells
      policycorpus law "SB 54"
      policycorpus export document-entities -o entities.csv
    """
    ingesting.show_library_warnings()


for command in (
    ingesting.ingest, ingesting.reapply,
    queries.person, queries.law, queries.agency, queries.place, queries.org,
    queries.related, queries.entities, queries.documents, queries.show, queries.search,
    queries.timeline, queries.why, relations.relations,
    exporting.export, exporting.evaluate,
    *correcting.VERBS, relations.relate,
):
    cli.add_command(command)


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="policycorpus")
