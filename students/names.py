"""How pupils' names are compared: without case, accents, or the spaces, dashes and apostrophes that
people type differently from the school's roster."""

import re
import unicodedata

from django.db.models import Q

_SEPARATORS = re.compile(r"[\s\-'’.]+")
# Ligatures are letters of their own for Unicode: spelled out, « Œdipe » matches « Oedipe ».
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "Oe", "æ": "ae", "Æ": "Ae"})


def normalize_name(name):
    decomposed = unicodedata.normalize("NFKD", name.translate(_LIGATURES))
    without_accents = "".join(char for char in decomposed if not unicodedata.combining(char))
    return _SEPARATORS.sub(" ", without_accents).strip().casefold()


def name_search(text, *, prefix=""):
    """A filter matching pupils whose first or last name holds every word of `text`, accents, case and
    separators aside (on the stored normalised names, so the same on every database). `prefix` reaches
    the learner from another model, e.g. "learner__"."""
    condition = Q()
    for word in normalize_name(text).split():
        condition &= Q(**{f"{prefix}normalized_last_name__contains": word}) | Q(
            **{f"{prefix}normalized_first_name__contains": word}
        )
    return condition
