"""What changed between two published versions: exact values."""
from consult.agenda.versions import diff_versions, group_snapshot, read_snapshot, search_snapshot


def item(session_id, title, day="2026-06-01", room="Room A", start="09:00", **extra):
    data = {"id": session_id, "title": title, "day": day, "room": room, "start": start, "description": "",
            "people": [], "action_lines": ["C4"]}
    data.update(extra)
    return data


def test_diff_versions_added_removed_moved_retitled():
    old = [item(1, "Opening"), item(2, "Broadband"), item(3, "E-health", start="10:00")]
    new = [item(1, "Opening segment"), item(3, "E-health", room="Room K2", start="11:00"), item(4, "Prizes")]

    changes = diff_versions(old, new)

    assert changes == {
        "added": [{"id": 4, "title": "Prizes"}],
        "removed": [{"id": 2, "title": "Broadband"}],
        "moved": [{"id": 3, "title": "E-health",
                   "from": {"day": "2026-06-01", "room": "Room A", "start": "10:00"},
                   "to": {"day": "2026-06-01", "room": "Room K2", "start": "11:00"}}],
        "retitled": [{"id": 1, "old_title": "Opening", "new_title": "Opening segment"}],
    }


def test_diff_versions_identical_is_empty():
    same = [item(1, "Opening"), item(2, "Broadband")]

    assert diff_versions(same, list(reversed(same))) == {"added": [], "removed": [], "moved": [], "retitled": []}


def test_diff_versions_from_nothing_adds_everything_in_id_order():
    assert diff_versions([], [item(5, "B"), item(2, "A")])["added"] == [{"id": 2, "title": "A"}, {"id": 5, "title": "B"}]


def test_group_snapshot_by_action_line_puts_session_in_each_line():
    snapshot = [item(1, "A", action_lines=["C4", "C1"]), item(2, "B", action_lines=[])]

    groups = group_snapshot(snapshot, "action_line")

    assert [(key, [i["id"] for i in items]) for key, items in groups] == [("C1", [1]), ("C4", [1]), ("", [2])]


def test_search_snapshot_matches_every_word_in_people_too():
    snapshot = [item(1, "Digital health", people=[{"name": "Ana Lopez", "organization": "WHO"}]),
                item(2, "Digital skills", people=[])]

    assert [i["id"] for i in search_snapshot(snapshot, "digital who")] == [1]


def test_read_snapshot_completes_entries_lacking_keys_and_drops_entries_without_id():
    stored = [{"id": 7, "title": "Bridging", "start": None, "track": "Undefined", "sdgs": [4, 99, "x"],
               "people": [{"name": "Zoë", "role": "host"}, "not a person"]},
              {"title": "No id"}, "not an entry", {"id": True, "title": "Boolean id"}]

    entries = read_snapshot(stored)

    assert entries == [{
        "id": 7, "title": "Bridging", "description": "", "format": "", "track": "forum", "day": "", "start": "",
        "end": "", "room": "", "room_position": 0, "has_interpretation": False, "is_plenary": False, "updated_at": "",
        "sequence": 0, "action_lines": [], "sdgs": [4],
        "people": [{"role": "speaker", "name": "Zoë", "organization": "", "country": "", "is_remote": False}],
    }]


def test_read_snapshot_of_free_json_that_is_no_list_is_empty():
    assert (read_snapshot({"synthetic": True}), read_snapshot(None)) == ([], [])
