"""Importing and exporting spreadsheets: the one code path of the admin and the commands.

``run_import(name, content, dry_run=…, publish=…)`` reads a CSV, XLSX or ODS file (a
workbook may hold the sheets « Organisations », « Programmes » and « Actions »; a CSV or a
single sheet holds one kind, told by ``kind`` or guessed from its columns), imports every
sheet in **one transaction** — organisations first, so that programmes can name an actor
of the same file — and returns a ``Report``. Nothing is written when the run is a dry run
or when any line has an error: all or nothing.

The import is one unit of work of its own (``common/changes.py``): what follows its rows
(coverage, search documents, likely duplicates, the cache) runs once, at the end, for
every organisation touched; a simulation runs only the duplicate check, whose findings
warn on the lines that wrote them.
"""

import csv
import io
from dataclasses import asdict, dataclass, field
from pathlib import Path

import tablib
from django.core.exceptions import NON_FIELD_ERRORS
from django.db import transaction
from import_export.results import RowResult

from actors.models import Organisation
from common.changes import content_changes
from common.csv import read_cell, spreadsheet

from . import duplicates
from .resources import BY_SHEET, RESOURCES, OrganisationResource

FORMATS = {".csv": "csv", ".xlsx": "xlsx", ".ods": "ods"}
MAX_ROWS = 50_000


class ImportFileError(Exception):
    """A file that cannot be read at all (format, encoding, no header)."""


@dataclass
class Line:
    number: int  # the line of the file (1 is the header)
    status: str  # "new", "update", "skip", "invalid", "error"
    label: str = ""
    url: str = ""
    changes: list = field(default_factory=list)  # [(column, before, after)]
    errors: list = field(default_factory=list)  # [(column, message)]
    warnings: list = field(default_factory=list)
    organisation: int | None = None  # the organisation the line wrote (its duplicates warn here)

    STATUS_LABELS = {
        "new": "création",
        "update": "modification",
        "skip": "inchangée",
        "invalid": "erreur",
        "error": "erreur",
    }

    @property
    def status_label(self):
        return self.STATUS_LABELS[self.status]

    @property
    def has_errors(self):
        return self.status in ("invalid", "error")


@dataclass
class SheetReport:
    kind: str
    title: str
    lines: list = field(default_factory=list)
    errors: list = field(default_factory=list)  # (column, message) of the sheet itself

    def count(self, *statuses):
        return sum(1 for line in self.lines if line.status in statuses)

    @property
    def created(self):
        return self.count("new")

    @property
    def updated(self):
        return self.count("update")

    @property
    def unchanged(self):
        return self.count("skip")

    @property
    def failed(self):
        return self.count("invalid", "error")

    @property
    def has_errors(self):
        return bool(self.errors) or self.failed > 0

    def error_lines(self):
        return [line for line in self.lines if line.has_errors]

    def change_lines(self):
        return [line for line in self.lines if line.status in ("new", "update")]

    def clearings(self):
        """What the file erases, [(line, column, value before)]: shown first, apart, so
        that no erasure hides among ordinary changes (« (effacer) », imports/resources.py)."""
        return [
            (line, column, before)
            for line in self.lines if line.status == "update"
            for column, before, after in line.changes if before and not after
        ]  # fmt: skip


@dataclass
class Report:
    file_name: str
    dry_run: bool
    publish: bool
    sheets: list = field(default_factory=list)
    errors: list = field(default_factory=list)  # file-level messages

    @property
    def has_errors(self):
        return bool(self.errors) or any(sheet.has_errors for sheet in self.sheets)

    @property
    def written(self):
        return not self.dry_run and not self.has_errors

    def total(self, attribute):
        return sum(getattr(sheet, attribute) for sheet in self.sheets)

    def summary(self):
        """One French sentence: what was (or would be) done."""
        if self.errors:
            return " ".join(self.errors)
        parts = []
        for sheet in self.sheets:
            parts.append(
                f"{sheet.title} : {sheet.created} création(s), {sheet.updated} modification(s), "
                f"{sheet.unchanged} inchangée(s), {sheet.failed} ligne(s) en erreur"
            )
        outcome = (
            "Rien n'a été enregistré : corrigez les erreurs puis relancez l'import."
            if self.has_errors
            else ("Simulation : rien n'a été enregistré." if self.dry_run else "Import enregistré.")
        )
        return " ; ".join(parts) + ". " + outcome

    def as_data(self):
        """The report as JSON-ready data, kept with its ``ImportRecord`` (a background
        import's report is read after the job ends, from another process)."""
        return asdict(self)

    @classmethod
    def from_data(cls, data):
        sheets = [
            SheetReport(**{**sheet, "lines": [Line(**line) for line in sheet["lines"]]}) for sheet in data["sheets"]
        ]
        return cls(**{**data, "sheets": sheets})

    def as_text(self):
        """The report for the command line: the summary, then every line that changes or
        fails (line, column, message)."""
        out = [f"Fichier « {self.file_name} »" + (" (simulation)" if self.dry_run else "")]
        out += [f"Erreur : {message}" for message in self.errors]
        for sheet in self.sheets:
            out.append(
                f"== {sheet.title} : {sheet.created} création(s), {sheet.updated} modification(s), "
                f"{sheet.unchanged} inchangée(s), {sheet.failed} en erreur"
            )
            out += [f"Erreur ({col or 'feuille'}) : {msg}" for col, msg in sheet.errors]
            for line in sheet.lines:
                if line.status == "skip":
                    continue
                out.append(f"ligne {line.number} : {line.status_label} — {line.label}")
                out += [f"    {col} : « {before} » → « {after} »" for col, before, after in line.changes]
                out += [f"    ERREUR, colonne « {col} » : {msg}" if col else f"    ERREUR : {msg}"
                        for col, msg in line.errors]  # fmt: skip
                out += [f"    attention : {warning}" for warning in line.warnings]
        out.append(self.summary())
        return "\n".join(out)


# --- reading ------------------------------------------------------------------------------


def read(name, content, kind=None):
    """[(resource class, tablib.Dataset)] from a file's name and bytes."""
    suffix = Path(name).suffix.lower()
    if suffix not in FORMATS:
        raise ImportFileError(
            f"Format non reconnu « {suffix or name} » : envoyez un fichier CSV, XLSX ou ODS."
        )
    try:
        if suffix == ".csv":
            sheets = [("", _read_csv(content))]
        else:
            book = tablib.Databook()
            book.load(content, FORMATS[suffix])
            sheets = [(sheet.title or "", sheet) for sheet in book.sheets()]
    except ImportFileError:
        raise
    except Exception as error:  # the readers raise anything from a corrupt file
        raise ImportFileError(
            f"Le fichier ne peut pas être lu comme un fichier {suffix[1:].upper()} ({type(error).__name__})."
        ) from None
    found = []
    for title, dataset in sheets:
        dataset = _without_empty_rows(dataset)
        resource = _resource_for(title, dataset, kind, single=len(sheets) == 1)
        if resource is None:
            continue
        if len(dataset) > MAX_ROWS:
            raise ImportFileError(
                f"{len(dataset)} lignes : un import en accepte {MAX_ROWS} au plus, découpez le fichier."
            )
        found.append((resource, dataset))
    if not found:
        raise ImportFileError(
            "Aucune feuille à importer : nommez-les « Organisations », « Programmes » ou « Actions » "
            "(comme dans le modèle à télécharger)."
        )
    order = list(RESOURCES.values())
    return sorted(found, key=lambda item: order.index(item[0]))


def _read_csv(content):
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    first = text.split("\n", 1)[0]
    try:
        delimiter = csv.Sniffer().sniff(first, delimiters=";,\t").delimiter
    except csv.Error:
        delimiter = ","
    dataset = tablib.Dataset()
    dataset.load(io.StringIO(text).read(), format="csv", delimiter=delimiter)
    read = tablib.Dataset(headers=dataset.headers, title=dataset.title)
    for row in dataset:  # the quote that the export put before a formula-like text comes off
        read.append([read_cell(cell) for cell in row])
    return read


def _without_empty_rows(dataset):
    headers = [str(h).strip() if h is not None else "" for h in (dataset.headers or [])]
    kept = tablib.Dataset(headers=headers, title=dataset.title)
    for row in dataset:
        if any(cell not in (None, "") for cell in row):
            kept.append(row)
    return kept


def _resource_for(title, dataset, kind, single):
    if kind:
        return RESOURCES[kind]
    for sheet_title, resource in BY_SHEET.items():
        if title.strip().lower() == sheet_title.lower():
            return resource
    if not single:
        return None  # « Colonnes », notes…
    headers = set(dataset.headers or [])
    if "programme" in headers:
        return RESOURCES["actions"]
    if "acteur" in headers and "titre" in headers:
        return RESOURCES["programmes"]
    return OrganisationResource


# --- importing ------------------------------------------------------------------------


def count_rows(name, content, kind=None):
    """How many rows the file holds (0 when it cannot be read: its import says why at once)."""
    try:
        return sum(len(dataset) for _, dataset in read(name, content, kind))
    except ImportFileError:
        return 0


def run_import(name, content, dry_run=True, publish=False, kind=None, check_duplicates=True, user=None,
               progress=None):  # fmt: skip
    """Imports a file (all its sheets, in one transaction) and returns its ``Report``.
    ``progress`` (a background job's, jobs/progress.py) hears of each row and each step."""
    report = Report(file_name=Path(name).name, dry_run=dry_run, publish=publish)
    if progress is not None:
        progress.begin("Lecture du fichier")
    try:
        sheets = read(name, content, kind)
    except ImportFileError as error:
        report.errors.append(str(error))
        return report
    if progress is not None:
        progress.begin("Lignes " + ("simulées" if dry_run else "importées"), total=sum(len(d) for _, d in sheets))

    # One unit of work of its own (common/changes.py), followed before the transaction ends:
    # a simulation runs only the duplicate check (then everything is rolled back), an
    # import everything that follows its rows, once.
    try:
        with transaction.atomic():
            with content_changes(
                reason=f"Import du fichier « {report.file_name} »", user=user, preview=dry_run, isolated=True,
                skip=() if check_duplicates else (duplicates.NAME,),
            ) as changes:  # fmt: skip
                for resource_class, dataset in sheets:
                    resource = resource_class(publish=publish, file_name=report.file_name, user=user,
                                              progress=progress)  # fmt: skip
                    report.sheets.append(_import_sheet(resource, dataset))
                    if report.has_errors:
                        raise _Rollback  # leaves both blocks: rolled back, nothing followed
                if progress is not None:
                    progress.begin(
                        "Recherche des doublons probables" if dry_run
                        else "Mise à jour des territoires couverts, de la recherche et des doublons"
                    )  # fmt: skip
            _warn_of_duplicates(report, changes.results.get(duplicates.NAME, {}))
            if dry_run:
                raise _Rollback
    except _Rollback:
        pass
    return report


def _warn_of_duplicates(report, found):
    """Each likely duplicate warns on the line that creates it: the line that wrote an
    organisation, when its twin is already there; when both are lines of the file, the
    one that creates an organisation rather than the one that updates one, else the
    later one — never both."""
    lines = {}
    for position, line in enumerate(line for sheet in report.sheets for line in sheet.lines):
        if line.organisation is not None:
            lines[line.organisation] = (line, (line.status == "new", position))
    for line, rank in lines.values():
        for duplicate in found.get(line.organisation, []):
            if duplicate.is_error:
                continue
            twin = lines.get(duplicate.organisation.pk)
            if twin is None:
                line.warnings.append(duplicate.message())
            elif rank > twin[1]:
                line.warnings.append(f"{duplicate.message().removesuffix('.')} (ligne {twin[0].number} du fichier).")


class _Rollback(Exception):
    pass


def _import_sheet(resource, dataset):
    sheet = SheetReport(kind=resource.label, title=resource.sheet)
    columns = resource.columns()
    known = {f.column_name for f in resource.get_user_visible_fields()}
    unknown = [h for h in dataset.headers if h and h not in known]
    if unknown:
        allowed = ", ".join(f"« {c} »" for c in sorted(known))
        for header in unknown:
            sheet.errors.append((header, f"Colonne inconnue « {header} ». Colonnes possibles : {allowed}."))
        return sheet
    result = resource.import_data(
        dataset, dry_run=False, use_transactions=True, raise_errors=False, retain_instance_in_row_result=True
    )
    for number, (row_result, row) in enumerate(zip(result.rows, dataset.dict, strict=False), 1):
        line = _line(number + 1, row_result, columns)
        line.label = line.label or next(
            (str(row.get(c)) for c in ("nom", "titre", "adresse (slug)") if row.get(c)), ""
        )
        sheet.lines.append(line)
    if result.base_errors:
        sheet.errors += [("", str(error.error)) for error in result.base_errors]
    return sheet


def _line(number, row_result, columns):
    statuses = {
        RowResult.IMPORT_TYPE_NEW: "new",
        RowResult.IMPORT_TYPE_UPDATE: "update",
        RowResult.IMPORT_TYPE_SKIP: "skip",
        RowResult.IMPORT_TYPE_INVALID: "invalid",
        RowResult.IMPORT_TYPE_ERROR: "error",
    }
    line = Line(number=number, status=statuses.get(row_result.import_type, "error"))
    instance = row_result.instance
    line.label = str(instance) if instance is not None and instance.pk else ""
    if instance is not None:
        if instance.pk and line.status != "invalid" and hasattr(instance, "get_absolute_url"):
            line.url = instance.get_absolute_url()
        line.changes = getattr(instance, "_import_changes", [])
        if isinstance(instance, Organisation) and instance.pk and line.status in ("new", "update"):
            line.organisation = instance.pk
    if row_result.validation_error is not None:
        for attribute, errors in row_result.validation_error.message_dict.items():
            col = "" if attribute == NON_FIELD_ERRORS else columns.get(attribute, attribute)
            line.errors += [(col, message) for message in errors]
    for error in row_result.errors:
        line.errors.append(("", _plain(error.error)))
    return line


def _plain(error):
    return str(error) or type(error).__name__


# --- exporting ------------------------------------------------------------------------------


def export_dataset(resource_class, queryset=None):
    resource = resource_class()
    dataset = resource.export(queryset=queryset)
    dataset.title = resource_class.sheet
    return dataset


def export_book(querysets=None):
    """A workbook with one sheet per kind (organisations, programmes, actions)."""
    querysets = querysets or {}
    book = tablib.Databook()
    for label, resource_class in RESOURCES.items():
        book.add_sheet(export_dataset(resource_class, querysets.get(label)))
    return book


def export_file(name, kind=None, querysets=None):
    """The bytes of an export named ``name`` (.csv: one kind; .xlsx or .ods: a workbook)."""
    suffix = Path(name).suffix.lower()
    if suffix not in FORMATS:
        raise ImportFileError(f"Format non reconnu « {suffix or name} » : CSV, XLSX ou ODS.")
    if suffix == ".csv" or kind:
        label = kind or "organisations"
        dataset = export_dataset(RESOURCES[label], (querysets or {}).get(label))
        if suffix == ".csv":
            return spreadsheet(dataset, "csv").encode("utf-8-sig")
        book = tablib.Databook()
        book.add_sheet(dataset)
        return spreadsheet(book, FORMATS[suffix])
    return spreadsheet(export_book(querysets), FORMATS[suffix])


def real_querysets():
    """What an export holds: the real records, never the synthetic demonstration ones."""
    from .resources import ActionResource, OrganisationResource, ProgrammeResource

    return {
        "organisations": OrganisationResource().get_queryset().filter(is_demo=False),
        "programmes": ProgrammeResource().get_queryset().filter(actor__is_demo=False),
        "actions": ActionResource().get_queryset().filter(actor__is_demo=False),
    }
