from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection, transaction

from common.changes import content_changes


class Command(BaseCommand):
    help = (
        "Restaure une sauvegarde JSON (faite par « dumpdata territories actors actions suggestions "
        "auth.user auth.group --exclude actors.ListingCount --natural-foreign --natural-primary ») dans une base migrée et vide : "
        "contenus, historique, comptes. L'historique n'enregistre pas la restauration comme des "
        "modifications ; la couverture et les documents de recherche sont recalculés à la fin."
    )

    def add_arguments(self, parser):
        parser.add_argument("fichiers", nargs="+", help="Fichier(s) de sauvegarde JSON.")

    def handle(self, *args, fichiers, **options):
        enabled = getattr(settings, "SIMPLE_HISTORY_ENABLED", True)
        settings.SIMPLE_HISTORY_ENABLED = False  # the history is in the file, not in this load
        try:
            # One unit of work: the rows arrive as they were (raw saves are not followed one
            # by one), then every derived value is rebuilt once and the cache made stale.
            with transaction.atomic(), content_changes(reason="Restauration d'une sauvegarde") as changes:
                with connection.cursor() as cursor:
                    # The planner still has the statistics of the empty tables: with nested
                    # loops, each territory's roll-up (``reach``) re-read while loading cost
                    # 0.3 s, minutes in all. Hash joins do not depend on those estimates.
                    cursor.execute("SET LOCAL enable_nestloop = off")
                # The lists' counts are derived: PostgreSQL keeps them as the rows arrive
                # (``actors.models.ListingCount``), whatever an older file holds.
                call_command(
                    "loaddata", *fichiers, exclude=["actors.ListingCount"], verbosity=options["verbosity"]
                )
                changes.everything()
        finally:
            settings.SIMPLE_HISTORY_ENABLED = enabled
        self.stdout.write(self.style.SUCCESS("Sauvegarde restaurée ; couverture et recherche recalculées."))
