"""Import submissions received elsewhere (regional events, physical meetings, e-mail) from CSV or XLSX.

Every row is checked first; a file with any bad row imports nothing. A good file is written with a few
bulk INSERTs (proposals, then their action lines and SDGs), so 5,000 rows import in one go. A row without an
action line (the column may be left out) is not wrong: it imports as a proposal "to classify" with the action
lines and SDGs the text model suggests, for the committee to confirm from its queue.
"""
import csv
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _

from consult import reference
from consult.audit.services import record_audit
from consult.consultations.models import Consultation
from consult.db import utcnow
from consult.errors import DomainError
from consult.extensions import db
from consult.i18n import LANGUAGES, joined
from consult.proposals.classification import suggest_labels_for_texts
from consult.proposals.models import (
    Decision,
    ImportBatch,
    Proposal,
    ProposalActionLine,
    ProposalKind,
    ProposalSdg,
    ProposalStatus,
)
from consult.proposals.numbering import allocate_proposal_numbers
from consult.proposals.services import ProposalContent, submission_problems
from consult.proposals.similarity import proposal_text
from consult.reference import StakeholderType
from consult.textmodel.languages import DEFAULT_LANGUAGE, detect_languages
from consult.unicode_input import clean_label, first_control_character

REQUIRED_COLUMNS = ("title", "summary", "kind")
OPTIONAL_COLUMNS = (
    "action_lines", "description", "sdgs", "keywords", "forum_part", "organization", "stakeholder_type", "country",
    "submitter_name", "submitter_email", "source", "format", "format_other", "duration_minutes",
    "expected_audience", "binding_request", "remote_participation", "language",
)
COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
MAX_ROWS = 20000
# Blank lines allowed beyond MAX_ROWS before a file counts as too long (a sheet's formatting reaches further down).
MAX_BLANK_LINES = 1000
XLSX_MAX_UNPACKED_BYTES = 200 * 2**20
# Spreadsheet XML packs about 5 to 20 times; a zip bomb packs hundreds or thousands of times.
XLSX_MAX_RATIO = 100
XLSX_EXTRA_COLUMNS = 10
TRUE_WORDS = {"1", "yes", "y", "true", "x", "oui", "si", "sí"}
FALSE_WORDS = {"", "0", "no", "n", "false", "non"}


@dataclass
class RowError:
    """A bad row: its line in the file (the header is line 1) and why."""

    line: int
    message: str


@dataclass
class ImportedRow:
    """A checked row, ready to be written."""

    line: int
    content: ProposalContent
    submitter: dict


@dataclass
class ImportResult:
    """What an import found and, unless dry or refused, wrote."""

    rows: list[ImportedRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    batch: ImportBatch | None = None

    @property
    def is_valid(self) -> bool:
        return not self.errors and bool(self.rows)


def read_table(filename: str, data: bytes) -> list[tuple[int, dict[str, str]]]:
    """(line number, {column: text}) of each non-empty data row of a CSV or XLSX file; the header names the columns."""
    suffix = Path(filename).suffix.lower()
    if suffix == ".xlsx":
        rows = _xlsx_rows(data)
    elif suffix == ".csv":
        rows = _csv_rows(data)
    else:
        raise DomainError(_("Upload a .csv or .xlsx file."), field="file")
    try:
        header = next(rows)
    except StopIteration:
        raise DomainError(_("The file is empty."), field="file") from None
    names = [(cell or "").strip().lower().replace(" ", "_") for cell in header]
    missing = [column for column in REQUIRED_COLUMNS if column not in names]
    if missing:
        raise DomainError(_("Line 1: the header lacks the column(s) %(columns)s.", columns=joined(missing)), field="file")
    unknown = [name for name in names if name and name not in COLUMNS]
    if unknown:
        raise DomainError(_("Line 1: unknown column(s) %(columns)s.", columns=joined(unknown)), field="file")
    table = []
    for line, cells in enumerate(rows, start=2):
        # Counted as they are read, blank lines included: a sheet of a million empty rows stops here, not at the end.
        if line - 1 > MAX_ROWS + MAX_BLANK_LINES:
            raise DomainError(_("At most %(max)d rows in one file.", max=MAX_ROWS), field="file")
        values = {name: (cells[index] if index < len(cells) else "") for index, name in enumerate(names) if name}
        if any((value or "").strip() for value in values.values()):
            table.append((line, {name: (value or "").strip() for name, value in values.items()}))
        if len(table) > MAX_ROWS:
            raise DomainError(_("At most %(max)d rows in one file.", max=MAX_ROWS), field="file")
    return table


def _csv_rows(data: bytes):
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DomainError(_("The CSV file must be encoded in UTF-8."), field="file") from None
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    while True:
        try:
            yield next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            limit = csv.field_size_limit()
            if "field larger than field limit" in str(error):
                message = _("Line %(line)d: a field is longer than %(max)d characters, more than any column accepts.",
                            line=reader.line_num, max=limit)
            else:
                message = _("Line %(line)d: the CSV file is malformed (%(reason)s).", line=reader.line_num,
                            reason=str(error))
            raise DomainError(message, field="file") from None


def _refuse_zip_bomb(data: bytes) -> None:
    """Refuse an XLSX whose parts would unpack to more than the limits, from the sizes its zip directory declares.

    Python's zipfile never unpacks an entry beyond its declared size, so these sizes bound what reading costs.
    """
    try:
        entries = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, ValueError):
        raise DomainError(_("The XLSX file could not be read."), field="file") from None
    unpacked = sum(entry.file_size for entry in entries)
    ratio = max((entry.file_size / max(entry.compress_size, 1) for entry in entries), default=0)
    if unpacked > XLSX_MAX_UNPACKED_BYTES or ratio > XLSX_MAX_RATIO:
        raise DomainError(_("The XLSX file unpacks to %(size)d MB (limit %(max)d MB, and at most %(ratio)d times its "
                            "packed size): save it again from the spreadsheet, or split it.",
                            size=unpacked // 2**20, max=XLSX_MAX_UNPACKED_BYTES // 2**20, ratio=XLSX_MAX_RATIO),
                          field="file")


def _xlsx_rows(data: bytes):
    from openpyxl import load_workbook

    _refuse_zip_bomb(data)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds of errors on a damaged file
        raise DomainError(_("The XLSX file could not be read."), field="file") from None
    try:
        # Rows are read one at a time (read-only mode streams the sheet) and only as wide as the known columns.
        for row in workbook.worksheets[0].iter_rows(values_only=True, max_col=len(COLUMNS) + XLSX_EXTRA_COLUMNS):
            yield ["" if value is None else (str(int(value)) if isinstance(value, float) and value.is_integer()
                                             else str(value)) for value in row]
    except DomainError:
        raise
    except Exception:  # a damaged part found while streaming
        raise DomainError(_("The XLSX file could not be read."), field="file") from None
    finally:
        workbook.close()


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.replace(";", ",").split(",") if part.strip()]


def _flag(value: str, column: str) -> bool:
    word = value.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ValueError(_("%(column)s must be yes or no, not “%(value)s”.", column=column, value=value))


def _integer(value: str, column: str) -> int | None:
    if not value:
        return None
    if not value.isdigit():
        raise ValueError(_("%(column)s must be a whole number, not “%(value)s”.", column=column, value=value))
    return int(value)


def _sdg_numbers(value: str) -> list[int]:
    numbers = []
    for item in _split(value):
        if not item.isdigit():
            raise ValueError(_("SDG “%(value)s” is not a number from 1 to 17.", value=item))
        numbers.append(int(item))
    return numbers


def _row_problems(values: dict[str, str], stakeholder_type: str, country: str, email: str) -> list[str]:
    problems = []
    if stakeholder_type and stakeholder_type not in {member.value for member in StakeholderType}:
        problems.append(_("Unknown stakeholder type “%(value)s”.", value=values["stakeholder_type"]))
    if country and not reference.is_country_code(country):
        problems.append(_("Unknown country code “%(value)s” (use ISO 3166 alpha-2, e.g. KE).", value=values["country"]))
    if email and ("@" not in email or len(email) > 254):
        problems.append(_("“%(value)s” is not an e-mail address.", value=email))
    for column, limit in (("organization", 200), ("submitter_name", 120), ("source", 200), ("keywords", 500)):
        if len(values.get(column, "")) > limit:
            problems.append(_("%(column)s is longer than %(max)d characters.", column=column, max=limit))
    return problems


def check_row(values: dict[str, str], default_source: str) -> ImportedRow | str:
    """A checked row, or every reason it is refused (joined in one message)."""
    problems: list[str] = []
    for column, value in values.items():
        character = first_control_character(value)
        if character is not None:
            problems.append(_("%(column)s contains an invisible control character (U+%(code)04X).",
                              column=column, code=ord(character)))
    for column in ("organization", "submitter_name"):
        values[column] = clean_label(values.get(column, ""))

    def parsed(parse, *args, default=None):
        try:
            return parse(*args)
        except ValueError as error:
            problems.append(str(error))
            return default

    kind = values.get("kind", "").lower()
    content = ProposalContent(
        kind=kind, title=values.get("title", ""), summary=values.get("summary", ""),
        description=values.get("description", ""), keywords=values.get("keywords", ""),
        forum_part=values.get("forum_part") or reference.ForumPart.THEMES_AND_STRUCTURE.value,
        action_lines=[code.upper() for code in _split(values.get("action_lines", ""))],
        sdgs=parsed(_sdg_numbers, values.get("sdgs", ""), default=[]),
        format_code=(values.get("format") or None) if kind == "format" else None,
        format_other=values.get("format_other", ""),
        duration_minutes=parsed(_integer, values.get("duration_minutes", ""), "duration_minutes"),
        expected_audience=parsed(_integer, values.get("expected_audience", ""), "expected_audience"),
        is_binding_request=parsed(_flag, values.get("binding_request", ""), "binding_request", default=False),
        has_remote_participation=parsed(_flag, values.get("remote_participation", ""), "remote_participation", default=False),
        language=language_code(values.get("language", "")),
    )
    stakeholder_type = values.get("stakeholder_type", "").lower().replace(" ", "_")
    country = values.get("country", "").upper()
    email = values.get("submitter_email", "")
    problems += _row_problems(values, stakeholder_type, country, email)
    problems += [f"{column}: {message}" for column, message in submission_problems(content, require_action_lines=False).items()]
    if problems:
        return " ".join(problems)
    submitter = {
        "organization": values.get("organization", ""), "submitter_name": values.get("submitter_name", ""),
        "submitter_email": email.lower(), "stakeholder_type": StakeholderType(stakeholder_type) if stakeholder_type else None,
        "country": country or None, "region": reference.region_for_country(country) if country else None,
        "source": values.get("source") or default_source,
    }
    return ImportedRow(line=0, content=content, submitter=submitter)


def language_code(value: str) -> str:
    """A language column's value as a code: 'fr', 'French', 'Français' and 'FR' all read 'fr' ("" stays "")."""
    value = value.strip()
    for code, label in reference.LANGUAGE_LABELS.items():
        if value.lower() in (code, str(label).lower(), LANGUAGES[code].own_name.lower()):
            return code
    with force_locale("en"):
        english = {str(label).lower(): code for code, label in reference.LANGUAGE_LABELS.items()}
    return english.get(value.lower(), value.lower())


def _detect_missing_languages(rows: list[ImportedRow]) -> None:
    """Rows without a language column get the language their text reads as (English when it cannot tell)."""
    unsaid = [row for row in rows if not row.content.language]
    found = detect_languages(["\n".join((row.content.title, row.content.summary, row.content.description))
                              for row in unsaid])
    for row, language in zip(unsaid, found, strict=True):
        row.content.language = language or DEFAULT_LANGUAGE


def check_file(filename: str, data: bytes, *, source: str) -> ImportResult:
    """Read and check every row of a file, without writing anything."""
    result = ImportResult()
    try:
        table = read_table(filename, data)
    except DomainError as error:
        result.errors.append(RowError(line=1, message=error.message))
        return result
    if not table:
        result.errors.append(RowError(line=2, message=_("The file has a header but no rows.")))
    for line, values in table:
        checked = check_row(values, source)
        if isinstance(checked, str):
            result.errors.append(RowError(line=line, message=checked))
        else:
            checked.line = line
            result.rows.append(checked)
    _detect_missing_languages(result.rows)
    return result


def import_proposals(consultation: Consultation, *, filename: str, data: bytes, source: str, actor=None,
                     dry_run: bool = False) -> ImportResult:
    """Check a file and, when every row is good and not dry_run, import all of it as submitted proposals."""
    result = check_file(filename, data, source=source)
    if dry_run or not result.is_valid:
        return result
    now = utcnow()
    batch = ImportBatch(consultation_id=consultation.id, filename=Path(filename).name[:255], row_count=len(result.rows),
                        imported_by_id=getattr(actor, "id", None))
    db.session.add(batch)
    db.session.flush()
    first_number = allocate_proposal_numbers(consultation.id, len(result.rows))
    unlabelled = [row for row in result.rows if not row.content.action_lines]
    suggestions = dict(zip((id(row) for row in unlabelled), suggest_labels_for_texts(
        consultation.id, [proposal_text(row.content) for row in unlabelled],
        [row.content.language for row in unlabelled]), strict=True))
    values = []
    for offset, row in enumerate(result.rows):
        content = row.content
        is_format = content.kind == ProposalKind.FORMAT.value
        values.append({
            "consultation_id": consultation.id, "number": first_number + offset, "submitter_id": None,
            "kind": ProposalKind(content.kind), "status": ProposalStatus.SUBMITTED,
            "forum_part": reference.ForumPart(content.forum_part), "title": clean_label(content.title),
            "summary": content.summary.strip(), "description": content.description.strip(),
            "keywords": content.keywords.strip(), "format_code": content.format_code if is_format else None,
            "format_other": content.format_other if is_format else "",
            "is_binding_request": content.is_binding_request and is_format,
            "duration_minutes": content.duration_minutes if is_format else None,
            "expected_audience": content.expected_audience if is_format else None,
            "has_remote_participation": content.has_remote_participation and is_format,
            "language": content.language, "import_batch_id": batch.id, "submitted_at": now, "decision": Decision.PENDING,
            "created_at": now, "updated_at": now, "version_id": 1, **row.submitter,
            "is_to_classify": id(row) in suggestions,
            "suggested_labels": suggestions[id(row)].as_json() if id(row) in suggestions else None,
        })
    ids = db.session.execute(
        sa.insert(Proposal).returning(Proposal.id, sort_by_parameter_order=True), values
    ).scalars().all()
    action_lines = [
        {"proposal_id": proposal_id, "code": code}
        for proposal_id, row in zip(ids, result.rows, strict=True)
        for code in dict.fromkeys(row.content.action_lines)
    ]
    sdgs = [{"proposal_id": proposal_id, "sdg": sdg}
            for proposal_id, row in zip(ids, result.rows, strict=True) for sdg in dict.fromkeys(row.content.sdgs)]
    if action_lines:
        db.session.execute(sa.insert(ProposalActionLine), action_lines)
    if sdgs:
        db.session.execute(sa.insert(ProposalSdg), sdgs)
    result.batch = batch
    record_audit("proposal.import", batch, actor=actor, consultation_id=consultation.id,
                 summary=ngettext("%(num)d proposal from %(file)s", "%(num)d proposals from %(file)s", len(ids),
                                  file=batch.filename),
                 details={"source": source, "numbers": [first_number, first_number + len(ids) - 1],
                          "to_classify": len(unlabelled)})
    return result
