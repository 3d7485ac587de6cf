"""Domain data of the pipeline (JSONL); see README."""
