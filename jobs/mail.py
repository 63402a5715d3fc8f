"""Every e-mail the directory sends goes through here: it leaves only once the change it
announces is committed (``transaction.on_commit``), so nobody is told of a record that a
failed save rolled back. Sent by the background worker, with retries (``jobs/tasks.py``).

What reaches a header (the subject, the addresses) loses its control characters here, the
one place: a visitor's « Crèche\\nBcc: … » in a name becomes one line, never a header of its
own nor a ``BadHeaderError``. And a notification that cannot leave (the queue or the mail
server down) is logged and retried by the task, never an error page for the visitor whose
contribution is already saved."""

import logging
import re

from django.conf import settings
from django.db import transaction

logger = logging.getLogger("jobs")

# C0 and C1 controls (newline, carriage return, tab, NUL…), and the Unicode line and
# paragraph separators: none belongs in a header line.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


def header(text):
    """``text`` fit for a header: each run of control characters becomes one space."""
    return " ".join(CONTROL_CHARACTERS.sub(" ", str(text)).split())


def send(subject, body, recipients, html="", headers=None):
    """Sends ``body`` to ``recipients`` (a list of addresses) after the current transaction
    commits; at once outside a transaction. ``html``: an HTML part beside the text;
    ``headers``: headers of its own (a digest's List-Unsubscribe), cleaned like the subject."""
    recipients = [header(address) for address in recipients if address]
    recipients = [address for address in recipients if address]
    if not recipients:
        return
    subject = header(subject)
    extra = {}
    if html:
        extra["html"] = html
    if headers:
        extra["headers"] = {header(name): header(value) for name, value in headers.items()}
    transaction.on_commit(lambda: deliver(subject, body, recipients, **extra))


def send_to_staff(subject, body):
    """To the moderators (``settings.MANAGERS``), after the commit."""
    send(settings.EMAIL_SUBJECT_PREFIX + subject, body, [address for _, address in settings.MANAGERS])


def deliver(subject, body, recipients, **extra):
    from .tasks import send_email

    try:
        send_email.enqueue(subject, body, recipients, **extra)
    except Exception:  # the task retries and logs each failure; the page that asked goes on
        logger.exception("E-mail « %s » to %s not sent now", subject, recipients)
