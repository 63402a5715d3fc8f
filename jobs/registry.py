"""The kinds of long work, registered by the apps that own them (the stairs run one way:
``jobs`` names no app above it). Each kind is a function ``run(job, progress)`` that
does the work, reports through ``progress`` and returns an ``Outcome`` (or None)."""

from dataclasses import dataclass, field


class JobError(Exception):
    """A failure to tell staff as it is: its message is French and says what to do."""


@dataclass
class Outcome:
    summary: str = ""  # one French sentence: what was done
    url: str = ""  # where to read the result (an import's report…)
    url_label: str = "Voir le résultat"  # the link's words: what staff will do there
    file_name: str = ""  # a file to download (an export)
    file: bytes | None = None


@dataclass
class Kind:
    name: str
    label: str  # « Import d'un fichier »
    run: object
    # Who may start it from « Lancer une tâche » (a permission), when it needs no
    # parameters; kinds started from their own page (an import) leave it empty.
    permission: str = ""
    description: str = ""
    launch_params: dict = field(default_factory=dict)


KINDS = {}


def register(name, label, *, permission="", description=""):
    """Registers ``run(job, progress)`` as the kind ``name``."""

    def decorator(run):
        KINDS[name] = Kind(name=name, label=label, run=run, permission=permission, description=description)
        return run

    return decorator


def launchable(user):
    """The kinds ``user`` may start by hand, by label."""
    return [kind for kind in KINDS.values() if kind.permission and user.has_perm(kind.permission)]
