"""Times of the current consultation as people read them: in its time zone, with the zone's abbreviation."""
from datetime import datetime
from zoneinfo import ZoneInfo

from consult.consultations.queries import current_consultation
from consult.db import utcnow


def format_local(moment: datetime | None, tz_name: str | None = None, fmt: str = "%d %b %Y %H:%M") -> str:
    """A UTC time shown in the consultation's time zone (or tz_name), with the zone's abbreviation."""
    if moment is None:
        return ""
    if tz_name is None:
        consultation = current_consultation()
        tz_name = consultation.timezone if consultation else "UTC"
    zone = ZoneInfo(tz_name)
    local = moment.astimezone(zone)
    return f"{local.strftime(fmt)} {local.tzname()}"


def phase_window(consultation, kind) -> tuple[str, str]:
    """Where the phase of this kind stands now: ("open" | "not_yet" | "closed" | "none", the time it closes, opens or closed)."""
    phase = consultation.phase(kind) if consultation is not None else None
    if phase is None:
        return "none", ""
    now = utcnow()
    if now < phase.opens_at:
        return "not_yet", format_local(phase.opens_at, consultation.timezone)
    if now >= phase.closes_at:
        return "closed", format_local(phase.closes_at, consultation.timezone)
    return "open", format_local(phase.closes_at, consultation.timezone)
