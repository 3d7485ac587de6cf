"""Names of bodies a title implies, as the text supports them.

"Pima County Sheriff Ana Diaz" names the county's sheriff's body, but whether
it is the "Sheriff's Office" or the "Sheriff's Department" varies by county
and state. The name comes from the text: the surface followed by a body word
somewhere in the document ("Pima County Sheriff's Office"), else the title's
template when the text uses it, else, for bodies whose name varies, the
surface itself ("Pima County Sheriff"), never an invented full name.
"""

from __future__ import annotations

import re

_BODY_WORDS = r"(?:Office|Department|Bureau|Division|Service|Agency)"
_VARYING = re.compile(r"['’]s (?:Office|Department)$")


def supported_body_name(text: str, surface: str, template: str) -> str:
    """The name of the body a title implies (``surface`` as the text words it,
    ``template`` the title's usual full name), as the document ``text`` supports it."""
    surface = " ".join(surface.replace("’", "'").split())
    if not surface:
        return template
    pattern = re.compile(re.escape(surface).replace("'", "['’]") + r"(['’]s)?\s+(" + _BODY_WORDS
                         + r")\b", re.IGNORECASE)
    match = pattern.search(text)
    if match:
        possessive = "'s" if match.group(1) else ""
        return f"{_titled(surface)}{possessive} {match.group(2).title()}"
    if template and re.search(re.escape(template).replace("'", "['’]"), text, re.IGNORECASE):
        return template
    if _VARYING.search(template):
        return _titled(surface)
    return template


def _titled(surface: str) -> str:
    """"Pima County sheriff" -> "Pima County Sheriff"."""
    return " ".join(w[:1].upper() + w[1:] if w.islower() else w for w in surface.split())
