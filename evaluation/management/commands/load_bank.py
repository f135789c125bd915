from django.core.management.base import BaseCommand, CommandError

from evaluation import bank
from evaluation.selectors import Competence
from evaluation.services import bank_load


class Command(BaseCommand):
    help = "Charge la banque de questions (evaluation/content/*.toml) ; relancée, elle ne change rien."

    def add_arguments(self, parser):
        parser.add_argument("--dossier", default=str(bank.CONTENT_DIR), help="Dossier des fichiers .toml.")

    def handle(self, *args, dossier, **options):
        try:
            report = bank_load(directory=dossier)
        except bank.BankError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Banque de questions : {report}."))
        codes = Competence.objects.values_list("code", flat=True)
        for problem in bank.coverage_problems(report.competences, competence_codes=codes):
            self.stdout.write(self.style.WARNING(f"À compléter : {problem}."))
        thin = bank.single_challenge_skills(report.competences)
        if thin and options["verbosity"] >= 1:
            self.stdout.write(
                f"{len(thin)} acquis n’ont qu’une épreuve (une nouvelle tentative reverra la même) : "
                + ", ".join(thin)
            )
