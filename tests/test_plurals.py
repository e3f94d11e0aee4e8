"""Counts take the plural form of their number: no singular msgid counts a plural noun, and the fixed messages read
right with 1, 2 and 5 in English, French and Russian (one, few, many)."""
import re
from datetime import time
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from flask_babel import force_locale

from consult.extensions import db
from consult.reports.outcomes import action_line_parts
from tests.agenda.factories import make_days, make_room, make_session
from tests.factories import make_proposal

ROOT = Path(__file__).resolve().parents[1]
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}

# Singular msgids whose count is never 1, so that the plural noun is always right (constants and fixed choices).
NEVER_ONE = {
    "%(column)s is longer than %(max)d characters.",  # column limits of the import, all above 1
    "%(minutes)d minutes",  # durations and grid steps offered as choices: 5 to 240
    "At least %(min)d characters.",  # PASSWORD_MIN_LENGTH
    "At most %(max)d characters.",  # TITLE_MAX, BODY_MAX
    "At most %(max)d characters. Needed to submit.",  # SUMMARY_MAX
    "At most %(max)d rows in one file.",  # MAX_ROWS
    "At most %(max)d speakers.",  # MAX_SPEAKERS
    "At most about %(words)d words. Markdown is allowed: *emphasis*, lists, links.",  # DESCRIPTION_WORDS
    "Line %(line)d: a field is longer than %(max)d characters, more than any column accepts.",
    "The XLSX file unpacks to %(size)d MB (limit %(max)d MB, and at most %(ratio)d times its packed size): save it "
    "again from the spreadsheet, or split it.",  # the ratio is a constant
    "The description has %(count)d words; at most %(max)d are allowed.",  # count is above max
    "The logo is larger than %(pixels)d pixels on a side.",  # MAX_LOGO_PIXELS
    "The notice has %(count)d characters; at most %(max)d are allowed.",  # count is above max
    "The password needs at least %(min)d characters.",  # PASSWORD_MIN_LENGTH
    "The summary has %(count)d characters; at most %(max)d are allowed.",  # count is above max
    "The title has %(count)d characters; at most %(max)d are allowed.",  # count is above max
    "Up to %(max)d speakers. Rows without a name are ignored.",  # MAX_SPEAKERS
    "Write between %(min)d and %(max)d characters.",  # MESSAGE_MIN, MESSAGE_MAX
    "sent %(count)d times",  # shown only when sent more than once
}
# English words ending in s that are no plural noun.
NOT_PLURAL = {"is", "was", "has", "its", "this", "us", "as", "yes", "does", "less", "across", "unless", "plus", "thus",
              "previous", "various", "status", "access", "process", "address"}


def singular_msgids() -> set[str]:
    """Every msgid extracted as in `pybabel extract -F babel.cfg -k _l -k lazy_gettext` that has no plural."""
    with open(ROOT / "babel.cfg") as config:
        method_map, options_map = parse_mapping_cfg(config)
    return {message for _filename, _lineno, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=KEYWORDS) if isinstance(message, str)}


def counts_a_plural_noun(msgid: str) -> bool:
    """Whether a %(…)d is followed, within two words, by an English plural noun (“%(count)d submitted proposals”)."""
    for number in re.finditer(r"%\(\w+\)d", msgid):
        words = re.match(r"(?:[ \u00a0]+[A-Za-z-]+){0,2}", msgid[number.end():]).group(0).split()
        if any(word.lower() == "people" or (len(word) > 2 and word.lower().endswith("s")
                                            and word.lower() not in NOT_PLURAL) for word in words):
            return True
    return False


def test_the_check_finds_a_count_before_a_plural_noun():
    assert [counts_a_plural_noun(msgid) for msgid in (
        "%(count)d submitted proposals are in no cluster yet.", "Done: %(count)d proposals.", "%(total)d accounts",
        "Counted over the %(basis)s (%(total)d people).", "Page %(page)d of %(pages)d", "Version %(number)d",
        "%(language)s (%(count)d)", "Line %(line)d: the CSV file is malformed (%(reason)s).")] == [
        True, True, True, True, False, False, False, False]


def test_no_singular_msgid_counts_a_plural_noun():
    found = sorted(msgid for msgid in singular_msgids() if counts_a_plural_noun(msgid))

    assert [msgid for msgid in found if msgid not in NEVER_ONE] == []
    assert sorted(NEVER_ONE - set(found)) == []  # an entry the catalog lost leaves the allowlist too


def _moved_flash(client, login, drafting, chair, *, shared_people: tuple[str, ...]) -> str:
    day = make_days(drafting, 1)[0]
    room = make_room(drafting, name="Room H", capacity=20)
    make_session(drafting, title="First", audience=10, people=shared_people, day=day, room=room, start=time(10, 0))
    second = make_session(drafting, title="Second", audience=10, people=shared_people)
    db.session.commit()
    login(chair)
    client.post(f"/agenda/sessions/{second.id}/move", data={
        "day_id": day.id, "room_id": room.id, "start": "10:30", "version_id": second.version_id})
    page = client.get("/agenda/schedule").get_data(as_text=True)
    return re.search(r"The session is moved and pinned\.[^<]*", page).group(0)


def test_moving_a_session_into_one_conflict_says_conflict(client, login, drafting, chair):
    assert _moved_flash(client, login, drafting, chair, shared_people=()) == (
        "The session is moved and pinned. The agenda now has 1 conflict: see the list.")


def test_moving_a_session_into_two_conflicts_says_conflicts(client, login, drafting, chair):
    assert _moved_flash(client, login, drafting, chair, shared_people=("Kim",)) == (
        "The session is moved and pinned. The agenda now has 2 conflicts: see the list.")


@pytest.mark.parametrize(("count", "expected"), [
    (1, "1 submitted proposal is in no cluster yet."), (2, "2 submitted proposals are in no cluster yet.")])
def test_clusters_page_counts_the_proposals_in_no_cluster(client, login, drafting, reviewer, count, expected):
    for _ in range(count):
        make_proposal(drafting)
    db.session.commit()
    login(reviewer)

    page = client.get("/clusters/").get_data(as_text=True)

    assert re.search(r"\d+ submitted proposals? (?:is|are) in no cluster yet\.", page).group(0) == expected


def _chapter_text(named: int, sessions: int) -> str:
    section = {"code": "C4", "label": "C4 Capacity building", "named": True,
               "sessions": [{"id": i, "title": f"Session {i}", "when": "", "format_label": "", "fed_by": []}
                            for i in range(sessions)]}
    chapter = {"code": "C4", "label": "C4 Capacity building", "named": named, "session_count": sessions,
               "sections": [section]}
    html = action_line_parts([chapter], "Outcomes", sessions)[0].html
    return re.sub(r"\s+", " ", re.search(r'<p class="muted">(.*?)</p>', html, re.S).group(1)).strip()


@pytest.mark.parametrize(("named", "sessions", "expected"), [
    (1, 1, "1 submission named this action line; 1 session addresses it."),
    (7, 2, "7 submissions named this action line; 2 sessions address it."),
])
def test_outcomes_action_line_chapter_counts_in_english(app, named, sessions, expected):
    with app.test_request_context():
        assert _chapter_text(named, sessions) == expected


@pytest.mark.parametrize(("language", "expected"), [
    ("fr", ["1 contribution mentionnait cette grande orientation ; 1 session y est consacrée.",
            "2 contributions mentionnaient cette grande orientation ; 2 sessions y sont consacrées.",
            "5 contributions mentionnaient cette grande orientation ; 5 sessions y sont consacrées."]),
    ("ru", ["Это направление деятельности указано в 1 предложении; ему посвящено 1 заседание.",
            "Это направление деятельности указано в 2 предложениях; ему посвящены 2 заседания.",
            "Это направление деятельности указано в 5 предложениях; ему посвящено 5 заседаний."]),
])
def test_outcomes_action_line_chapter_takes_each_plural_form(app, language, expected):
    with app.test_request_context(), force_locale(language):
        assert [_chapter_text(n, n) for n in (1, 2, 5)] == expected


def test_stored_reasons_of_a_group_count_in_the_readers_plural(app):
    """A cluster's reasons are stored once and read in each reader's language, in the form of the group's size."""
    from consult.reference import in_reader_language, stored_plural

    stored = [stored_plural("Action line %(line)s: %(count)d of %(num)d proposal",
                            "Action line %(line)s: %(count)d of %(num)d proposals", size, line="C4", count=1)
              for size in (1, 2, 5)]
    with app.test_request_context():
        english = [in_reader_language(text) for text in stored]
        with force_locale("ru"):
            russian = [in_reader_language(text) for text in stored]

    assert english == ["Action line C4: 1 of 1 proposal", "Action line C4: 1 of 2 proposals",
                       "Action line C4: 1 of 5 proposals"]
    assert russian == ["Направление деятельности C4: 1 из 1 предложения", "Направление деятельности C4: 1 из 2 предложений",
                       "Направление деятельности C4: 1 из 5 предложений"]


def test_key_figures_agree_with_their_numbers(app):
    from consult.reports.outcomes import key_figures

    def labels(count: int) -> list[str]:
        return [label for label, _value in key_figures(dict.fromkeys(
            ("submitted", "organizations", "countries", "accepted", "merged", "declined", "sessions", "from_meetings"),
            count))]

    with app.test_request_context():
        english = labels(1)
        with force_locale("fr"):
            french = labels(1), labels(2)

    assert english == ["submission", "organization", "country", "accepted", "merged into sessions", "declined",
                       "session on the agenda", "from physical meetings"]
    assert french == (["contribution", "organisation", "pays", "acceptée", "fusionnée en session", "refusée",
                       "session au programme", "issue de réunions en présentiel"],
                      ["contributions", "organisations", "pays", "acceptées", "fusionnées en sessions", "refusées",
                       "sessions au programme", "issues de réunions en présentiel"])
