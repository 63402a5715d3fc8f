"""Every admin page reads as written French: a crawler logs in as a superuser, makes the
data that shows the awkward cases (a history with a boolean, a list, empty values, a
number, a date and a foreign key changed; a likely duplicate; an import; a contribution;
a locked-out login), then visits every page staff can reach by a link — the home, each
app, each model's list, add form, change form, deletion page and history, the history's
versions (« Rétablir »), the import and merge pages, the login and lockout pages — and
fails on what is not French: Python's words (None, True, False, [], {}…) and English
words from the list below, each reported as « page → word in its context »."""

import json
import re
from datetime import date
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from actors.models import Organisation, Sector
from imports.models import DuplicatePair, ImportRecord
from jobs.models import Job
from jobs.service import failure_text
from suggestions.models import Kind, Suggestion
from territories.models import Territory
from tests.factories import OrganisationFactory, SectorFactory

# Python showing through: a value printed as Python writes it.
PYTHON = re.compile(
    r"\b(?:None|True|False|nan|NaN)\b|\[\]|\{\}|\[['\"<]|\{['\"]|\bDecimal\(|\bdatetime\.|\bdate\(|\bUUID\("
    r"|<\w+(?:\.\w+)* object at 0x|\bQuerySet\b|\bOrderedDict\b|\bobject \(\d+\)|\bNoneType\b"
)

# English that staff were shown (the admin's, django-simple-history's, django-axes'), and
# words of those libraries' usual English. Case matters: « Actions », « Date », « Imports »
# and « Permissions » are French too and are not listed; proper nouns in the content are
# not English words of the interface.
ENGLISH = [
    "CHANGES", "Changes", "Change", "Changed", "Change reason", "Change history", "Changed by",
    "Historical", "historical", "History", "history", "object", "objects", "Object", "Objects",
    "Add", "Delete", "Deleted", "Created", "Save", "Search", "Filter", "Filters", "Actors", "Revert",
    "View", "Close", "Home", "Comment", "Date/time", "entry", "entries", "AXES", "Axes", "Access attempts",
    "Access attempt", "Access failures", "Access failure", "Access logs", "Access log", "access attempt",
    "access failure", "access log", "Attempt", "Attempts", "Failures", "Yes", "No", "Unknown", "None", "by",
    "By", "Show", "Hide", "Date joined", "Last login", "Username", "Password", "User", "Users", "Groups",
    "Group", "Staff status", "Superuser status", "Active", "Logout", "Log out", "Log in", "Welcome",
    "Select", "selected", "Go", "Run", "Clear", "all", "All", "Any date", "Today", "Past 7 days",
    "This month", "This year", "Has date", "No date", "Please", "Are you sure", "Summary", "Remove",
    "Revert", "chars", "Choose", "Previous", "Next", "IP address", "User agent", "Path", "Failures",
    "Attempt time", "Logout time", "Get data", "Post data", "Locked out", "Username field",
]  # fmt: skip
ENGLISH_RE = re.compile(r"(?<![\w'’-])(?:" + "|".join(map(re.escape, sorted(set(ENGLISH), key=len, reverse=True)))
                        + r")(?![\w'’-])")  # fmt: skip

# Django's « l' objet », simple-history's translations: French badly written.
BAD_FRENCH = re.compile(r"\bl' \w|\bPar pas\b|\bun objet \w+ supplémentaire\b|\bAucun\(e\)", re.I)

# Attributes whose text people read or hear (buttons, tooltips, screen readers).
SHOWN_ATTRIBUTES = {"title", "alt", "placeholder", "aria-label"}
BUTTON_TYPES = {"submit", "button", "reset"}


class VisibleText(HTMLParser):
    """The text of a page as people read or hear it: its words, its buttons' labels, its
    tooltips; scripts, styles and what only a machine reads left out."""

    SKIPPED = {"script", "style", "template"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self.skipping = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIPPED:
            self.skipping += 1
            return
        attrs = dict(attrs)
        for name in SHOWN_ATTRIBUTES:
            if attrs.get(name):
                self.parts.append(attrs[name])
        if tag == "input" and attrs.get("type") in BUTTON_TYPES and attrs.get("value"):
            self.parts.append(attrs["value"])
        if attrs.get("data-inline-formset"):  # the links the inlines' script writes
            options = json.loads(attrs["data-inline-formset"])["options"]
            self.parts += [options.get("addText", ""), options.get("deleteText", "")]

    def handle_endtag(self, tag):
        if tag in self.SKIPPED and self.skipping:
            self.skipping -= 1

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)

    @classmethod
    def of(cls, html):
        parser = cls()
        parser.feed(html)
        return re.sub(r"\s+", " ", " | ".join(part.strip() for part in parser.parts if part.strip()))


def offences(text):
    """[word in its context] for every Python literal, English word or bad French."""
    found = []
    for pattern in (PYTHON, ENGLISH_RE, BAD_FRENCH):
        for match in pattern.finditer(text):
            start, end = max(0, match.start() - 40), match.end() + 40
            found.append(f"« {match.group(0)} » dans « …{text[start:end]}… »")
    return found


def test_the_detector_finds_what_the_issue_reported():
    reported = (
        "CHANGES | Raison de la modification | None | False → True | [] → [Secteur 1] | Aucun(e) | "
        "Actors › Historical organisations | l' objet | AXES | Par pas un doublon | "
        "Ajouter un objet Programme supplémentaire"
    )
    words = {entry.split(" »")[0][2:] for entry in offences(reported)}
    assert {"CHANGES", "None", "False", "True", "[]", "Aucun(e)", "Actors", "Historical", "l' o", "AXES",
            "Par pas", "un objet Programme supplémentaire"} <= words, words  # fmt: skip


def test_the_detector_leaves_french_alone():
    french = (
        "Historique | Modifications | Ajouter une action | Actions | Imports, doublons et fusions | "
        "Connexions | Date de vérification | oui → non | (vide) → Caen | l'organisation | "
        "Tentatives d'accès | Permissions | Rétablir cette version"
    )
    assert offences(french) == []


# --- The data that shows the awkward cases -------------------------------------------------


@pytest.fixture
def crawl_data(directory):
    """Objects of every kind the admin lists, and a history with every kind of change."""
    now = timezone.now()
    commune = Territory.objects.filter(kind="commune").first()
    sectors = [Sector.objects.order_by("pk").first(), SectorFactory(name="Secteur du crawler")]
    organisation = OrganisationFactory(name="Association des pages en français", description="")
    # Changed field by field, as staff would over time: a boolean, a list, empty values
    # filled, a number, a date, a foreign key, a reason or none.
    organisation.phone_public = True
    organisation._change_reason = "Appel de la structure"
    organisation.save()
    organisation.sectors.set(sectors)
    organisation.save()
    organisation.description = "Une description écrite après coup."
    organisation.commune = commune
    organisation.latitude, organisation.longitude = Decimal("49.182863"), Decimal("-0.370679")
    organisation.verified_at = date(2026, 11, 26)
    organisation.save()
    organisation.sectors.set([])
    organisation.phone_public = False
    organisation.description = ""
    organisation.save()
    twin = OrganisationFactory(name="Association des pages en francais", siren=organisation.siren)
    first, second = sorted([organisation, twin], key=lambda o: o.pk)
    DuplicatePair.objects.update_or_create(first=first, second=second,
                                           defaults={"reason": "name_commune", "score": 0.93})  # fmt: skip
    ImportRecord.objects.create(
        file_name="acteurs.csv", content=b"nom\nUn acteur\n", kind="", publish=True,
        state=ImportRecord.State.IMPORTED, created=1, report="Organisations : 1 création.", imported_at=now,
    )  # fmt: skip
    for state, extra in ((Job.State.RUNNING, {"done": 1200, "total": 5000, "step": "Lignes simulées"}),
                         (Job.State.FAILED, {"error": failure_text(ZeroDivisionError("division by zero"))}),
                         (Job.State.DONE, {"summary": "3 organisation(s) placée(s) sur la carte.", "result_url": "/"}),
                         (Job.State.WAITING, {})):
        Job.objects.create(kind="doublons", title=f"Recherche des doublons ({state.label})", state=state,
                           started_at=now, progressed_at=now, **extra)  # fmt: skip
    Suggestion.objects.create(kind=Kind.CORRECTION, organisation=organisation, what_is_wrong="Le téléphone a changé.",
                              proposed_text="02 31 00 00 00", sender_email="benevole@example.org")  # fmt: skip
    Suggestion.objects.create(kind=Kind.LISTING, name="Épicerie solidaire du Bocage", commune_name="Vire")
    AccessAttempt.objects.create(username="intrus", ip_address="192.0.2.1", user_agent="Mozilla/5.0",
                                 get_data="", post_data="", http_accept="text/html", path_info="/admin/login/",
                                 failures_since_start=5)  # fmt: skip
    AccessFailureLog.objects.create(username="intrus", ip_address="192.0.2.1", user_agent="Mozilla/5.0",
                                    http_accept="text/html", path_info="/admin/login/", locked_out=True)  # fmt: skip
    AccessLog.objects.create(username="admin", ip_address="192.0.2.2", user_agent="Mozilla/5.0",
                             http_accept="text/html", path_info="/admin/login/", logout_time=now)  # fmt: skip
    return organisation


@pytest.fixture
def superuser(staff_groups):
    return User.objects.create_superuser("superadmin", "superadmin@example.org", "mot-de-passe-de-test")


def admin_urls(user):
    """Every admin page reachable by GET (with a link to it): the home, each app, and for
    each model its list, add form, one object's change form, deletion page and history,
    and for a model with history the versions of that object (the restore form)."""
    request = RequestFactory().get("/")
    request.user = user
    urls = [reverse("admin:index"), reverse("admin:password_change")]
    apps = set()
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        name = f"admin:{opts.app_label}_{opts.model_name}"
        if not model_admin.has_view_or_change_permission(request):
            continue
        apps.add(opts.app_label)
        urls.append(reverse(f"{name}_changelist"))
        if model_admin.has_add_permission(request):
            urls.append(reverse(f"{name}_add"))
        obj = model_admin.get_queryset(request).order_by("-pk").first()
        if obj is None:
            continue
        urls.append(reverse(f"{name}_change", args=[obj.pk]))
        urls.append(reverse(f"{name}_history", args=[obj.pk]))
        if model_admin.has_delete_permission(request, obj):
            urls.append(reverse(f"{name}_delete", args=[obj.pk]))
        history = getattr(model, getattr(opts, "simple_history_manager_attribute", "") or "-", None)
        if history is not None:
            records = history.filter(**{opts.pk.attname: obj.pk}).order_by("history_date")
            for record in {records.first(), records.last()} - {None}:
                urls.append(reverse(f"{name}_simple_history", args=[obj.pk, record.history_id]))
    urls += [reverse("admin:app_list", args=[label]) for label in sorted(apps)]
    return urls


def crawl(client, urls):
    failures, seen = {}, 0
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, f"{url} : {response.status_code}"
        seen += 1
        found = offences(VisibleText.of(response.content.decode()))
        if found:
            failures[url] = found
    return seen, failures


def report(failures):
    return "Pas en français :\n" + "\n".join(
        f"{url} → {entry}" for url, entries in failures.items() for entry in entries
    )


@pytest.mark.django_db
def test_every_admin_page_is_written_in_french(crawl_data, superuser):
    client = Client()
    client.force_login(superuser)
    organisation = crawl_data
    pair = DuplicatePair.objects.open().order_by("-pk").first()
    urls = admin_urls(superuser)
    # The pages of the model admins' own views, and the history of the object that has
    # every kind of change.
    history = reverse("admin:actors_organisation_history", args=[organisation.pk])
    urls += [
        history,
        *[reverse("admin:actors_organisation_simple_history", args=[organisation.pk, record.history_id])
          for record in organisation.history.all()],
        reverse("admin:imports_duplicatepair_merge", args=[pair.pk]),
        reverse("admin:imports_duplicatepair_changelist") + "?dismissed__exact=1",
        reverse("admin:imports_importrecord_add"),
        reverse("admin:jobs_job_launch"),
        *[reverse("admin:jobs_job_change", args=[job.pk]) for job in Job.objects.all()],
    ]  # fmt: skip
    seen, failures = crawl(client, urls)
    # The import's reports: a simulation that changes, erases and creates, then one refused.
    add = reverse("admin:imports_importrecord_add")
    for name, content in (
        ("acteurs.csv", "nom;adresse (slug);sigle;site web\n"
                        f"{organisation.name};{organisation.slug};APF;(effacer)\n"
                        "Épicerie solidaire du Bocage;;;\n"),
        ("erreurs.csv", "nom;adresse (slug);SIREN\n;sans-nom;12\n"),
    ):
        upload = SimpleUploadedFile(name, content.encode(), content_type="text/csv")
        response = client.post(add, {"file": upload, "kind": ""})
        assert response.status_code == 200 and b"data-import-report" in response.content, name
        found = offences(VisibleText.of(response.content.decode()))
        if found:
            failures[f"{add} (compte rendu de {name})"] = found
        seen += 1
    print(f"{seen} pages d'administration lues")
    assert seen > 60, seen
    assert not failures, report(failures)
    text = VisibleText.of(client.get(history).content.decode())
    for change in ("non → oui", "oui → non", "(vide) → Secteur du crawler, ", "(vide) → 26 novembre 2026",
                   "(vide) → 49,182863", f"(vide) → {organisation.commune.name}"):
        assert change in text, change


@pytest.mark.django_db
def test_an_editor_reads_every_page_in_french_too(crawl_data, editor, editor_client):
    """An editor sees other pages: read-only ones (« Consulter »), a version without
    « Rétablir »."""
    organisation = crawl_data
    urls = [
        *admin_urls(editor),
        reverse("admin:actors_organisation_history", args=[organisation.pk]),
        reverse("admin:actors_organisation_simple_history",
                args=[organisation.pk, organisation.history.earliest("history_date").history_id]),
    ]  # fmt: skip
    seen, failures = crawl(editor_client, urls)
    print(f"{seen} pages d'administration lues par une éditrice")
    assert seen > 40, seen
    assert not failures, report(failures)


@pytest.mark.django_db
def test_the_login_and_lockout_pages_are_in_french(crawl_data):
    client = Client()
    login = reverse("admin:login")
    seen, failures = crawl(client, [login])
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        response = client.post(login, {"username": "intrus2", "password": "pas-le-bon"}, REMOTE_ADDR="192.0.2.9")
    text = VisibleText.of(response.content.decode())
    if offences(text):
        failures[f"{login} (bloquée)"] = offences(text)
    assert "Connexion temporairement bloquée" in text
    assert not failures, report(failures)



def test_our_corrections_to_the_libraries_french_are_compiled():
    """locale/fr/LC_MESSAGES/django.mo says what django.po says (msgfmt was run)."""
    from django.utils import translation

    po = (settings.BASE_DIR / "locale" / "fr" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    entries = re.findall(r'^msgid "(.+)"\nmsgstr "(.+)"$', po, re.M)
    assert len(entries) > 5
    with translation.override("fr"):
        for msgid, msgstr in entries:
            assert translation.gettext(msgid) == msgstr, msgid


@pytest.mark.django_db
def test_one_function_writes_every_value_of_a_history():
    from simple_history.models import DeletedObject

    from common.history import shown_value

    field = Organisation._meta.get_field
    assert shown_value(field("phone_public"), True) == "oui"
    assert shown_value(field("phone_public"), False) == "non"
    assert shown_value(field("description"), None) == shown_value(field("description"), "") == "(vide)"
    assert shown_value(field("sectors"), []) == "(vide)"
    assert shown_value(field("sectors"), [SectorFactory(name="Tourisme"), SectorFactory(name="insertion")]) == (
        "insertion, Tourisme"
    )
    assert shown_value(field("family"), "association") == "Association"
    assert shown_value(field("verified_at"), date(2026, 11, 26)) == "26 novembre 2026"
    assert shown_value(field("latitude"), Decimal("49.182863")) == "49,182863"
    assert shown_value(field("commune"), DeletedObject(Territory, None)) == "(vide)"
    assert shown_value(field("commune"), DeletedObject(Territory, 12)) == "territoire n° 12 (supprimé)"
    assert shown_value(field("description"), "x" * 500).endswith("…")
