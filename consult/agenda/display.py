"""Days and times of the agenda in the reader's locale (Babel); the clock stays the Forum's local time."""
from datetime import date, time

from babel import dates as babel_dates

from consult.consultations.times import date_and_time, format_day, reading_locale


def _day(value) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        return None


def long_day(value) -> str:
    """A day written out in the locale ("Monday, 6 July 2026"); '' when it is not a day."""
    day = _day(value)
    return format_day(day, "full") if day else ""


def short_day(value) -> str:
    """A day in a few letters of the locale ("Mon 6 Jul"); '' when it is not a day."""
    day = _day(value)
    return format_day(day, "short") if day else ""


def clock_text(value: str | time) -> str:
    """A local time of day ("HH:MM" or a time) in the locale's short time format, not shifted to any other zone."""
    try:
        if not isinstance(value, time):
            hours, minutes = (int(part) for part in value.split(":"))
            value = time(hours, minutes)
        return babel_dates.format_time(value, format="short", locale=reading_locale())
    except (AttributeError, ValueError):
        return ""


def time_range(item: dict) -> str:
    """A snapshot entry's start and end in the locale's short time format."""
    return f"{clock_text(item.get('start', ''))}–{clock_text(item.get('end', ''))}"


TEMPLATE_HELPERS = {"long_day": long_day, "short_day": short_day, "clock_text": clock_text, "time_range": time_range,
                    "date_and_time": date_and_time}
