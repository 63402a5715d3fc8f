from django.core.management.base import BaseCommand

from common.cache import bump


class Command(BaseCommand):
    help = (
        "Rend périmées toutes les pages gardées en cache, sur tous les processus : après une mise à jour "
        "du code, les pages faites par l'ancien code (gabarits, textes) ne sont plus servies. Les "
        "contenus n'en ont pas besoin : chaque modification le fait déjà."
    )

    def handle(self, *args, **options):
        bump()
        self.stdout.write("Cache des pages périmé : chaque page sera refaite à sa prochaine demande.")
