"""The agenda and outcomes PDFs in each of the six languages: the script's fonts, right to left in Arabic."""
import re
import subprocess
from datetime import date

import pikepdf
from babel.dates import format_date
from flask_babel import force_locale

from consult.extensions import db
from consult.reports import pdf
from consult.reports.building import build_report
from consult.reports.models import ReportJob, ReportKind
from consult.reports.services import request_report_build
from tests.reports.conftest import pdf_text, write_pdf
from tests.reports.test_pdf import assert_valid_tagged_pdf

# pdftotext marks each right-to-left and left-to-right run with embedding controls; the words are in logical order.
BIDI_CONTROLS = dict.fromkeys(range(0x202A, 0x202F))


def render_agenda_in(language, consultation, tmp_path):
    options = pdf.default_options()
    with force_locale(language):
        document = pdf.render_agenda_pdf(pdf.agenda_report_data(consultation), options)
    return write_pdf(tmp_path, f"agenda-{language}.pdf", document), options.result


def logical_text(path) -> str:
    """The PDF's text in reading order, without the bidi controls and with single spaces."""
    plain = subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout
    return " ".join(plain.translate(BIDI_CONTROLS).split())


def fonts_of(path) -> str:
    return subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout


def test_agenda_pdf_in_arabic_reads_right_to_left_in_arabic_letters(dataset, pdf_tools, tmp_path):
    path, result = render_agenda_in("ar", dataset["consultation"], tmp_path)

    assert_valid_tagged_pdf(path, "WSIS Forum Test Consultation: جدول الأعمال")
    with pikepdf.open(path) as document:
        assert str(document.Root.Lang) == "ar"
    text = logical_text(path)
    # Joined letters (the lam-alef ligature of الأعمال) and the words of a phrase come out in logical order.
    for phrase in ("جدول الأعمال", "المحتويات", "أسبوع المنتدى", "الجلسات حسب الترتيب الزمني", "القاعات والأوقات",
                   "الجمعة", "فبراير", "القاعة"):
        assert phrase in text, phrase
    assert re.search(rf"الصفحة\s*2\s*من\s*{result.page_count}\b", text)
    for english in ("Contents", "Agenda", "Page 2", "Sessions in time order", "Friday", "February", "DRAFT"):
        assert english not in text, english
    # The draft status prints once, on the cover: the watermark on every page is outlines, not letters.
    assert text.count("مسودة") == 1
    assert "Noto-Naskh-Arabic" in fonts_of(path)
    # The grid mirrors: the time column at the right, the first room next to it, the last room at the left.
    grid_line = next(line for line in pdf_text(path, 3).splitlines() if "Room A" in line and "الوقت" in line)
    assert grid_line.index("Room C") < grid_line.index("Room B") < grid_line.index("Room A") < grid_line.index("الوقت")


def test_agenda_pdf_in_chinese_prints_ideographs_in_a_cjk_face(dataset, pdf_tools, tmp_path):
    path, result = render_agenda_in("zh", dataset["consultation"], tmp_path)

    assert_valid_tagged_pdf(path, "WSIS Forum Test Consultation: 议程")
    text = " ".join(pdf_text(path).split())
    for phrase in ("议程", "目录", f"第2页，共{result.page_count}页", "2027年2月19日星期五", "按时间顺序排列的会议",
                   "会议室： Room A", "论坛周：2027年2月19日至2027年2月23日",
                   f"草稿 · {format_date(date.today(), 'long', locale='zh')}"):
        assert phrase in text, phrase
    for english in ("Contents", "Agenda", "Page 2", "Friday", "DRAFT"):
        assert english not in text, english
    assert text.count("草稿") == 1
    assert "Noto-Sans-CJK-SC" in fonts_of(path)
    grid_line = next(line for line in pdf_text(path, 3).splitlines() if "Room A" in line and "时间" in line)
    assert grid_line.index("时间") < grid_line.index("Room A") < grid_line.index("Room C")


def test_builds_in_two_languages_are_two_jobs_and_two_documents(dataset, pdf_tools, tmp_path, chair):
    consultation = dataset["consultation"]

    arabic = request_report_build(consultation, kind=ReportKind.OUTCOMES, requested_by=chair, language="ar")
    french = request_report_build(consultation, kind=ReportKind.OUTCOMES, requested_by=chair, language="fr")
    again = request_report_build(consultation, kind=ReportKind.OUTCOMES, requested_by=chair, language="ar")
    db.session.commit()

    assert again.id == arabic.id and french.id != arabic.id
    for job in (arabic, french):
        build_report(job.id, job.attempts)
        db.session.commit()
    arabic, french = db.session.get(ReportJob, arabic.id), db.session.get(ReportJob, french.id)
    assert (arabic.language, arabic.state.value, french.language, french.state.value) == ("ar", "done", "fr", "done")
    assert arabic.file_name == f"consultation-{consultation.id}-outcomes-ar-{arabic.id}.pdf"
    arabic_path = write_pdf(tmp_path, "outcomes-ar.pdf", arabic.document)
    french_path = write_pdf(tmp_path, "outcomes-fr.pdf", french.document)
    assert_valid_tagged_pdf(arabic_path, "WSIS Forum Test Consultation: النتائج والتحليل")
    assert_valid_tagged_pdf(french_path, "WSIS Forum Test Consultation: Résultats et analyse")
    arabic_text = logical_text(arabic_path)
    assert "الملخص التنفيذي" in arabic_text and "المشاورة بالأرقام" in arabic_text
    assert "Executive summary" not in arabic_text
    assert "Résumé analytique" in " ".join(pdf_text(french_path).split())
