"""How pupils' names are compared: without case, accents, or the spaces, dashes and apostrophes that
people type differently from the school's roster."""

import re
import unicodedata

_SEPARATORS = re.compile(r"[\s\-'’.]+")


def normalize_name(name):
    decomposed = unicodedata.normalize("NFKD", name)
    without_accents = "".join(char for char in decomposed if not unicodedata.combining(char))
    return _SEPARATORS.sub(" ", without_accents).strip().casefold()
