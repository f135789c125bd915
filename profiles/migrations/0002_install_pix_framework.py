from django.db import migrations

from profiles.framework import AREAS, COMPETENCES


def install_framework(apps, schema_editor):
    Area = apps.get_model("profiles", "Area")
    Competence = apps.get_model("profiles", "Competence")
    areas = {}
    for info in AREAS:
        areas[info.code], _ = Area.objects.update_or_create(code=info.code, defaults={"title": info.title})
    for info in COMPETENCES:
        Competence.objects.update_or_create(
            code=info.code, defaults={"name": info.name, "area": areas[info.area.code]}
        )


class Migration(migrations.Migration):
    dependencies = [("profiles", "0001_initial")]

    operations = [migrations.RunPython(install_framework, migrations.RunPython.noop)]
