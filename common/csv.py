"""CSV made for spreadsheets: UTF-8 with a byte-order mark and « ; » separators, so that
French Excel, LibreOffice and Python's csv module open it as is; streamed row by row;
and every cell protected against formula injection."""

import csv
from collections.abc import Callable
from dataclasses import dataclass

# A cell starting with one of these is read as a formula by spreadsheet programs (OWASP,
# « CSV Injection »): =, +, -, @, a tab or a carriage return.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """The value as text, prefixed with a single quote when a spreadsheet would run it
    (OWASP's recommendation; the quote shows, the formula does not run)."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_TRIGGERS):
        return "'" + text
    return text


class _Echo:
    """A file-like object whose ``write`` returns the line, for a streaming csv.writer."""

    def write(self, value):
        return value


def csv_lines(header, rows):
    """The lines of the file, one at a time: the header (after the byte-order mark), then
    each row, every cell passed through :func:`safe_cell`."""
    writer = csv.writer(_Echo(), delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    yield "\ufeff" + writer.writerow([safe_cell(cell) for cell in header])
    for row in rows:
        yield writer.writerow([safe_cell(cell) for cell in row])


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


def header_of(columns):
    return [column.header for column in columns]


def row_of(columns, item):
    """The cells of ``item`` (what each column's ``value`` reads); ``None`` is an empty cell."""
    return [column.value(item) for column in columns]
