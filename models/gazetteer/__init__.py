"""Gazetteers of real-world agencies, organizations, laws, places and titles."""
