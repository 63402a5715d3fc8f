"""The actors' long work, started from « Tâches de fond › Lancer une tâche » and run by the
background worker (``jobs``): placing on the map the organisations that have an address
and no position (the ``geocode`` command, one request to the national address base per
organisation)."""

from django.urls import reverse

from jobs.registry import JobError, Outcome, register

from . import geocoding

GEOCODING = "geolocalisation"


@register(
    GEOCODING,
    "Placement des adresses sur la carte",
    permission="actors.change_organisation",
    description="Cherche dans la Base adresse nationale la position des organisations qui ont une adresse mais "
    "pas de position. Une position saisie par l'équipe n'est jamais remplacée.",
)
def geocode(job, progress):
    try:
        placed, missed = geocoding.geocode_organisations(progress=progress)
    except geocoding.Unreachable as error:
        raise JobError(f"{error} Les positions trouvées avant la coupure sont gardées ; relancez plus tard.") from error
    summary = f"{placed} organisation(s) placée(s) sur la carte ; {missed} adresse(s) non trouvée(s)."
    if missed:
        summary += " Vérifiez ces adresses ou placez-les à la main (carte de la fiche)."
    return Outcome(summary=summary, url=reverse("admin:actors_organisation_changelist"),
                   url_label="Voir les organisations")
