"""The digests, also a background kind: « Tâches de fond › Lancer une tâche »."""

from jobs.registry import Outcome, register

from . import digests


@register(
    "digests",
    "Envoi des nouveautés aux recherches suivies",
    permission="follows.view_savedsearch",
    description="Envoie à chaque personne qui suit une recherche (et l'a confirmée) les organisations nouvelles, "
    "archivées ou dont l'adresse ou le contact ont changé depuis son dernier envoi ; rien quand rien n'a changé. "
    "Supprime aussi les demandes jamais confirmées. La commande « send_digests » fait de même chaque jour.",
)
def send(job, progress):
    return Outcome(summary=digests.send_digests().summary())
