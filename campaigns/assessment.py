"""The result of an assessment campaign, as the teacher reads it: the skills of the target profile the pupil
validated, competence by competence, and his mastery rate. Pure functions.

A skill is *validated* when the pupil's answers (or his earlier evaluations) show he masters it, *tested*
when they show it either way, and counted in the *total* when the target profile offers a challenge on it.
The mastery rate is the share of the total that is validated, in whole percent rounded down, so that 100 %
means every skill validated.
"""

from dataclasses import dataclass


def mastery_rate(validated, total):
    """Percent of the skills validated, rounded down; 0 when there is nothing to validate."""
    if total <= 0:
        return 0
    return 100 * validated // total


def _counts(validated, tested, total):
    return {
        "validated": validated,
        "tested": tested,
        "total": total,
        "mastery": mastery_rate(validated, total),
    }


def assessment_result(competences):
    """The frozen result of a sending: `competences` are what the evaluation app established for each
    target competence (code, name, and per topic its name and counts)."""
    result = {"competences": {}}
    for competence in competences:
        result["competences"][competence.code] = {
            "name": competence.name,
            **_counts(competence.validated, competence.tested, competence.total),
            "topics": [
                {"name": topic.name, **_counts(topic.validated, topic.tested, topic.total)}
                for topic in competence.topics
            ],
        }
    rows = result["competences"].values()
    result |= _counts(
        sum(row["validated"] for row in rows),
        sum(row["tested"] for row in rows),
        sum(row["total"] for row in rows),
    )
    return result


@dataclass(frozen=True)
class CompetenceMastery:
    """One target competence of a sent result, for the tables and the export."""

    code: str
    name: str
    validated: int
    tested: int
    total: int
    mastery: int
    topics: list


def competences_of(result, codes):
    """The result's competences in the order of `codes` (the campaign's target), None where it has none."""
    rows = (result or {}).get("competences", {})
    return [CompetenceMastery(code=code, **rows[code]) if code in rows else None for code in codes]
