"""Figures the reports publish about people: counts only, small groups suppressed."""
from consult.agenda.models import PersonRole, SessionPerson
from consult.extensions import db
from consult.reports.statistics import speaker_genders, suppressed


def test_suppressed_shows_counts_under_five_as_less_than_five():
    assert [suppressed(count) for count in (0, 1, 4, 5, 12)] == ["0", "<5", "<5", "5", "12"]


def test_speaker_genders_count_agenda_speakers_and_hide_small_groups(dataset):
    session = dataset["sessions"][0]
    for index, gender in enumerate(["female"] * 3 + ["male"] * 7 + ["other"]):
        db.session.add(SessionPerson(session_id=session.id, role=PersonRole.SPEAKER, position=10 + index,
                                     name=f"Person {index}", person_key=f"person{index}", gender=gender))
    db.session.commit()

    genders = speaker_genders(dataset["consultation"].id)

    # The dataset's 12 sessions each name one speaker without a gender.
    assert genders["total"] == 23
    assert [(row["label"], row["count"], row["share"]) for row in genders["rows"]] == [
        ("Women", "<5", "–"), ("Men", "7", "30 %"), ("Other or self-described", "<5", "–"), ("Not given", "12", "52 %")]
