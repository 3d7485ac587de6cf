"""Sources: find input files, decode them, strip page chrome, read title, byline and date."""
