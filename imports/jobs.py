"""The imports' long work, run by the background worker (``jobs``): a file of more than
``JOBS_IMPORT_ROWS`` rows is simulated, then imported, there — with a progress bar —
instead of inside the browser's request (10,000 rows take about 40 s each way, past any
proxy's timeout). The same ``run_import`` as a small file: one path, one report. Exports
of more than ``JOBS_EXPORT_ROWS`` rows are built there too; and « find the duplicates of
the whole directory » (the ``find_duplicates`` command) can be started from the admin."""

from django.urls import reverse
from django.utils import timezone

from jobs.registry import JobError, Outcome, register

from .duplicates import refresh_all
from .models import ImportRecord
from .service import export_file, run_import

SIMULATION = "import-simulation"
IMPORT = "import"
EXPORT = "export"
DUPLICATES = "doublons"


def _record(job):
    record = ImportRecord.objects.filter(pk=job.params.get("record")).first()
    if record is None:
        raise JobError("Le fichier de cet import n'existe plus : envoyez-le de nouveau.")
    return record


def _report_url(record):
    return reverse("admin:imports_importrecord_report", args=[record.pk])


@register(SIMULATION, "Simulation d'un import")
def simulate(job, progress):
    return _run(job, progress, dry_run=True)


@register(IMPORT, "Import d'un fichier")
def write(job, progress):
    return _run(job, progress, dry_run=False)


def _run(job, progress, dry_run):
    """The file of the job's ``ImportRecord``, simulated or imported as the admin does it
    for a small one; the report kept with the record."""
    record = _record(job)
    report = run_import(record.file_name, bytes(record.content), dry_run=dry_run, publish=record.publish,
                        kind=record.kind or None, user=job.user, progress=progress)  # fmt: skip
    record.keep(report)
    if not dry_run:
        record.imported_at = timezone.now() if report.written else None
    record.save()
    if report.has_errors:
        label = "Lire les erreurs"
    else:
        label = "Lire la simulation, puis importer" if dry_run else "Lire le compte rendu"
    return Outcome(summary=report.summary(), url=_report_url(record), url_label=label)


@register(EXPORT, "Export d'une liste")
def export(job, progress):
    """``params``: the file's name, its kind and the primary keys of what the list showed
    when staff asked (the list's filters, read in the request)."""
    from .resources import RESOURCES

    label, pks = job.params["kind"], job.params["pks"]
    resource = RESOURCES[label]
    progress.begin(f"Export de {len(pks)} lignes", total=len(pks))
    content = export_file(
        job.params["name"], kind=label, querysets={label: resource().get_queryset().filter(pk__in=pks)}
    )
    progress.advance(len(pks))
    return Outcome(summary=f"{len(pks)} lignes exportées.", file_name=job.params["name"], file=content)


@register(
    DUPLICATES,
    "Recherche des doublons probables",
    permission="imports.view_duplicatepair",
    description="Compare chaque organisation à toutes les autres (SIRET, SIREN, RNA, nom proche dans la même "
    "commune, le même département ou la même région) et met à jour la liste « Doublons probables ». Les paires "
    "que l'équipe a écartées le restent.",
)
def find_duplicates(job, progress):
    new, total = refresh_all(progress)
    return Outcome(
        summary=f"{new} nouvelle(s) paire(s) ; {total} doublon(s) probable(s) à examiner en tout.",
        url=reverse("admin:imports_duplicatepair_changelist"),
        url_label="Voir les doublons probables",
    )
