"""Tables written as CSV or XLSX for spreadsheets, the one writer every export uses.

A cell that starts like a formula (=, +, -, @, a tab or a carriage return) gets a leading quote, so a spreadsheet
shows it as text and never runs it (OWASP's advice against CSV injection): submitters write titles, comments and
organization names, and the chair opens the file.
"""
import csv
import io
from collections.abc import Iterable, Sequence

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Werkzeug adds "; charset=utf-8" to every text/* mimetype itself: naming it here would send it twice.
CSV_MIMETYPE = "text/csv"


def neutralise(value):
    """A cell value a spreadsheet shows as text, never runs as a formula; other values are kept as they are."""
    if value is None:
        return ""
    if not isinstance(value, str | int | float):
        value = str(value)  # lazy translations, labels, dates: their text
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _cells(header: Sequence, rows: Iterable[Sequence]):
    yield [neutralise(value) for value in header]
    for row in rows:
        yield [neutralise(value) for value in row]


def csv_bytes(header: Sequence, rows: Iterable[Sequence], *, bom: bool = True) -> bytes:
    """UTF-8 CSV with CRLF line ends, formulas neutralised; the byte-order mark makes spreadsheets read it as UTF-8."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows(_cells(header, rows))
    return (("\ufeff" if bom else "") + buffer.getvalue()).encode("utf-8")


def xlsx_bytes(header: Sequence, rows: Iterable[Sequence], *, sheet_title: str) -> bytes:
    """An XLSX workbook of one sheet (title cut to Excel's 31 characters), formulas neutralised."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title[:31])
    for cells in _cells(header, rows):
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
