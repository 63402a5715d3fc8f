"""Every e-mail the directory sends goes through here: it leaves only once the change it
announces is committed (``transaction.on_commit``), so nobody is told of a record that a
failed save rolled back. Sent by the background worker, with retries (``jobs/tasks.py``)."""

from django.conf import settings
from django.db import transaction


def send(subject, body, recipients):
    """Sends ``body`` to ``recipients`` (a list of addresses) after the current transaction
    commits; at once outside a transaction."""
    recipients = [address for address in recipients if address]
    if not recipients:
        return
    transaction.on_commit(lambda: deliver(subject, body, recipients))


def send_to_staff(subject, body):
    """To the moderators (``settings.MANAGERS``), after the commit."""
    send(settings.EMAIL_SUBJECT_PREFIX + subject, body, [address for _, address in settings.MANAGERS])


def deliver(subject, body, recipients):
    from .tasks import send_email

    send_email.enqueue(subject, body, recipients)
