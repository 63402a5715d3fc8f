import time

from django.core.management.base import BaseCommand

from actions.models import Action, Programme
from common import changes


class Command(BaseCommand):
    help = (
        "Recalcule la couverture stockée de tous les programmes et actions (territoires, secteurs, "
        "publics et années : les leurs, sinon ceux du programme, sinon ceux de l'acteur). Sans effet "
        "sur les contenus saisis ; n'écrit que les différences."
    )

    def handle(self, *args, **options):
        started = time.monotonic()
        changes.everything()  # one unit of work: every derived value, then the cache version
        self.stdout.write(
            self.style.SUCCESS(
                f"Couverture recalculée : {Programme.objects.count()} programmes, {Action.objects.count()} "
                f"actions, en {time.monotonic() - started:.1f} s."
            )
        )
