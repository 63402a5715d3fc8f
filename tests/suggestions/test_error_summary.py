"""Public forms sent back with errors, as the State's design system (DSFR) shows them: an
error summary at the top (a heading that counts, a link per field in error to its control,
the errors of no field too), a title that begins with « Erreur : », and each field in error
marked for screen readers (aria-invalid, aria-describedby to a message that says « Erreur : »).
A page without errors shows none of it."""

from html.parser import HTMLParser

import pytest
from django import forms

from common.templatetags.form_errors import entries
from suggestions.forms import CorrectionForm, ListingForm
from suggestions.models import Suggestion
from tests.clock import signing_clock

from .test_contributions import correction, stamp

REPORT_PAGES = ["/acteurs/uraf/signaler/", "/actions/programmes/uraf-enquete-perte-d-autonomie/signaler/",
                "/actions/enquete-questionnaire-uraf/signaler/"]  # fmt: skip
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Page(HTMLParser):
    """What these tests read in a page: the title, every element with an id (tag, attributes,
    text), and the error summary's heading, links and items."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.title = ""
        self.ids = {}
        self.summaries = []
        self.fieldsets = []  # their attributes
        self._open = []  # (tag, id or None)
        self._text = {}
        self._in_title = False
        self._summary = None  # the summary being read: {"heading", "links", "items"}
        self._summary_depth = None
        self._part = None  # ("heading" | "link" | "item", text so far)
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "title":
            self._in_title = True
        if tag == "fieldset":
            self.fieldsets.append(attrs)
        if "id" in attrs:
            assert attrs["id"] not in self.ids, f"id en double : {attrs['id']}"
            self.ids[attrs["id"]] = (tag, attrs)
            self._text[attrs["id"]] = ""
        if "data-error-summary" in attrs:
            self._summary = {"attrs": attrs, "heading": "", "links": [], "items": []}
            self._summary_depth = len(self._open)
        if self._summary is not None:
            if tag == "h2":
                self._part = ["heading", ""]
            elif tag == "li":
                self._part = ["item", "", None]
            elif tag == "a" and self._part and self._part[0] == "item":
                self._part[2] = attrs.get("href")
        if tag not in VOID:
            self._open.append((tag, attrs.get("id")))

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False
        if tag in VOID:
            return
        while self._open:
            opened, _ = self._open.pop()
            if opened == tag:
                break
        if self._summary is not None:
            if tag == "h2" and self._part:
                self._summary["heading"] = self._part[1].strip()
                self._part = None
            elif tag == "li" and self._part:
                text = " ".join(self._part[1].split())
                self._summary["items"].append(text)
                if self._part[2]:
                    self._summary["links"].append((self._part[2], text))
                self._part = None
            if len(self._open) == self._summary_depth:
                self.summaries.append(self._summary)
                self._summary = None

    def handle_data(self, data):
        if self._in_title:
            self.title += data
        for _, element_id in self._open:
            if element_id:
                self._text[element_id] += data
        if self._part:
            self._part[1] += data

    def text(self, element_id):
        return " ".join(self._text[element_id].split())


def read(response):
    return Page(response.content.decode())


def check_errors_shown(page, invalid):
    """The summary, the title and every field of ``invalid`` (names) as the DSFR asks."""
    assert page.title.startswith("Erreur : "), page.title
    assert len(page.summaries) == 1, "one summary"
    summary = page.summaries[0]
    assert summary["attrs"]["tabindex"] == "-1"
    count = len(summary["items"])
    assert summary["heading"] == f"Le formulaire contient {count} erreur{'s' if count > 1 else ''}"
    targets = [href for href, _ in summary["links"]]
    assert len(targets) == len(set(targets)), "one link per field"
    for href, _text in summary["links"]:
        assert href.startswith("#") and href[1:] in page.ids, f"{href} mène à un id absent"
    for name in invalid:
        target = next((href[1:] for href in targets if href[1:] in (f"id_{name}", f"id_{name}_0")), None)
        assert target, f"pas de lien vers id_{name} dans {targets}"
        tag, attrs = page.ids[target]
        assert tag in ("input", "textarea", "select"), (name, tag)
        assert attrs.get("aria-invalid") == "true", (name, attrs)
        message_id = f"id_{name}_error"
        described = page.ids[f"id_{name}"][1] if target == f"id_{name}" else fieldset_of(page, name)
        assert message_id in described.get("aria-describedby", "").split(), (name, described)
        assert page.text(message_id).startswith("Erreur : "), page.text(message_id)
    assert len(summary["links"]) == len(invalid), (summary["links"], invalid)
    return summary


def fieldset_of(page, name):
    """The fieldset of a group of boxes: the one that names the group's error."""
    for attrs in page.fieldsets:
        if f"id_{name}_error" in attrs.get("aria-describedby", "").split():
            return attrs
    return {}


def check_no_errors_shown(page):
    assert not page.title.startswith("Erreur"), page.title
    assert "Erreur :" not in page.title
    assert page.summaries == []
    assert not any(attrs.get("aria-invalid") for _, attrs in page.ids.values())


# --- every public form, sent back with errors ---------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("url", REPORT_PAGES)
def test_a_report_sent_empty_shows_the_summary(directory, client, url):
    response = client.post(url, correction(what_is_wrong="", sender_email="pas-un-email"), REMOTE_ADDR="10.19.0.1")
    assert response.status_code == 400
    page = read(response)
    summary = check_errors_shown(page, ["what_is_wrong", "sender_email"])
    assert summary["links"][0][0] == "#id_what_is_wrong", "in the order of the form"
    assert "Qu'est-ce qui est inexact ou manque ? : Ce champ est obligatoire." in summary["items"][0]
    assert not Suggestion.objects.exists()


@pytest.mark.django_db
def test_a_listing_request_with_errors_shows_the_summary(directory, client):
    data = {"name": "", "identifier": "123", "street_address": "", "postcode": "ABCDE", "commune_name": "",
            "contact_email": "pas-un-email", "contact_phone": "", "sectors": ["999999"], "territories_text": "",
            "description": "", "sender_email": "", "stamp": stamp(), "website_confirmation": ""}  # fmt: skip
    response = client.post("/referencer/", data, REMOTE_ADDR="10.19.0.2")
    assert response.status_code == 400
    page = read(response)
    invalid = ["name", "identifier", "description", "sectors", "postcode", "commune_name", "contact_email",
               "sender_email"]  # fmt: skip
    check_errors_shown(page, invalid)
    # The group of boxes: its fieldset names the message; each box says it is invalid.
    fieldset = fieldset_of(page, "sectors")
    assert fieldset, "the sectors' fieldset points to its error"
    boxes = [attrs for tag, attrs in page.ids.values() if attrs.get("name") == "sectors"]
    assert boxes and all(attrs.get("aria-invalid") == "true" for attrs in boxes)
    # Fields without error are left alone.
    for name in ("street_address", "contact_phone", "territories_text"):
        assert "aria-invalid" not in page.ids[f"id_{name}"][1], name
        assert f"id_{name}_error" not in page.ids


@pytest.mark.django_db
def test_errors_of_no_field_are_listed_too(directory, client):
    with signing_clock(0):
        too_fast = correction(stamp=stamp(seconds_ago=0))
    response = client.post("/acteurs/uraf/signaler/", too_fast, REMOTE_ADDR="10.19.0.3")
    page = read(response)
    summary = page.summaries[0]
    assert page.title.startswith("Erreur : ")
    assert summary["heading"] == "Le formulaire contient 1 erreur"
    assert summary["links"] == [] and summary["items"][0].startswith("Envoi trop rapide")


@pytest.mark.django_db
def test_a_missing_stamp_says_what_to_do_not_that_a_hidden_field_is_required(directory, client):
    data = correction()
    del data["stamp"]
    page = read(client.post("/acteurs/uraf/signaler/", data, REMOTE_ADDR="10.19.0.4"))
    assert page.summaries[0]["items"] == [
        "Ce formulaire a expiré : rechargez la page et envoyez-le de nouveau."
    ]


@pytest.mark.django_db
def test_the_rate_limit_is_in_the_summary(directory, client):
    for _ in range(5):
        client.post("/acteurs/uraf/signaler/", correction(), REMOTE_ADDR="10.19.0.5")
    page = read(client.post("/acteurs/uraf/signaler/", correction(), REMOTE_ADDR="10.19.0.5"))
    assert page.title.startswith("Erreur : ")
    assert page.summaries[0]["items"] == ["Trop d'envois depuis votre adresse en une heure : réessayez plus tard."]


# --- the same pages, without errors -------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("url", [*REPORT_PAGES, "/referencer/"])
def test_a_form_shown_for_the_first_time_has_no_error(directory, client, url):
    response = client.get(url)
    assert response.status_code == 200
    check_no_errors_shown(read(response))


@pytest.mark.django_db
def test_the_verification_page_has_no_error(directory, client):
    from actors.models import Organisation
    from suggestions import verification

    response = client.get(f"/verifier/{verification.make_token(Organisation.objects.get(slug='uraf'))}/")
    assert response.status_code == 200
    check_no_errors_shown(read(response))


@pytest.mark.django_db
def test_the_sectors_are_a_fieldset_with_a_legend(directory, client):
    page = client.get("/referencer/").content.decode()
    start = page.index('<fieldset class="field field-choices"')
    group = page[start : page.index("</fieldset>", start)]
    assert "<legend>Secteurs (facultatif)</legend>" in group
    assert group.count('type="checkbox"') > 3
    assert group.count('<label for="id_sectors_') == group.count('type="checkbox"'), "each box in its label"


# --- the tags, for any form ---------------------------------------------------------------


class Pair(forms.Form):
    first = forms.CharField(label="Premier")
    hidden = forms.CharField(widget=forms.HiddenInput)


def test_the_tags_take_one_form_or_several_and_count_the_same():
    from django.template import Context, Template

    good, bad = Pair({"first": "x", "hidden": "y"}), Pair({"first": "", "hidden": ""})
    found = entries(good, [bad, None])
    assert [(e.target, e.label) for e in found] == [("id_first", "Premier"), ("", "")]
    assert entries(Pair(), good) == [], "an unbound form has no error to show"
    data = {"form-TOTAL_FORMS": "1", "form-INITIAL_FORMS": "0", "form-0-first": "", "form-0-hidden": "z"}
    assert [e.target for e in entries(forms.formset_factory(Pair)(data))] == ["id_form-0-first"]

    template = Template("{% load form_errors %}[{% error_title_prefix a b %}]{% include 'includes/_error_summary.html' with form=a %}")
    rendered = template.render(Context({"a": good, "b": good}))
    assert rendered.startswith("[]") and "data-error-summary" not in rendered
    rendered = template.render(Context({"a": bad, "b": good}))
    assert rendered.startswith("[Erreur : ]") and "Le formulaire contient 2 erreurs" in rendered
    assert '<a href="#id_first">Premier : Ce champ est obligatoire.</a>' in rendered


@pytest.mark.django_db
def test_the_forms_the_public_fills_in_mark_their_errors():
    """Django marks the fields themselves: the test fails if a widget loses it."""
    form = CorrectionForm({"what_is_wrong": ""})
    html = str(form["what_is_wrong"])
    assert 'aria-invalid="true"' in html and 'aria-describedby="id_what_is_wrong_error"' in html
    listing = ListingForm({"sectors": ["999999"]})
    assert 'aria-invalid="true"' in str(listing["sectors"])
