"""The checked import file between preview and confirmation, kept in the database and imported once."""
import secrets
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa
from flask_babel import gettext as _

from consult.consultations.models import Consultation
from consult.db import utcnow
from consult.errors import EditConflictError, ValidationError
from consult.extensions import db
from consult.proposals.importing import ImportResult, import_proposals
from consult.proposals.models import ImportBatch, ImportPreview

# A preview not confirmed within a day is forgotten (the periodic job deletes it).
PREVIEW_LIFETIME = timedelta(hours=24)


def store_import_preview(consultation: Consultation, *, filename: str, data: bytes, source: str, actor) -> ImportPreview:
    """Keep a checked file until the chair confirms it; its token goes into the confirmation form."""
    preview = ImportPreview(token=secrets.token_urlsafe(32), consultation_id=consultation.id,
                            filename=Path(filename).name[:255] or "upload", source=source[:200], data=data,
                            created_by_id=getattr(actor, "id", None))
    db.session.add(preview)
    db.session.flush()
    return preview


def confirm_import_preview(consultation: Consultation, *, token: str, actor) -> tuple[ImportBatch, ImportResult | None]:
    """Import a previewed file; the first confirmation imports it, a repeated one gets its batch and no result.

    The preview is consumed by one UPDATE, so two confirmations at once (a double click, two hosts) import once:
    the second waits for the first's row lock and then finds the preview consumed.
    """
    preview = db.session.execute(
        sa.select(ImportPreview).where(ImportPreview.token == token, ImportPreview.consultation_id == consultation.id)
    ).scalar_one_or_none()
    if preview is None or (preview.consumed_at is None and utcnow() - preview.created_at > PREVIEW_LIFETIME):
        raise ValidationError(_("The checked file expired. Upload it again."))
    consumed = db.session.execute(
        sa.update(ImportPreview).where(ImportPreview.id == preview.id, ImportPreview.consumed_at.is_(None))
        .values(consumed_at=utcnow()).execution_options(synchronize_session=False)
    ).rowcount == 1
    if not consumed:
        db.session.expire(preview)
        batch = db.session.get(ImportBatch, preview.batch_id) if preview.batch_id else None
        if batch is None:
            raise EditConflictError(_("This file is being imported by another request; reload the list in a moment."))
        return batch, None
    result = import_proposals(consultation, filename=preview.filename, data=preview.data, source=preview.source,
                              actor=actor)
    if not result.is_valid:
        raise ValidationError(_("The file has errors: nothing was imported."))
    db.session.execute(sa.update(ImportPreview).where(ImportPreview.id == preview.id).values(batch_id=result.batch.id)
                       .execution_options(synchronize_session=False))
    return result.batch, result


def forget_expired_previews() -> int:
    """Delete previews past their lifetime and consumed ones (a periodic job); how many went."""
    return db.session.execute(
        sa.delete(ImportPreview).where(sa.or_(ImportPreview.created_at < utcnow() - PREVIEW_LIFETIME,
                                              ImportPreview.consumed_at.is_not(None)))
    ).rowcount
