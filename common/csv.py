"""CSV made for spreadsheets: UTF-8 with a byte-order mark and « ; » separators, so that
French Excel, LibreOffice and Python's csv module open it as is; streamed row by row;
and every free-text cell protected against formula injection, while a typed cell (a
number, a date) is written as its value — the one rule is :func:`safe_cell`.

Every export, public or staff, CSV, XLSX or ODS, writes text as text: the public CSVs
through :func:`csv_lines`, the staff's (tablib datasets and workbooks) through
:func:`spreadsheet`, both on :func:`safe_cell`; :func:`read_cell` undoes it when a CSV
comes back to the import."""

import csv
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import tablib
from openpyxl.cell.cell import TYPE_STRING
from tablib.formats._xlsx import XLSXFormat

# A cell starting with one of these is read as a formula by spreadsheet programs (OWASP,
# « CSV Injection »): =, +, -, @, a tab or a carriage return.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

# The whole text of a value of these Table Schema types: a spreadsheet reads it as that
# value (« -0.370679 » is a number, not a formula), so it needs no neutralising. A cell of
# a typed column that does not read so is neutralised as free text.
TYPED_VALUES = {
    "number": re.compile(r"-?\d+(?:\.\d+)?"),
    "integer": re.compile(r"-?\d+"),
    "date": re.compile(r"\d{4}-\d{2}-\d{2}"),
}


def safe_cell(value, type="string"):
    """The value as text: as is when it is a value of its column's ``type`` (numbers,
    dates), else prefixed with a single quote when a spreadsheet would run it (OWASP's
    recommendation; the quote shows, the formula does not run)."""
    text = "" if value is None else str(value)
    pattern = TYPED_VALUES.get(type)
    if pattern is not None and pattern.fullmatch(text):
        return text
    if text.startswith(FORMULA_TRIGGERS) or _quoted(text):
        return "'" + text  # a text that already looks quoted is quoted again, so read_cell gives it back
    return text


def _quoted(text):
    return text.startswith("'") and (text[1:].startswith(FORMULA_TRIGGERS) or _quoted(text[1:]))


def read_cell(value):
    """A cell of a CSV coming back (to the import) as it was before :func:`safe_cell`: the
    quote that it added is taken off; any other value is left as it is."""
    if isinstance(value, str) and _quoted(value):
        return value[1:]
    return value


def spreadsheet(data, format):
    """The bytes of a tablib ``Dataset`` or ``Databook`` as ``format`` (csv, xlsx, ods),
    no text cell ever a formula: in CSV each text cell goes through :func:`safe_cell`
    (the file has no types); in XLSX and ODS a text cell is a cell of type text, its value
    as it is (openpyxl would otherwise store « =… » as a formula)."""
    if format == "csv":
        return _safe_text(data).export("csv")
    if format == "xlsx":
        if isinstance(data, tablib.Databook):
            return _TextXLSX.export_book(data)
        return _TextXLSX.export_set(data)
    if format == "ods":  # tablib's ODS writer types every str cell as text already
        return data.export("ods")
    raise ValueError(format)


def _safe_text(dataset):
    safe = tablib.Dataset(headers=[safe_cell(h) for h in dataset.headers or []] or None, title=dataset.title)
    for row in dataset:
        safe.append([safe_cell(cell) if isinstance(cell, str) else cell for cell in row])
    return safe


class _TextXLSX(XLSXFormat):
    """tablib's XLSX writer, every cell that openpyxl took for a formula (a text starting
    with « = ») typed back as text."""

    @classmethod
    def dset_sheet(cls, dataset, ws, *args, **kwargs):
        super().dset_sheet(dataset, ws, *args, **kwargs)
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = TYPE_STRING


class _Echo:
    """A file-like object whose ``write`` returns the line, for a streaming csv.writer."""

    def write(self, value):
        return value


def csv_lines(columns, rows):
    """The lines of the file, one at a time: the header (after the byte-order mark), then
    each row, every cell passed through :func:`safe_cell` with its column's type."""
    writer = csv.writer(_Echo(), delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    yield "\ufeff" + writer.writerow([safe_cell(header) for header in header_of(columns)])
    types = [column.type for column in columns]
    for row in rows:
        yield writer.writerow([safe_cell(cell, type) for cell, type in zip(row, types, strict=True)])


@dataclass(frozen=True)
class Column:
    """A column of a CSV export, declared once: its header, how a row gives its value, and
    its Table Schema ``type`` and ``format`` (string, number, date, boolean…; uri, email)
    with a French ``description`` — what a description of the file (a Table Schema) reads."""

    header: str
    value: Callable
    type: str = "string"
    description: str = ""
    format: str = "default"
    constraints: dict = field(default_factory=dict)  # Table Schema: pattern, required, unique…

    def table_schema(self):
        """Its field in a Table Schema (frictionless specs, v1)."""
        described = {"name": self.header, "type": self.type, "format": self.format}
        if self.description:
            described["description"] = self.description
        if self.constraints:
            described["constraints"] = dict(self.constraints)
        return described


def header_of(columns):
    return [column.header for column in columns]


def row_of(columns, item):
    """The cells of ``item`` (what each column's ``value`` reads); ``None`` is an empty cell."""
    return [column.value(item) for column in columns]
