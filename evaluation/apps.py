from django.apps import AppConfig
from django.db.models.signals import post_migrate


class EvaluationConfig(AppConfig):
    name = "evaluation"
    verbose_name = "Évaluation (banque de questions)"

    def ready(self):
        # The bank is data versioned with the code: every `migrate` (make run, the container's start, the
        # test database) brings the database up to the files, so no one has to remember a command.
        post_migrate.connect(_load_bank_after_migrate, sender=self, dispatch_uid="evaluation_load_bank")


def _load_bank_after_migrate(sender, *, apps, verbosity=1, using="default", **kwargs):
    from .services import bank_load

    try:
        apps.get_model("evaluation", "Challenge")
        competence = apps.get_model("profiles", "Competence")
    except LookupError:
        return  # migrated backwards: the tables the bank goes into are not there
    if not competence.objects.using(using).exists():
        return  # a flushed database (transactional tests): no framework to attach the bank to
    report = bank_load(using=using)
    if verbosity >= 1 and report.changed:
        print(f"  Banque de questions : {report}")
