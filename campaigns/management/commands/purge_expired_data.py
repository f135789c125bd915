from django.core.management.base import BaseCommand

from campaigns.retention import purge_expired_data


class Command(BaseCommand):
    help = "Supprime les campagnes archivées depuis plus que la durée de conservation, et les vieux exports."

    def handle(self, *args, **options):
        campaigns, logs = purge_expired_data()
        self.stdout.write(f"{campaigns} campagne(s) et {logs} entrée(s) du journal des exports supprimées.")
