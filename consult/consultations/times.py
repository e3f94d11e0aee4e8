"""Dates and times as people read them: in the consultation's time zone, written the way the reader's language writes them."""
from datetime import date, datetime
from zoneinfo import ZoneInfo

from babel import Locale
from babel import dates as babel_dates
from flask_babel import get_locale

from consult.consultations.queries import current_consultation


def _locale() -> Locale:
    """The reader's locale for dates; English as the UN writes it (day before month), not the US form."""
    locale = get_locale()
    return Locale.parse("en_GB") if str(locale) == "en" else locale


def _zone(tz_name: str | None) -> ZoneInfo:
    consultation = current_consultation()
    return ZoneInfo(tz_name or (consultation.timezone if consultation else "UTC"))


def format_local(moment: datetime | None, tz_name: str | None = None, fmt: str | None = None) -> str:
    """A UTC time in the consultation's time zone (or tz_name), with the zone's abbreviation.

    Without `fmt`, the reader's language decides how the date and time read ("1 Dec 2026, 09:00" in English,
    "1 déc. 2026, 09:00" in French); `fmt` (strftime) is for fixed, machine-like forms such as an audit log.
    """
    if moment is None:
        return ""
    local = moment.astimezone(_zone(tz_name))
    if fmt is not None:
        return f"{local.strftime(fmt)} {local.tzname()}"
    locale = _locale()
    pattern = (babel_dates.get_datetime_format("medium", locale=locale)
               .replace("{1}", babel_dates.get_date_format("medium", locale=locale).pattern).replace("{0}", "HH:mm"))
    return f"{babel_dates.format_datetime(local, pattern, locale=locale)} {local.tzname()}"


def format_time_of_day(moment: datetime | None, tz_name: str | None = None) -> str:
    """The time of day of a UTC time, in the consultation's time zone (24-hour, as the Forum's programme prints it)."""
    if moment is None:
        return ""
    return babel_dates.format_time(moment.astimezone(_zone(tz_name)), "HH:mm", locale=_locale())


def format_day(day: date | datetime | None, width: str = "full") -> str:
    """A day in the reader's language: 'Monday, 6 July 2026' (full), '6 July 2026' (long), 'Mon 6 Jul' (short)."""
    if day is None:
        return ""
    if isinstance(day, datetime):
        day = day.date()
    if width == "short":
        return babel_dates.format_skeleton("MMMEd", day, locale=_locale())
    return babel_dates.format_date(day, format=width, locale=_locale())
