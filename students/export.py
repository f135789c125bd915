"""CSV export of the Élèves list, with the campaign export's rules: UTF-8 with a BOM, `;` separators,
formulas neutralised in every cell and header (campaigns.export.neutralize_formula), streamed row by row."""

import csv

from django.utils import timezone

from campaigns.export import BOM, neutralize_formula

from .models import OrganizationLearner
from .selectors import LoginMethod

CHUNK_SIZE = 2000
HEADER = [
    "Nom",
    "Prénom",
    "Date de naissance",
    "Classe",
    "INE",
    "Méthode de connexion",
    "Nombre de participations",
    "Date de la dernière participation",
    "Dernière campagne",
    "Certificabilité",
    "Date de la certificabilité",
    "Nombre de compétences certifiables",
]
CERTIFICABILITY_LABELS = dict(OrganizationLearner.Certificability.choices)


def export_filename(organization, today=None):
    today = today or timezone.localdate()
    safe_name = "".join(char if char.isalnum() else "-" for char in organization.name).strip("-")[:80]
    return f"Eleves-{safe_name or organization.pk}-{today:%Y-%m-%d}.csv"


def _date(value, pattern="%d/%m/%Y"):
    if value is None:
        return ""
    if hasattr(value, "tzinfo"):
        value = timezone.localtime(value)
    return value.strftime(pattern)


def _row(values):
    (
        last_name,
        first_name,
        birthdate,
        division,
        national_student_id,
        login_method,
        participations_count,
        last_participation_at,
        last_campaign_name,
        certificability,
        certificability_at,
        certifiable_count,
    ) = values
    return [
        neutralize_formula(cell)
        for cell in (
            last_name,
            first_name,
            _date(birthdate),
            division,
            national_student_id,
            LoginMethod.CHOICES[login_method],
            participations_count,
            _date(last_participation_at),
            last_campaign_name or "",
            CERTIFICABILITY_LABELS[certificability],
            _date(certificability_at),
            "" if certifiable_count is None else certifiable_count,
        )
    ]


class _Echo:
    def write(self, value):
        return value


def export_rows(learners):
    """Yield the CSV file line by line, from the annotated queryset of selectors.learner_list."""
    writer = csv.writer(_Echo(), delimiter=";", lineterminator="\r\n")
    yield BOM + writer.writerow([neutralize_formula(cell) for cell in HEADER])
    values = learners.values_list(
        "last_name",
        "first_name",
        "birthdate",
        "division",
        "national_student_id",
        "login_method",
        "participations_count",
        "last_participation_at",
        "last_campaign_name",
        "certificability",
        "certificability_at",
        "certifiable_competences_count",
    )
    for values_row in values.iterator(chunk_size=CHUNK_SIZE):
        yield writer.writerow(_row(values_row))
