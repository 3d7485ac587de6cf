"""Store: the SQLite schema, migrations and every write, through sqlite-utils."""
