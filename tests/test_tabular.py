"""The one CSV/XLSX writer: formulas neutralised in every cell (the header too), UTF-8 with a BOM, CRLF lines."""
import io

from openpyxl import load_workbook

from consult.tabular import csv_bytes, neutralise, xlsx_bytes

HOSTILE = ["=HYPERLINK(\"http://evil.example\")", "+1+1", "-2+3", "@SUM(A1)", "\tTab", "\rReturn"]


def test_neutralise_quotes_formula_starts_and_keeps_other_values():
    assert [neutralise(value) for value in HOSTILE] == ["'" + value for value in HOSTILE]
    assert [neutralise(value) for value in ("Plain", 3, 2.5, None, "")] == ["Plain", 3, 2.5, "", ""]


def test_csv_bytes_has_bom_crlf_and_neutralised_header_and_cells():
    body = csv_bytes(["=title", "n"], [["=1+1", 4], ["Fine", None]])

    assert body == "\ufeff'=title,n\r\n'=1+1,4\r\nFine,\r\n".encode()
    assert csv_bytes(["a"], [], bom=False) == b"a\r\n"


def test_xlsx_bytes_stores_formulas_as_text():
    body = xlsx_bytes(["Title", "Score"], [[HOSTILE[0], 3]], sheet_title="A sheet title longer than thirty-one chars")

    sheet = load_workbook(io.BytesIO(body)).active
    assert sheet.title == "A sheet title longer than thirt"
    assert [[cell.value for cell in row] for row in sheet.iter_rows()] == [["Title", "Score"], ["'" + HOSTILE[0], 3]]
