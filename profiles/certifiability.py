"""Pix certifiability: level 1 or more in at least 5 of the 16 competences. Pure functions."""

MINIMUM_COMPETENCE_LEVEL_FOR_CERTIFIABILITY = 1
MINIMUM_CERTIFIABLE_COMPETENCES = 5


def is_competence_certifiable(level):
    return level >= MINIMUM_COMPETENCE_LEVEL_FOR_CERTIFIABILITY


def certifiable_competences_count(levels):
    return sum(1 for level in levels if is_competence_certifiable(level))


def is_certifiable(levels):
    return certifiable_competences_count(levels) >= MINIMUM_CERTIFIABLE_COMPETENCES


def missing_competences_for_certifiability(certifiable_count):
    """How many more competences must reach level 1 before the profile is certifiable."""
    return max(0, MINIMUM_CERTIFIABLE_COMPETENCES - certifiable_count)
