"""Pipeline: the spaCy Language and policycorpus's components (spaCy is
imported only by ``build``).
"""
