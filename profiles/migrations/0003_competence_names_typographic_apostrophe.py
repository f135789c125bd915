from django.db import migrations

from profiles.framework import COMPETENCES


def rename_competences(apps, schema_editor):
    """Competence names as Pix spells them in its exports, with the typographic apostrophe ’."""
    Competence = apps.get_model("profiles", "Competence")
    for info in COMPETENCES:
        Competence.objects.filter(code=info.code).update(name=info.name)


class Migration(migrations.Migration):
    dependencies = [("profiles", "0002_install_pix_framework")]

    operations = [migrations.RunPython(rename_competences, migrations.RunPython.noop)]
