"""Times of the current consultation as people read them: in its time zone, with the zone's abbreviation."""
from datetime import datetime
from zoneinfo import ZoneInfo

from consult.consultations.queries import current_consultation


def format_local(moment: datetime | None, tz_name: str | None = None, fmt: str = "%d %b %Y %H:%M") -> str:
    """A UTC time shown in the consultation's time zone (or tz_name), with the zone's abbreviation."""
    if moment is None:
        return ""
    consultation = current_consultation()
    zone = ZoneInfo(tz_name or (consultation.timezone if consultation else "UTC"))
    local = moment.astimezone(zone)
    return f"{local.strftime(fmt)} {local.tzname()}"
