"""policycorpus: turn a folder of policy news into a queryable map of who,
what law, which agency and where."""

__version__ = "0.1.0"
