"""How pupils' names are compared: without case, accents, or the spaces, dashes and apostrophes that
people type differently from the school's roster."""

import re
import unicodedata

_SEPARATORS = re.compile(r"[\s\-'’.]+")
# Ligatures are letters of their own for Unicode: spelled out, « Œdipe » matches « Oedipe ».
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "Oe", "æ": "ae", "Æ": "Ae"})


def normalize_name(name):
    decomposed = unicodedata.normalize("NFKD", name.translate(_LIGATURES))
    without_accents = "".join(char for char in decomposed if not unicodedata.combining(char))
    return _SEPARATORS.sub(" ", without_accents).strip().casefold()
