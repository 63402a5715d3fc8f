from django.core.management.base import BaseCommand, CommandError

from actors import geocoding


class Command(BaseCommand):
    help = (
        "Calcule la position des organisations qui ont une adresse mais pas de position, depuis la Base "
        "adresse nationale (api-adresse.data.gouv.fr). Une position saisie par l'équipe n'est jamais "
        "remplacée. Avec --communes : le centre des communes (pour les distances de « près de chez moi »)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--communes", action="store_true", help="Placer aussi le centre des communes.")
        parser.add_argument("--limite", type=int, help="Nombre maximal de demandes (essais).")

    def handle(self, *args, communes=False, limite=None, **options):
        try:
            placed, missed = geocoding.geocode_organisations(limite)
            self.stdout.write(f"Organisations placées : {placed} ; adresses non trouvées : {missed}.")
            if communes:
                placed, missed = geocoding.geocode_communes(limite)
                self.stdout.write(f"Communes placées : {placed} ; non trouvées : {missed}.")
        except geocoding.Unreachable as error:
            raise CommandError(str(error)) from error
