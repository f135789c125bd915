"""Levels and Pix score from the pix earned per competence, with Pix's constants. Pure functions."""

from dataclasses import dataclass

from .certifiability import (
    certifiable_competences_count,
    is_certifiable,
    is_competence_certifiable,
    missing_competences_for_certifiability,
)
from .framework import COMPETENCE_CODES

PIX_COUNT_BY_LEVEL = 8


def capped_pix(pix, *, max_level):
    """Pix counted for one competence: what lies beyond the maximum reachable level is not counted."""
    if pix < 0:
        raise ValueError(f"pix cannot be negative: {pix}")
    return min(pix, PIX_COUNT_BY_LEVEL * max_level)


def live_competence_pix(*, baseline, evaluated):
    """The live pix of a competence: pix earned before pixorga (imported from Pix) and pix of the skills
    validated in pixorga's evaluations are not added — the same skills would count twice — but the larger
    one counts, so that an evaluation never lowers a profile."""
    return max(baseline, evaluated)


def level_for_pix(pix, *, max_level):
    return capped_pix(pix, max_level=max_level) // PIX_COUNT_BY_LEVEL


@dataclass(frozen=True)
class CompetenceResult:
    pix: int
    level: int


@dataclass(frozen=True)
class ProfileSummary:
    """A Pix profile read at one moment: what the pupil sees live and what a sending freezes."""

    competences: dict  # competence code -> CompetenceResult, for all 16 competences
    pix_score: int
    certifiable_competences_count: int
    is_certifiable: bool

    @property
    def missing_competences_for_certifiability(self):
        return missing_competences_for_certifiability(self.certifiable_competences_count)

    @property
    def closest_to_certifiable(self):
        """The codes of the competences to raise to level 1, those with the most pix first, as many as the
        profile lacks to be certifiable."""
        return competences_closest_to_level_one(
            self.competences, limit=self.missing_competences_for_certifiability
        )


def summarize_profile(pix_by_competence, *, max_level):
    """Summarise raw pix per competence code; competences absent from the mapping have 0 pix."""
    unknown = set(pix_by_competence) - set(COMPETENCE_CODES)
    if unknown:
        raise ValueError(f"unknown competence codes: {sorted(unknown)}")
    competences = {}
    for code in COMPETENCE_CODES:
        pix = capped_pix(pix_by_competence.get(code, 0), max_level=max_level)
        competences[code] = CompetenceResult(pix=pix, level=pix // PIX_COUNT_BY_LEVEL)
    levels = [result.level for result in competences.values()]
    return ProfileSummary(
        competences=competences,
        pix_score=sum(result.pix for result in competences.values()),
        certifiable_competences_count=certifiable_competences_count(levels),
        is_certifiable=is_certifiable(levels),
    )


def competences_closest_to_level_one(competences, *, limit=3):
    """The competences still below level 1, those nearest to it first: where a pupil who is not certifiable
    should work first. `competences` maps a code to {"pix", "level"} (a snapshot) or a CompetenceResult."""

    def pix_and_level(result):
        if isinstance(result, CompetenceResult):
            return result.pix, result.level
        return result.get("pix", 0), result.get("level", 0)

    below = [
        (pix_and_level(competences[code])[0], index, code)
        for index, code in enumerate(COMPETENCE_CODES)
        if code in competences and not is_competence_certifiable(pix_and_level(competences[code])[1])
    ]
    below += [(0, index, code) for index, code in enumerate(COMPETENCE_CODES) if code not in competences]
    return [code for _, _, code in sorted(below, key=lambda item: (-item[0], item[1]))][:limit]
