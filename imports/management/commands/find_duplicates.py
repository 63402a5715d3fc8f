"""python manage.py find_duplicates

Looks for the likely duplicates of every organisation (the pairs the admin lists under
« Doublons probables »). Saves and imports keep the list current; this command fills it
for what was there before, or after rules change. It only adds or refreshes pairs: a pair
staff marked « pas un doublon » stays so."""

from django.core.management.base import BaseCommand

from actors.models import Organisation
from imports.duplicates import refresh
from imports.models import DuplicatePair


class Command(BaseCommand):
    help = "Cherche les doublons probables de toutes les organisations (liste « Doublons probables »)."

    def handle(self, *args, **options):
        organisations = (
            Organisation.objects.filter(is_demo=False, merged_into__isnull=True)
            .select_related("commune")
            .order_by("pk")
        )
        before = DuplicatePair.objects.count()
        for count, organisation in enumerate(organisations.iterator(chunk_size=2000), 1):
            refresh(organisation)
            if count % 5000 == 0:
                self.stdout.write(f"{count} organisations examinées…")
        found = DuplicatePair.objects.count() - before
        self.stdout.write(f"{found} nouvelle(s) paire(s) ; {DuplicatePair.objects.open().count()} en tout.")
