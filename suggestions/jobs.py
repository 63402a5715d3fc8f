"""The contributions' long work, started from « Tâches de fond › Lancer une tâche » and
run by the background worker (``jobs``): the verification links to every organisation
whose record is due (the ``send_verification_requests`` command, weekly from cron)."""

from django.conf import settings

from jobs.registry import Outcome, register

from . import verification

REQUESTS = "verification"


@register(
    REQUESTS,
    "Envoi des liens de vérification",
    permission="actors.change_organisation",
    description=f"Écrit à chaque organisation publiée dont la fiche n'a pas été vérifiée depuis "
    f"{settings.DIRECTORY_REVERIFY_MONTHS} mois (et qui a un e-mail) : un lien, valable "
    f"{settings.DIRECTORY_VERIFICATION_DAYS} jours, pour confirmer sa fiche ou proposer ses corrections. Une "
    "organisation déjà sollicitée n'est pas relancée tant que son lien est valable.",
)
def send_requests(job, progress):
    names = verification.send_requests(progress=progress)
    return Outcome(summary=f"{len(names)} lien(s) de vérification envoyé(s) (les e-mails partent un à un, "
                           "réessayés si le serveur de courrier ne répond pas).")  # fmt: skip
