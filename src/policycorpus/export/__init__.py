"""Export: table-shaped views of the store written as CSV, JSON or JSONL."""
