from django.core.management import call_command
from django.core.management.base import BaseCommand

from actions.loading import load_content


class Command(BaseCommand):
    help = (
        "Charge les territoires officiels (Calvados, Manche, Orne) puis le contenu réel de "
        "l'annuaire (les six acteurs de la page de la CRESS Basse-Normandie). Idempotent : "
        "peut être relancé sur une base vide ou existante."
    )

    def handle(self, *args, **options):
        call_command("import_territories", stdout=self.stdout)
        counts = load_content()
        summary = ", ".join(f"{label} : {count}" for label, count in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Contenu chargé ({summary})."))
