"""Render: Rich renderables for query results (nothing here prints)."""
