from django.core.management import call_command
from django.core.management.base import BaseCommand

from actions.loading import Cancelled, describe, load_content


class Command(BaseCommand):
    help = (
        "Charge les territoires officiels puis le contenu réel de l'annuaire (les six acteurs de la "
        "page de la CRESS Basse-Normandie). Crée ce qui manque et laisse tel quel ce qui existe : le "
        "travail de l'équipe (statuts, textes, partenariats ajoutés) n'est jamais écrasé. Avec --reset : "
        "remet les faits de la source, après avoir listé chaque modification."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Remettre les objets de la source à ses faits (textes, dates, relations) ; le statut de "
            "publication et les ajouts de l'équipe sont conservés. Liste les modifications et demande "
            "confirmation.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Lister ce qui changerait, sans rien écrire."
        )
        parser.add_argument(
            "--no-input", "--noinput", action="store_false", dest="interactive",
            help="Avec --reset : appliquer sans demander confirmation.",
        )  # fmt: skip

    def handle(self, *args, reset=False, dry_run=False, interactive=True, **options):
        if not dry_run:
            call_command("import_territories", stdout=self.stdout)

        def confirm(report):
            lines = describe(report)
            if reset or dry_run:
                self.stdout.write(
                    "\n".join(lines) if lines else "Aucune modification : la base est conforme à la source."
                )
            if dry_run:
                return False
            if reset and lines and interactive:
                answer = input(f"Appliquer ces {len(lines)} lignes de modifications ? [o/N] ")
                return answer.strip().lower() in {"o", "oui", "y", "yes"}
            return True

        try:
            report = load_content(reset=reset, confirm=confirm)
        except Cancelled:
            self.stdout.write("Rien n'a été écrit." if dry_run else "Annulé : rien n'a été écrit.")
            return
        self.stdout.write(self.style.SUCCESS(f"Contenu : {report.summary()}."))
