"""Dates and times as people read them: in the consultation's time zone, written the way the reader's language writes them."""
from datetime import date, datetime
from zoneinfo import ZoneInfo

from babel import Locale
from babel import dates as babel_dates
from babel import numbers as babel_numbers
from flask_babel import get_locale
from markupsafe import Markup, escape

from consult.consultations.queries import current_consultation
from consult.db import utcnow


def reading_locale() -> Locale:
    """The reader's locale for dates; English as the UN writes it (day before month), not the US form."""
    locale = get_locale()
    return Locale.parse("en_GB") if str(locale) == "en" else locale


def _zone(tz_name: str | None) -> ZoneInfo:
    consultation = current_consultation()
    return ZoneInfo(tz_name or (consultation.timezone if consultation else "UTC"))


def format_local(moment: datetime | None, tz_name: str | None = None, fmt: str | None = None, *,
                 day_width: str = "medium", with_zone: bool = True) -> str:
    """A UTC time in the consultation's time zone (or tz_name), with the zone's abbreviation (unless with_zone=False).

    Without `fmt`, the reader's language decides how the date and time read ("1 Dec 2026, 09:00" in English,
    "1 déc. 2026, 09:00" in French; day_width "full" writes the weekday and month out); `fmt` (strftime) is for
    fixed, machine-like forms such as an audit log.
    """
    if moment is None:
        return ""
    local = moment.astimezone(_zone(tz_name))
    zone = f" {local.tzname()}" if with_zone else ""
    if fmt is not None:
        return f"{local.strftime(fmt)}{zone}"
    locale = reading_locale()
    pattern = (babel_dates.get_datetime_format(day_width, locale=locale)
               .replace("{1}", babel_dates.get_date_format(day_width, locale=locale).pattern).replace("{0}", "HH:mm"))
    return f"{babel_dates.format_datetime(local, pattern, locale=locale)}{zone}"


def date_and_time(date_text, time_text, width: str = "full"):
    """A date and a time written apart, joined as the reader's language joins them ("Monday, 6 July 2026, 09:00",
    "…، 9:00 ص" in Arabic, "… 09:00" in Chinese); Markup in (a <time> element) gives Markup out."""
    glue = babel_dates.get_datetime_format(width, locale=reading_locale()).replace("'", "").replace("%", "%%")
    pattern = glue.replace("{1}", "%(date)s").replace("{0}", "%(time)s")
    values = {"date": date_text, "time": time_text}
    if isinstance(date_text, Markup) or isinstance(time_text, Markup):
        return escape(pattern) % values
    return pattern % values


def format_number(value, places: int | None = None) -> str:
    """A number as the reader's language writes it (separators of thousands and decimals); `places` fixes the
    decimals shown ("0,75" in French for 0.75 with 2), else as many as the value has (up to three)."""
    if value is None:
        return ""
    pattern = None if places is None else ("#,##0." + "0" * places if places else "#,##0")
    return babel_numbers.format_decimal(value, format=pattern, locale=reading_locale())


def format_time_of_day(moment: datetime | None, tz_name: str | None = None) -> str:
    """The time of day of a UTC time, in the consultation's time zone (24-hour, as the Forum's programme prints it)."""
    if moment is None:
        return ""
    return babel_dates.format_time(moment.astimezone(_zone(tz_name)), "HH:mm", locale=reading_locale())


def format_day(day: date | datetime | None, width: str = "full") -> str:
    """A day in the reader's language: 'Monday, 6 July 2026' (full), '6 July 2026' (long), 'Mon 6 Jul' (short)."""
    if day is None:
        return ""
    if isinstance(day, datetime):
        day = day.date()
    if width == "short":
        return babel_dates.format_skeleton("MMMEd", day, locale=reading_locale())
    return babel_dates.format_date(day, format=width, locale=reading_locale())


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
