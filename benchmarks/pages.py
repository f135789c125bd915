"""The teacher pages measured, each at a small and a large size of the same data.

To measure another page, or the same page at a new address or with new parameters, edit `cases` only:
a case names the teacher who logs in (a key of `Dataset.teachers`), the URL name and its query string at
each size. A URL name that does not exist (yet) skips the case with a note instead of failing the run.
"""

import math
from dataclasses import dataclass, field

from django.urls import NoReverseMatch, reverse
from django_scopes import scopes_disabled

from campaigns.models import Participation

GOAL_RATIO = 1.3
MAX_QUERIES = 12
RESULTS_PAGE_SIZE = 25
DEEP_PAGE = 100
SEARCH = "moreau"


@dataclass(frozen=True)
class Visit:
    teacher: str
    path: str
    params: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Case:
    label: str
    small: Visit | None = None
    large: Visit | None = None
    sizes: str = "500 / 50,000 participants"
    goal: float = GOAL_RATIO
    skipped: str = ""


def _visit(teacher, name, args=(), **params):
    return Visit(teacher, reverse(name, args=args), params)


def _deepest_page(campaign_pk):
    """Page 100 of the results sorted by score, or the last page when there are fewer: Résultats lists
    the latest sending of each pupil who sent."""
    with scopes_disabled():
        sent = Participation.objects.filter(campaign_id=campaign_pk).latest_sendings().count()
    return min(DEEP_PAGE, max(1, math.ceil(sent / RESULTS_PAGE_SIZE)))


def cases(dataset):
    small, large = dataset.campaigns["small"], dataset.campaigns["large"]
    builders = [
        (
            "Résultats, first page",
            lambda: (
                _visit("large", "campaigns:results", [small]),
                _visit("large", "campaigns:results", [large]),
            ),
            {},
        ),
        (
            "Résultats, by score, deep page",
            lambda: (
                _visit("large", "campaigns:results", [small], tri="-score", page=_deepest_page(small)),
                _visit("large", "campaigns:results", [large], tri="-score", page=_deepest_page(large)),
            ),
            {},
        ),
        (
            f"Résultats, name search « {SEARCH} »",
            lambda: (
                _visit("large", "campaigns:results", [small], recherche=SEARCH),
                _visit("large", "campaigns:results", [large], recherche=SEARCH),
            ),
            {},
        ),
        (
            "Activité",
            lambda: (
                _visit("large", "campaigns:detail", [small]),
                _visit("large", "campaigns:detail", [large]),
            ),
            {},
        ),
        (
            "Campaign list « Toutes »",
            lambda: (
                _visit("few", "campaigns:list", vue="toutes"),
                _visit("many", "campaigns:list", vue="toutes"),
            ),
            {"sizes": "10 / 1,000 campaigns"},
        ),
        (
            "Campaign list « Mes campagnes »",
            lambda: (_visit("few", "campaigns:list"), _visit("many", "campaigns:list")),
            {"sizes": "10 / 500 campaigns"},
        ),
        (
            "Élèves",
            lambda: (_visit("few", "campaigns:learners"), _visit("large", "campaigns:learners")),
            {"sizes": "500 / 50,000 pupils"},
        ),
    ]
    result = []
    for label, build, options in builders:
        try:
            small_visit, large_visit = build()
        except NoReverseMatch as error:
            result.append(Case(label, skipped=f"no such page yet ({error})", **options))
            continue
        result.append(Case(label, small_visit, large_visit, **options))
    return result
