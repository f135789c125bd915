"""A sent profile as the API shows it: the 16 competences of the framework, in its order, each with the
level and pix frozen in the snapshot."""

from rest_framework import serializers

from .framework import COMPETENCES


class CompetenceLevelSerializer(serializers.Serializer):
    code = serializers.CharField(
        help_text="Code de la compétence dans le référentiel Pix, par exemple `1.1`."
    )
    name = serializers.CharField()
    area_code = serializers.CharField(help_text="Domaine du référentiel, de `1` à `5`.")
    area_title = serializers.CharField()
    level = serializers.IntegerField(min_value=0, help_text="Niveau au moment de l'envoi.")
    pix = serializers.IntegerField(min_value=0)


def competence_levels(snapshot):
    """The 16 competences of `snapshot`; a competence it does not hold is at level 0 with 0 pix."""
    results = snapshot.competences
    return [
        {
            "code": competence.code,
            "name": competence.name,
            "area_code": competence.area.code,
            "area_title": competence.area.title,
            "level": (results.get(competence.code) or {}).get("level", 0),
            "pix": (results.get(competence.code) or {}).get("pix", 0),
        }
        for competence in COMPETENCES
    ]
