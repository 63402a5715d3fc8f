"""A contribution is saved and thanked whatever happens to its e-mail (issue 23): a
newline in a name never reaches a header (jobs/mail.py strips control characters from
subjects and addresses, the one place), and a mail server that does not answer is retried
by the task, never an error page for the visitor."""

import logging
import socket
from types import SimpleNamespace

import pytest
from django.core import mail

from suggestions.models import Kind, Suggestion
from tests.suggestions.test_contributions import stamp


def listing(name):
    return {"name": name, "identifier": "732 829 320", "street_address": "3 rue du Port", "postcode": "14400",
            "commune_name": "Bayeux", "contact_email": "contact@recyclerie.example", "contact_phone": "",
            "sectors": [], "territories_text": "Bessin", "description": "Réemploi et emploi.",
            "sender_email": "fondatrice@example.org", "stamp": stamp(), "website_confirmation": ""}  # fmt: skip


@pytest.fixture
def moderators(settings):
    settings.MANAGERS = [("Modération", "moderation@cress.example")]


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["Recyclerie\nBcc: victime@example.org", "Recyclerie\r\nBcc: x@example.org",
                                  "Recyclerie\rdu\tBessin\u2028"])  # fmt: skip
def test_a_control_character_in_a_name_never_reaches_a_header(directory, client, moderators, name,
                                                              django_capture_on_commit_callbacks):  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/referencer/", listing(name), REMOTE_ADDR="10.9.0.4", follow=True)
    assert response.status_code == 200 and "Merci" in response.content.decode()
    assert Suggestion.objects.filter(kind=Kind.LISTING).count() == 1
    [told] = [message for message in mail.outbox if message.to == ["moderation@cress.example"]]
    assert told.subject.startswith("[Annuaire ESS] Contribution à modérer : Référencement : Recyclerie")
    assert not any(character in told.subject for character in "\n\r\x00\u2028")
    message = told.message()
    assert message["Bcc"] is None and told.recipients() == ["moderation@cress.example"]


def closed_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # nothing listens once the probe is closed


@pytest.mark.django_db
def test_an_unreachable_mail_server_still_thanks_the_visitor(directory, client, moderators, settings, caplog,
                                                             django_capture_on_commit_callbacks):  # fmt: skip
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", closed_port(), False
    settings.EMAIL_TIMEOUT = 2
    with caplog.at_level(logging.WARNING, logger="jobs"), django_capture_on_commit_callbacks(execute=True):
        response = client.post("/referencer/", listing("Recyclerie du Bessin"), REMOTE_ADDR="10.9.0.5", follow=True)
    assert response.status_code == 200 and "Merci" in response.content.decode()
    assert Suggestion.objects.filter(kind=Kind.LISTING, name="Recyclerie du Bessin").exists()
    retries = [r for r in caplog.records if "not sent (attempt" in r.getMessage()]
    assert len(retries) == settings.JOBS_EMAIL_ATTEMPTS - 1, "the task tried again"
    assert any("not sent after" in r.getMessage() for r in caplog.records)


def test_header_keeps_one_line():
    from jobs.mail import header

    assert header("Crèche\r\n\tdes Lilas\x7f ") == "Crèche des Lilas"


@pytest.mark.django_db
def test_a_queue_that_refuses_the_e_mail_still_thanks_the_visitor(directory, client, moderators, monkeypatch,
                                                                   django_capture_on_commit_callbacks):  # fmt: skip
    from jobs import tasks

    def refused(*args, **kwargs):
        raise ConnectionError("queue unreachable")

    monkeypatch.setattr(tasks, "send_email", SimpleNamespace(enqueue=refused))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/referencer/", listing("Recyclerie du Bessin"), REMOTE_ADDR="10.9.0.6", follow=True)
    assert response.status_code == 200 and "Merci" in response.content.decode()
    assert Suggestion.objects.filter(kind=Kind.LISTING, name="Recyclerie du Bessin").exists()


@pytest.mark.django_db
def test_headers_of_its_own_are_cleaned_at_the_same_door(django_capture_on_commit_callbacks):
    """A digest (follows/digests.py) sends an HTML part and List-Unsubscribe through
    ``jobs.mail.send`` too: its header values lose their control characters there."""
    from jobs import mail as door

    with django_capture_on_commit_callbacks(execute=True):
        door.send("Résumé\nBcc: x@example.org", "texte", ["a@example.org"], html="<p>texte</p>",
                  headers={"List-Unsubscribe": "<https://annuaire.example/x>\r\nBcc: victime@example.org"})  # fmt: skip
    [sent] = mail.outbox
    assert sent.subject == "Résumé Bcc: x@example.org" and sent.alternatives[0][0] == "<p>texte</p>"
    assert sent.extra_headers["List-Unsubscribe"] == "<https://annuaire.example/x> Bcc: victime@example.org"
    assert sent.message()["Bcc"] is None
