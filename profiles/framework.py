"""The Pix competence framework (référentiel Pix, after the European DigComp): 5 areas, 16 competences.

Plain data, so that scoring, certifiability and exports can use it without the database; the data
migration installs the same areas and competences as rows for foreign keys and the admin.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class AreaInfo:
    code: str
    title: str


@dataclass(frozen=True)
class CompetenceInfo:
    code: str
    name: str
    area: AreaInfo


_INFORMATION = AreaInfo("1", "Information et données")
_COMMUNICATION = AreaInfo("2", "Communication et collaboration")
_CREATION = AreaInfo("3", "Création de contenu")
_PROTECTION = AreaInfo("4", "Protection et sécurité")
_ENVIRONMENT = AreaInfo("5", "Environnement numérique")

AREAS = (_INFORMATION, _COMMUNICATION, _CREATION, _PROTECTION, _ENVIRONMENT)

COMPETENCES = (
    CompetenceInfo("1.1", "Mener une recherche et une veille d’information", _INFORMATION),
    CompetenceInfo("1.2", "Gérer des données", _INFORMATION),
    CompetenceInfo("1.3", "Traiter des données", _INFORMATION),
    CompetenceInfo("2.1", "Interagir", _COMMUNICATION),
    CompetenceInfo("2.2", "Partager et publier", _COMMUNICATION),
    CompetenceInfo("2.3", "Collaborer", _COMMUNICATION),
    CompetenceInfo("2.4", "S’insérer dans le monde numérique", _COMMUNICATION),
    CompetenceInfo("3.1", "Développer des documents textuels", _CREATION),
    CompetenceInfo("3.2", "Développer des documents multimédia", _CREATION),
    CompetenceInfo("3.3", "Adapter les documents à leur finalité", _CREATION),
    CompetenceInfo("3.4", "Programmer", _CREATION),
    CompetenceInfo("4.1", "Sécuriser l’environnement numérique", _PROTECTION),
    CompetenceInfo("4.2", "Protéger les données personnelles et la vie privée", _PROTECTION),
    CompetenceInfo("4.3", "Protéger la santé, le bien-être et l’environnement", _PROTECTION),
    CompetenceInfo("5.1", "Résoudre des problèmes techniques", _ENVIRONMENT),
    CompetenceInfo("5.2", "Construire un environnement numérique", _ENVIRONMENT),
)

COMPETENCE_CODES = tuple(competence.code for competence in COMPETENCES)


def grouped_by_area(results):
    """[(area, [(competence, result), …]), …] in the framework's order, for pages that show a profile.

    `results` maps a competence code to what is shown for it (a level and pix); a missing code gives None.
    """
    return [
        (
            area,
            [
                (competence, results.get(competence.code))
                for competence in COMPETENCES
                if competence.area == area
            ],
        )
        for area in AREAS
    ]
