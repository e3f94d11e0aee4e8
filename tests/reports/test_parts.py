"""The outcomes report cut into bounded parts at stable places: one change alters the HTML of the few parts that print it."""
import re
import zlib

import pytest

from consult.extensions import db
from consult.proposals.models import ProposalStatus
from consult.reports import outcomes
from consult.reports.assembly import stable_runs
from tests import factories
from tests.reports.factories import build_report_dataset

TITLE = "WSIS Forum Test Consultation: Outcomes and analysis"


def test_stable_runs_are_bounded_and_keep_their_cuts_when_an_item_changes_or_comes_and_goes():
    items = [{"id": number, "text": f"entry {number}"} for number in range(1, 301)]

    def cut(entries):
        return stable_runs(entries, lambda item: item["id"], least=4, most=10)

    def ids(runs):
        return [[item["id"] for item in run] for run in runs]

    runs = cut(items)
    changed = cut([dict(item, text="edited") if item["id"] == 150 else item for item in items])

    assert [item for run in runs for item in run] == items
    assert all(4 <= len(run) <= 10 for run in runs)
    assert ids(changed) == ids(runs)
    for position in range(len(items)):
        removed = cut(items[:position] + items[position + 1:])
        added = cut(items[:position] + [{"id": 1000 + position, "text": "new"}] + items[position:])
        for other in (removed, added):
            # The runs that differ hold the change or lie beside it; every other run is the same, in the same order.
            differing = [run for run in other if run not in runs]
            assert 1 <= len(differing) <= 3
            assert [run for run in other if run in runs] == [run for run in runs if run in other]
            assert all(abs(item["id"] - 1 - position) <= 3 * 10 for run in differing for item in run if item in items)


def test_stable_runs_cut_a_stretch_without_a_local_minimum_into_equal_runs():
    # Keys whose hashes fall all the way: no item hashes below its neighbours on both sides but the last.
    keys = sorted(range(40), key=lambda number: -zlib.crc32(repr(number).encode("utf-8")))

    runs = stable_runs(keys, lambda number: number, least=4, most=10)

    assert [len(run) for run in runs] == [10, 10, 10, 10]
    assert [number for run in runs for number in run] == keys
    assert stable_runs([], lambda number: number, least=4, most=10) == []
    assert stable_runs([1, 2, 3], lambda number: number, least=4, most=10) == [[1, 2, 3]]


@pytest.fixture
def large_dataset(report_app):
    """Enough submissions and sessions that chapters and annexes take several parts each."""
    consultation = factories.make_consultation()
    made = build_report_dataset(consultation, proposals=120, sessions=60)
    db.session.commit()
    return dict(made, consultation=consultation)


def report_parts(consultation) -> dict[str, str]:
    return {part.key: part.html for part in outcomes.outcomes_parts(outcomes.outcomes_report_data(consultation), TITLE)}


def test_annex_and_chapter_parts_hold_a_bounded_number_of_entries(large_dataset):
    parts = report_parts(large_dataset["consultation"])

    annexes = [html.count('<div class="submission">') for key, html in parts.items() if key.startswith("annex-")]
    chapters = [html.count('<div class="placed">') for key, html in parts.items() if key.startswith("line-")]
    assert sum(annexes) == 120 and max(annexes) <= outcomes.ANNEX_RUN["most"]
    assert max(chapters) <= outcomes.CHAPTER_RUN["most"] and len(chapters) > 11
    # Each chapter begins in its own part with its heading; its later parts say they continue it.
    assert sum(1 for html in parts.values() if re.search(r"<h2>C\d+", html)) == 11


def test_a_changed_title_alters_only_its_annex_part_and_the_chapter_parts_that_list_it(large_dataset):
    consultation = large_dataset["consultation"]
    before = report_parts(consultation)
    proposal = next(p for p in large_dataset["proposals"] if p.decision.value == "accepted")
    proposal.title = "A title changed after the first build"
    db.session.commit()

    after = report_parts(consultation)

    changed = sorted(key for key in after if after[key] != before.get(key))
    printing = sorted(key for key, html in after.items() if "A title changed after the first build" in html)
    assert after.keys() == before.keys()
    assert changed == printing
    assert len([key for key in changed if key.startswith("annex-")]) == 1
    assert 1 <= len([key for key in changed if key.startswith("line-")]) <= 4
    assert len(changed) <= 5


def test_a_withdrawn_submission_leaving_the_annex_lays_out_at_most_three_annex_parts_again(large_dataset):
    consultation = large_dataset["consultation"]
    before = report_parts(consultation)
    withdrawn = large_dataset["proposals"][40]
    withdrawn.status = ProposalStatus.WITHDRAWN
    db.session.commit()

    after = report_parts(consultation)

    # A part is laid out again when its HTML is new (parts are cached under the hash of their HTML).
    known = set(before.values())
    new_annexes = [key for key, html in after.items() if key.startswith("annex-") and html not in known]
    assert not any(f"{withdrawn.reference} · " in html for key, html in after.items() if key.startswith("annex-"))
    assert 1 <= len(new_annexes) <= 3
    assert sum(html.count('<div class="submission">') for key, html in after.items() if key.startswith("annex-")) == 119


def test_a_join_that_frees_each_part_early_gives_the_same_valid_document(dataset, pdf_tools, tmp_path):
    import subprocess

    from consult.reports import joining, pdf
    from consult.reports.assembly import Part, render_parts
    from consult.reports.marks import marks_html
    from tests.reports.conftest import pdf_text, write_pdf

    data = outcomes.outcomes_report_data(dataset["consultation"])
    parts = outcomes.outcomes_parts(data, TITLE)
    page_marks = pdf.marks(data["facts"], TITLE)
    *rendered, marks_part = render_parts([*parts, Part("marks", marks_html(page_marks), is_tagged=False, measures=True)],
                                         cache_dir=str(tmp_path / "cache"), workers=1)
    joined = {frees: write_pdf(tmp_path, f"joined-{frees}.pdf", joining.combine(
        rendered, marks_part=marks_part, marks=page_marks, title=TITLE, language="en",
        level_offsets=[part.level_offset for part in parts], frees_parts=frees)) for frees in (False, True)}

    for path in joined.values():
        assert subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True).returncode == 0
    assert pdf_text(joined[True]) == pdf_text(joined[False])
    assert "Annex A" in pdf_text(joined[True])
