"""The tasks the worker runs (Django's Tasks interface: ``django.tasks`` from Django 6.0,
its backport ``django_tasks`` until then). Two only: run a job (``jobs/service.py``), and
send an e-mail, retried with a growing delay when the mail server fails."""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, send_mail
from django.utils import timezone
from django_tasks import task

from . import service

logger = logging.getLogger("jobs")


@task()
def run_job(job_id):
    service.execute(job_id)


def _send(subject, body, recipients, html, headers):
    if not html and not headers:
        return send_mail(subject, body, None, recipients)
    # A message with its HTML part and its own headers (a digest's List-Unsubscribe):
    # Django refuses a header value holding a line break (BadHeaderError).
    message = EmailMultiAlternatives(subject, body, None, recipients, headers=headers or {})
    if html:
        message.attach_alternative(html, "text/html")
    return message.send()


@task()
def send_email(subject, body, recipients, attempt=1, html="", headers=None):
    try:
        _send(subject, body, recipients, html, headers)
    except Exception:
        if attempt >= settings.JOBS_EMAIL_ATTEMPTS:
            logger.exception("E-mail « %s » to %s not sent after %s attempts", subject, recipients, attempt)
            raise
        delay = settings.JOBS_EMAIL_RETRY_SECONDS * 2 ** (attempt - 1)
        logger.warning("E-mail « %s » not sent (attempt %s), next in %s s", subject, attempt, delay)
        later = send_email
        if later.get_backend().supports_defer:
            later = send_email.using(run_after=timezone.now() + timedelta(seconds=delay))
        extra = {name: value for name, value in (("html", html), ("headers", headers)) if value}
        later.enqueue(subject, body, recipients, attempt + 1, **extra)
        raise
