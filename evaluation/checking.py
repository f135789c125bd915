"""Checking a pupil's answer against a challenge's solution. Pure functions; only the server calls them."""

import unicodedata

# Letters that Unicode does not decompose but a pupil may type either way.
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "’": "'", "‘": "'", "ʼ": "'"})


def normalize_short_answer(text):
    """A typed answer as compared: case, accents, apostrophe style and extra spaces do not count."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_LIGATURES))
    without_accents = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(without_accents.split())


def is_short_answer_right(given, accepted):
    typed = normalize_short_answer(given)
    return bool(typed) and any(typed == normalize_short_answer(answer) for answer in accepted)


def is_choice_right(chosen, solution):
    """Single and multiple choice: the right proposals, all of them and only them."""
    return set(chosen) == set(solution) and bool(solution)
