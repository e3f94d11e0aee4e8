"""The import preview waits in the database: any host confirms it, once; an old preview expires."""
import io
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from consult import create_app
from consult.db import utcnow
from consult.extensions import db
from consult.proposals.import_previews import forget_expired_previews
from consult.proposals.models import ImportBatch, ImportPreview, Proposal
from tests.proposals.test_importing import GOOD_ROW, HEADER


def _preview(client, name="event.csv", rows=GOOD_ROW) -> str:
    response = client.post("/proposals/import", content_type="multipart/form-data",
                           data={"file": (io.BytesIO((HEADER + rows).encode()), name), "source": "Regional event"})
    return response.get_data(as_text=True).split('name="token" type="hidden" value="')[1].split('"')[0]


def _counts() -> tuple[int, int]:
    return (db.session.execute(sa.select(sa.func.count(Proposal.id))).scalar_one(),
            db.session.execute(sa.select(sa.func.count(ImportBatch.id))).scalar_one())


def test_preview_is_stored_in_the_database_not_on_disk(app, client, login, consultation, chair):
    login(chair)

    token = _preview(client)

    preview = db.session.execute(sa.select(ImportPreview)).scalar_one()
    assert (preview.token, preview.filename, preview.source, preview.consumed_at) == (token, "event.csv", "Regional event", None)
    assert preview.data == (HEADER + GOOD_ROW).encode()
    assert not (Path(app.instance_path) / "imports").exists()


def test_second_confirmation_imports_nothing_more_and_answers_as_the_first(client, login, consultation, chair):
    login(chair)
    token = _preview(client, rows=GOOD_ROW + GOOD_ROW.replace("Open data", "Closed data"))

    first = client.post("/proposals/import/confirm", data={"token": token, "source": "Regional event"})
    second = client.post("/proposals/import/confirm", data={"token": token, "source": "Regional event"})

    assert (first.status_code, second.status_code) == (303, 303)
    assert first.headers["Location"] == second.headers["Location"]
    assert _counts() == (2, 1)
    assert "2 proposals imported from “Regional event”." in client.get(second.headers["Location"]).get_data(as_text=True)


def test_expired_preview_is_refused_with_the_reason(client, login, consultation, chair):
    login(chair)
    token = _preview(client)
    db.session.execute(sa.update(ImportPreview).values(created_at=utcnow() - timedelta(hours=25)))
    db.session.commit()

    response = client.post("/proposals/import/confirm", data={"token": token, "source": "Regional event"})

    assert response.status_code == 422
    assert "The checked file expired. Upload it again." in response.get_data(as_text=True)
    assert 'name="file"' in response.get_data(as_text=True)
    assert _counts() == (0, 0)


def test_forget_expired_previews_deletes_old_and_consumed_ones(client, login, consultation, chair):
    login(chair)
    old, fresh, used = _preview(client, "old.csv"), _preview(client, "fresh.csv"), _preview(client, "used.csv")
    client.post("/proposals/import/confirm", data={"token": used, "source": "Regional event"})
    db.session.execute(sa.update(ImportPreview).where(ImportPreview.token == old)
                       .values(created_at=utcnow() - timedelta(days=2)))

    removed = forget_expired_previews()

    assert removed == 2
    assert db.session.execute(sa.select(ImportPreview.token)).scalars().all() == [fresh]


@pytest.mark.committing
def test_preview_made_through_one_app_is_confirmed_through_another(app, database_url, login, consultation, chair, tmp_path):
    other_host = create_app("test", overrides={"SQLALCHEMY_DATABASE_URI": database_url}, instance_path=str(tmp_path / "host-b"))
    first = login(chair, app.test_client())
    token = _preview(first)

    with other_host.app_context():
        second = login(chair, other_host.test_client())
        confirmed = second.post("/proposals/import/confirm", data={"token": token, "source": "Regional event"})
        db.session.remove()
        db.engine.dispose()

    db.session.expire_all()
    assert confirmed.status_code == 303
    assert _counts() == (1, 1)
