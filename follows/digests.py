"""The digest of a followed search: what changed, in ways that matter to someone who
follows it, among the organisations its filters keep, since its last digest — read from
the records' history (django-simple-history) and compared through the public record
(``actors/public_record.py``), so that a change only staff see (a note, a private phone)
is never announced:

- **nouvelle** : published now, not published at the start of the period (or not there);
- **archivée** : published at the start, archived now;
- **nouvelle adresse** : its address, postcode or commune changed;
- **nouveau contact** : its website, public phone, public e-mail or opening hours changed.

``send_digests(now)`` (the ``send_digests`` command, daily from cron, and the background
kind « Envoi des nouveautés aux recherches suivies ») sends each confirmed search that is
due (weekly or daily) its digest — none when nothing changed —, then deletes the searches
never confirmed after ``DIRECTORY_FOLLOW_UNCONFIRMED_DAYS`` days.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from actors import public_record
from actors.models import Organisation, Status
from common.collation import french_key
from jobs import mail

from . import links, searches
from .models import SavedSearch

ADDRESS = ("adresse", "code_postal", "commune")
CONTACT = ("website", "telephone", "courriel", "horaires")
# A cron at the same hour each week finds a search confirmed a few minutes later due.
SLACK = timedelta(hours=2)


@dataclass
class Change:
    name: str
    url: str  # empty for an archived organisation (its page is gone)
    what: list = field(default_factory=list)  # French: « nouvelle », « nouvelle adresse »…


def changes(query, since, now):
    """[Change] of the organisations ``query`` keeps, between ``since`` and ``now``, in
    French alphabetical order. A few queries, whatever the number of organisations."""
    History = Organisation.history.model
    touched = History.objects.filter(history_date__gt=since, history_date__lte=now).values("id")
    kept = searches.matching(query, Organisation.objects.actors().filter(pk__in=touched))
    current = {row["id"]: row for row in kept.order_by().values("id", "name", "slug", "status", *public_record.SOURCE)}
    if not current:
        return []
    before = {
        row["id"]: row
        # The same organisations as a subquery, not a list of their ids: an import of the
        # whole directory in one week must not send 100,000 parameters.
        for row in History.objects.filter(id__in=kept.values("id"), history_date__lte=since)
        .order_by("id", "-history_date", "-history_id")
        .distinct("id")
        .values("id", "status", *public_record.SOURCE)
    }
    found = []
    for pk, row in current.items():
        old = before.get(pk)
        was_public = old is not None and old["status"] == Status.PUBLISHED
        is_public = row["status"] == Status.PUBLISHED
        what = []
        if is_public and not was_public:
            what.append("nouvelle dans l'annuaire")
        elif was_public and row["status"] == Status.ARCHIVED:
            what.append("archivée (elle n'apparaît plus dans l'annuaire)")
        elif was_public and is_public:
            then, now_record = public_record.record(old), public_record.record(row)
            if any(then[key] != now_record[key] for key in ADDRESS):
                what.append("nouvelle adresse")
            if any(then[key] != now_record[key] for key in CONTACT):
                what.append("nouveau contact")
        if what:
            url = settings.DIRECTORY_SITE_URL + reverse("actors:detail", args=[row["slug"]]) if is_public else ""
            found.append(Change(row["name"], url, what))
    return sorted(found, key=lambda change: french_key(change.name))


def list_url(query):
    return settings.DIRECTORY_SITE_URL + reverse("actors:list") + (f"?{query}" if query else "")


def message(search, found):
    """(subject, text, html, headers) of a digest."""
    context = {
        "site_name": settings.DIRECTORY_SITE_NAME,
        "filters": searches.describe(search.query),
        "changes": found,
        "list_url": list_url(search.query),
        "unsubscribe_url": links.unsubscribe_url(search),
        "frequency": search.get_frequency_display(),
    }
    count = len(found)
    subject = f"{settings.DIRECTORY_SITE_NAME} : {count} changement{'s' if count > 1 else ''} dans votre recherche"
    # RFC 2369 and RFC 8058: the mail client's « Se désabonner » posts to the link, once.
    headers = {
        "List-Unsubscribe": f"<{links.unsubscribe_url(search)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
    return (
        subject,
        render_to_string("follows/digest_email.txt", context),
        render_to_string("follows/digest_email.html", context),
        headers,
    )


def send_digest(search, found):
    """Sends the digest through ``jobs.mail.send`` (the one door: after the commit, by the
    background worker, retried, headers cleaned), with its HTML part and its headers."""
    subject, text, html, headers = message(search, found)
    mail.send(subject, text, [search.email], html=html, headers=headers)


@dataclass
class Report:
    sent: int = 0
    checked: int = 0
    removed: int = 0

    def summary(self):
        return (f"{self.sent} résumé(s) envoyé(s) sur {self.checked} recherche(s) à jour ; "
                f"{self.removed} demande(s) jamais confirmée(s) supprimée(s).")  # fmt: skip


def due(search, now):
    return search.since() + search.period <= now + SLACK


@transaction.atomic
def send_digests(now=None, progress=None):
    now = now or timezone.now()
    report = Report()
    limit = now - timedelta(days=settings.DIRECTORY_FOLLOW_UNCONFIRMED_DAYS)
    report.removed, _ = SavedSearch.objects.unconfirmed_before(limit).delete()
    for search in SavedSearch.objects.confirmed().order_by("pk"):
        if not due(search, now):
            continue
        report.checked += 1
        found = changes(search.query, search.since(), now)
        if found:
            send_digest(search, found)
            search.last_sent_at = now
            search.save(update_fields=["last_sent_at"])
            report.sent += 1
    return report
