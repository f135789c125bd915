"""CSV export of a profiles-collection campaign, with Pix's columns, streamed row by row.

The file opens right in a French spreadsheet: UTF-8 with a BOM, `;` separators. Cells that a
spreadsheet would run as a formula are neutralised with a leading apostrophe.
"""

import csv

from django.utils import timezone

from profiles.framework import COMPETENCES

BOM = "\ufeff"
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
CHUNK_SIZE = 2000


def neutralize_formula(value):
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def export_filename(campaign, today=None):
    today = today or timezone.localdate()
    safe_name = "".join(char if char.isalnum() else "-" for char in campaign.name).strip("-")[:80]
    return f"Resultats-{safe_name or campaign.code}-{campaign.pk}-{today:%Y-%m-%d}.csv"


def header(campaign):
    organization = campaign.organization
    columns = [
        "Nom de l'organisation",
        "ID Campagne",
        "Code",
        "Nom de la campagne",
        "Nom du Participant",
        "Prénom du Participant",
    ]
    if organization.type == organization.Type.SUP:
        columns += ["Groupe", "Numéro Étudiant"]
    else:
        columns.append("Classe")
    if campaign.external_id_label:
        columns.append(campaign.external_id_label)
    columns += [
        "Envoi (O/N)",
        "Date de l'envoi",
        "Nombre de pix total",
        "Certifiable (O/N)",
        "Nombre de compétences certifiables",
    ]
    for competence in COMPETENCES:
        columns += [
            f"Niveau pour la compétence {competence.name}",
            f"Nombre de pix pour la compétence {competence.name}",
        ]
    return columns


def _row(campaign, values):
    (
        last_name,
        first_name,
        division,
        student_id,
        external_id,
        shared_at,
        pix_score,
        is_certifiable,
        certifiable_count,
        competences,
    ) = values
    organization = campaign.organization
    row = [organization.name, campaign.pk, campaign.code, campaign.name, last_name, first_name]
    row += [division, student_id] if organization.type == organization.Type.SUP else [division]
    if campaign.external_id_label:
        row.append(external_id)
    if shared_at is None:
        row += ["N", "", "", "", ""] + ["NA"] * (2 * len(COMPETENCES))
    else:
        row += [
            "O",
            f"{timezone.localtime(shared_at):%d/%m/%Y}",
            pix_score,
            "O" if is_certifiable else "N",
            certifiable_count,
        ]
        for competence in COMPETENCES:
            result = competences.get(competence.code, {})
            row += [result.get("level", 0), result.get("pix", 0)]
    return [neutralize_formula(value) for value in row]


class _Echo:
    def write(self, value):
        return value


def export_rows(*, campaign, participations):
    """Yield the CSV file line by line: the whole file is never held in memory."""
    writer = csv.writer(_Echo(), delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    yield BOM + writer.writerow(header(campaign))
    values = participations.order_by("learner__last_name", "learner__first_name", "pk").values_list(
        "learner__last_name",
        "learner__first_name",
        "learner__division",
        "learner__national_student_id",
        "participant_external_id",
        "shared_at",
        "snapshot__pix_score",
        "snapshot__is_certifiable",
        "snapshot__certifiable_competences_count",
        "snapshot__competences",
    )
    for values_row in values.iterator(chunk_size=CHUNK_SIZE):
        yield writer.writerow(_row(campaign, values_row))
