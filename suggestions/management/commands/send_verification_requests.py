from django.core.management.base import BaseCommand

from suggestions import verification


class Command(BaseCommand):
    help = (
        "Envoie à chaque organisation publiée dont la fiche n'a pas été vérifiée depuis "
        "DIRECTORY_REVERIFY_MONTHS mois (et qui a un e-mail) un lien signé, valable "
        "DIRECTORY_VERIFICATION_DAYS jours, pour confirmer que ses informations sont exactes. "
        "Une organisation déjà sollicitée n'est pas relancée tant que son lien est valable."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Lister les organisations sans rien envoyer."
        )

    def handle(self, *args, dry_run=False, **options):
        names = verification.send_requests(dry_run=dry_run)
        for name in names:
            self.stdout.write(f"  {name}")
        verb = "à envoyer" if dry_run else "envoyée(s)"
        self.stdout.write(self.style.SUCCESS(f"{len(names)} demande(s) de vérification {verb}."))
