"""Forms of the reports area: a PDF build's language, the settings of the published documents, the organisers' logos."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from consult.forms import as_choices

STATUS_CHOICES = as_choices([("draft", _l("Draft (a DRAFT watermark on every page)")), ("final", _l("Final"))])
DECLINED_CHOICES = as_choices([("without_names", _l("Listed without names or organizations")),
                               ("omitted", _l("Not listed"))])


class ReportSettingsForm(FlaskForm):
    """What the published documents print: symbol, status, and what the annexes show of whom."""

    document_symbol = StringField(_l("Document symbol"), description=_l("For example WSIS/OCP/2027/1."),
                                  validators=[Optional(), Length(max=80)])
    status = SelectField(_l("Status"), choices=STATUS_CHOICES, default="draft", validators=[InputRequired()])
    declined_in_annex = SelectField(_l("Declined and undecided submissions in the annexes"), choices=DECLINED_CHOICES,
                                    default="without_names", validators=[InputRequired()])
    is_naming_submitters = BooleanField(
        _l("Name the submitters of accepted and merged submissions (their organizations are always printed)"))
    is_listing_withdrawn = BooleanField(_l("List withdrawn submissions (without names)"))
    submit = SubmitField(_l("Save the settings"))


class LogoForm(FlaskForm):
    """One organiser's logo: a PNG or SVG file and the organiser's name (the image's text alternative)."""

    organiser = StringField(_l("Organiser"), validators=[DataRequired(), Length(max=120)])
    logo = FileField(_l("Logo (PNG or SVG, at most 512 KB)"))
    submit = SubmitField(_l("Add the logo"))


class BuildForm(FlaskForm):
    """The language a PDF build writes its document in (the view offers the site's languages, the reader's first)."""

    language = SelectField(_l("Language of the document"), validators=[DataRequired()],
                           description=_l("Each language is a separate build and a separate file."))
