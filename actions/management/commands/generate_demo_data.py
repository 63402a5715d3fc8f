import time

from django.core.management.base import BaseCommand, CommandError

from actions import demo_data
from actors.models import Organisation


class Command(BaseCommand):
    help = (
        "Crée des données de démonstration fictives pour mesurer l'annuaire à grande échelle : N acteurs, "
        "chacun avec 2 programmes de 3 actions, des partenariats, secteurs et publics, sur les vrais "
        "territoires. Déterministe (--seed). Signalées « Démo · » sur chaque page, jamais exportées comme "
        "données réelles. --delete les retire toutes, et elles seules."
    )

    def add_arguments(self, parser):
        parser.add_argument("--actors", type=int, default=0, help="Nombre d'acteurs fictifs à ajouter.")
        parser.add_argument("--seed", type=int, default=1, help="Graine du tirage (défaut : 1).")
        parser.add_argument(
            "--delete", action="store_true", help="Retirer toutes les données de démonstration."
        )

    def handle(self, *args, actors=0, seed=1, delete=False, **options):
        started = time.monotonic()
        if delete:
            removed = demo_data.delete()
            summary = ", ".join(f"{label} : {count}" for label, count in removed.items())
            self.stdout.write(self.style.SUCCESS(f"Données de démonstration retirées ({summary})."))
            return
        if actors <= 0:
            raise CommandError("Indiquez --actors N (un nombre positif) ou --delete.")
        try:
            written = demo_data.generate(actors, seed=seed, stdout=self.stdout)
        except RuntimeError as error:
            raise CommandError(str(error)) from error
        total = Organisation.objects.filter(is_demo=True).actors().count()
        self.stdout.write(
            self.style.SUCCESS(
                f"{written} acteurs de démonstration ajoutés en {time.monotonic() - started:.0f} s "
                f"({total} au total)."
            )
        )
