"""Organisers' logos: only real PNGs and self-contained SVGs are stored; bad files answer 422 on the field."""
import io

import pytest
import sqlalchemy as sa

from consult.errors import DomainError
from consult.extensions import db
from consult.reports import services
from consult.reports.models import ReportLogo
from tests.reports.test_outcomes_document import PNG_PIXEL, SVG_LOGO


@pytest.mark.parametrize("data, filename, message", [
    (b"", "logo.png", "Choose a PNG or SVG file."),
    (b"GIF89a....", "logo.gif", "Only PNG and SVG logos can be printed."),
    (PNG_PIXEL[:30], "logo.png", "The PNG file is damaged and cannot be read."),
    (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "x.svg",
     "The SVG logo loads other files, runs script or defines entities; export it as plain SVG."),
    (b'<svg xmlns="http://www.w3.org/2000/svg"><image href="file:///etc/passwd"/></svg>', "x.svg",
     "The SVG logo loads other files, runs script or defines entities; export it as plain SVG."),
    (b'<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]><svg>&x;</svg>', "x.svg",
     "The SVG logo loads other files, runs script or defines entities; export it as plain SVG."),
    (b"<svg xmlns='http://www.w3.org/2000/svg'><rect></svg>", "x.svg", "The SVG file is not well-formed XML."),
    (b"\x89PNG\r\n\x1a\n" + b"0" * (600 * 1024), "big.png", "The logo is larger than 512 KB."),
])
def test_add_report_logo_refuses_files_that_are_not_printable_logos(dataset, chair, data, filename, message):
    with pytest.raises(DomainError) as caught:
        services.add_report_logo(dataset["consultation"], actor=chair, organiser="ITU", data=data, filename=filename)

    assert (caught.value.field, caught.value.message) == ("logo", message)


def test_add_report_logo_stores_png_and_svg_in_order(dataset, chair):
    png = services.add_report_logo(dataset["consultation"], actor=chair, organiser="ITU", data=PNG_PIXEL, filename="a.png")
    svg = services.add_report_logo(dataset["consultation"], actor=chair, organiser="UNESCO", data=SVG_LOGO, filename="b.svg")

    assert [(png.mime_type, png.position), (svg.mime_type, svg.position)] == [("image/png", 0), ("image/svg+xml", 1)]


def test_logo_upload_view_answers_422_next_to_the_field_and_keeps_the_organiser(client, login, chair, dataset):
    login(chair)

    response = client.post("/reports/logos", data={
        "organiser": "Union internationale des télécommunications",
        "logo": (io.BytesIO(b"not an image"), "logo.jpg")}, content_type="multipart/form-data")

    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Only PNG and SVG logos can be printed." in page
    assert 'value="Union internationale des télécommunications"' in page
    assert db.session.execute(sa.select(sa.func.count()).select_from(ReportLogo)).scalar_one() == 0


def test_logo_upload_view_stores_the_logo_and_serves_it_as_an_image(client, login, chair, dataset):
    login(chair)

    response = client.post("/reports/logos", data={"organiser": "ITU", "logo": (io.BytesIO(PNG_PIXEL), "itu.png")},
                           content_type="multipart/form-data")
    logo = db.session.execute(sa.select(ReportLogo)).scalar_one()
    image = client.get(f"/reports/logos/{logo.id}")

    assert (response.status_code, response.headers["Location"]) == (302, "/reports/")
    assert (image.status_code, image.mimetype, image.data) == (200, "image/png", PNG_PIXEL)
    assert "sandbox" in image.headers["Content-Security-Policy"]


def test_settings_view_saves_the_choices_and_refuses_an_unknown_status(client, login, chair, dataset):
    from consult.reports.queries import report_settings

    login(chair)
    refused = client.post("/reports/settings", data={"document_symbol": "WSIS/OCP/1", "status": "published",
                                                    "declined_in_annex": "omitted"})
    saved = client.post("/reports/settings", data={"document_symbol": "WSIS/OCP/1", "status": "final",
                                                  "declined_in_annex": "omitted", "is_naming_submitters": "y"})
    settings = report_settings(dataset["consultation"].id)

    assert refused.status_code == 422 and "Not a valid choice" in refused.get_data(as_text=True)
    assert 'value="WSIS/OCP/1"' in refused.get_data(as_text=True)
    assert saved.status_code == 302
    assert (settings.document_symbol, settings.status.value, settings.declined_in_annex.value,
            settings.is_naming_submitters, settings.is_listing_withdrawn) == ("WSIS/OCP/1", "final", "omitted", True, False)
