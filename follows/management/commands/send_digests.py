from django.core.management.base import BaseCommand

from follows.digests import send_digests


class Command(BaseCommand):
    help = (
        "Envoie les nouveautés aux recherches suivies (« Me prévenir ») qui les attendent : chaque semaine, ou "
        "chaque jour pour celles qui l'ont demandé ; rien quand rien n'a changé. Supprime les demandes jamais "
        "confirmées après DIRECTORY_FOLLOW_UNCONFIRMED_DAYS jours. À lancer chaque jour (la minuterie annuaire-digests.timer)."
    )

    def handle(self, *args, **options):
        self.stdout.write(self.style.SUCCESS(send_digests().summary()))
