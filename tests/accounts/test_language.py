"""The language saved on the account: recorded at registration, changed in the switcher and on the profile, and
ahead of the browser's cookie and Accept-Language on every page."""
import sqlalchemy as sa

from consult.accounts.models import User
from consult.audit.models import AuditEntry
from consult.extensions import db
from tests.accounts.test_views import registration_data


def _html_tag(response) -> str:
    page = response.get_data(as_text=True)
    start = page.index("<html")
    return page[start:page.index(">", start) + 1]


def test_registration_records_the_language_the_person_registered_in(client):
    client.post("/account/register?lang=ar", data=registration_data())

    user = db.session.execute(sa.select(User)).scalar_one()
    assert user.locale == "ar"


def test_registration_in_the_browser_language_records_it(client):
    client.post("/account/register", data=registration_data(), headers={"Accept-Language": "zh-CN,zh;q=0.9"})

    assert db.session.execute(sa.select(User.locale)).scalar_one() == "zh"


def test_saved_language_wins_over_accept_language_and_the_cookie(client, login, stakeholder):
    stakeholder.locale = "ru"
    db.session.commit()
    login(stakeholder)
    client.set_cookie("lang", "es")

    response = client.get("/account/profile", headers={"Accept-Language": "fr"})

    assert _html_tag(response) == '<html lang="ru" dir="ltr">'
    assert "<h1>Ваш профиль</h1>" in response.get_data(as_text=True)


def test_a_lang_link_shows_its_language_once_then_the_saved_one_returns(client, login, stakeholder):
    stakeholder.locale = "fr"
    db.session.commit()
    login(stakeholder)

    shared = client.get("/consultation/?lang=es")
    next_page = client.get("/consultation/")

    assert _html_tag(shared) == '<html lang="es" dir="ltr">'
    assert _html_tag(next_page) == '<html lang="fr" dir="ltr">'
    assert db.session.get(User, stakeholder.id).locale == "fr"


def test_no_saved_language_follows_the_browser(client, login, stakeholder):
    login(stakeholder)

    assert _html_tag(client.get("/account/profile", headers={"Accept-Language": "zh"})) == '<html lang="zh" dir="ltr">'


def test_signed_in_switcher_is_a_form_that_saves_the_choice(client, login, stakeholder):
    login(stakeholder)

    page = client.get("/proposals/?q=broadband").get_data(as_text=True)
    response = client.post("/account/language", data={"lang": "ar", "next": "/proposals/?q=broadband"})

    assert '<form method="post" action="/account/language">' in page
    assert '<input type="hidden" name="next" value="/proposals/?q=broadband">' in page
    assert '<button type="submit" class="link-button" name="lang" value="ar" lang="ar">العربية</button>' in page
    assert (response.status_code, response.headers["Location"]) == (303, "/proposals/?q=broadband")
    assert "lang=ar" in response.headers["Set-Cookie"]
    assert db.session.get(User, stakeholder.id).locale == "ar"
    assert _html_tag(client.get("/proposals/")) == '<html lang="ar" dir="rtl">'
    entry = db.session.execute(sa.select(AuditEntry).where(AuditEntry.action == "user.set_language")).scalar_one()
    assert entry.details == {"from": None, "to": "ar"}


def test_switcher_refuses_a_language_not_offered_and_a_foreign_next(client, login, stakeholder):
    login(stakeholder)

    refused = client.post("/account/language", data={"lang": "de", "next": "/"})
    elsewhere = client.post("/account/language", data={"lang": "es", "next": "https://evil.example/"})

    assert refused.status_code == 400
    assert "Choose one of the languages offered." in refused.get_data(as_text=True)
    assert elsewhere.headers["Location"] == "/"
    assert db.session.get(User, stakeholder.id).locale == "es"


def test_visitor_switcher_sets_only_the_cookie(client):
    response = client.post("/account/language", data={"lang": "zh", "next": "/consultation/"})

    assert (response.status_code, response.headers["Location"]) == (303, "/consultation/")
    assert _html_tag(client.get("/consultation/")) == '<html lang="zh" dir="ltr">'
    assert db.session.execute(sa.select(sa.func.count()).select_from(AuditEntry)).scalar_one() == 0


def test_visitor_switcher_stays_links(client):
    page = client.get("/").get_data(as_text=True)

    assert 'action="/account/language"' not in page
    assert '<a href="/?lang=fr" lang="fr" hreflang="fr">Français</a>' in page


def test_profile_offers_the_languages_and_saves_the_choice(client, login, stakeholder):
    login(stakeholder)

    page = client.get("/account/profile", headers={"Accept-Language": "en"}).get_data(as_text=True)
    response = client.post("/account/profile", data={
        "name": stakeholder.name, "organization": stakeholder.organization, "stakeholder_type": "civil_society",
        "country": "KE", "locale": "es"}, follow_redirects=True)

    assert '<option lang="en" selected value="en">English</option>' in page
    assert '<option lang="ar" value="ar">العربية</option>' in page
    assert db.session.get(User, stakeholder.id).locale == "es"
    assert "Se ha guardado su perfil." in response.get_data(as_text=True)
    assert _html_tag(response) == '<html lang="es" dir="ltr">'


def test_profile_refuses_a_language_not_offered_and_keeps_the_input(client, login, stakeholder):
    login(stakeholder)

    response = client.post("/account/profile", data={
        "name": "Grace O.", "organization": stakeholder.organization, "stakeholder_type": "civil_society",
        "country": "KE", "locale": "de"})

    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'value="Grace O."' in page
    assert "Not a valid choice" in page
    assert db.session.get(User, stakeholder.id).locale is None


def test_chair_invites_in_a_chosen_language_and_the_email_is_written_in_it(client, login, chair):
    from consult.accounts.models import Invitation
    from consult.outbox.models import OutboxMessage

    login(chair)

    page = client.get("/account/users").get_data(as_text=True)
    client.post("/account/invitations", data={"name": "Li Wei", "email": "li.wei@example.org", "role": "reviewer",
                                         "organization": "CAICT", "locale": "zh"})

    assert ('<select aria-describedby="invite-locale-help" id="invite-locale" name="locale">'
            '<option value="">The site\'s default language</option><option lang="ar" value="ar">العربية</option>') in page
    invitation = db.session.execute(sa.select(Invitation)).scalar_one()
    message = db.session.execute(sa.select(OutboxMessage)).scalar_one()
    assert (invitation.locale, message.locale, message.subject) == ("zh", "zh", "您受邀参加公开磋商")
    assert message.body.startswith("尊敬的Li Wei")


def test_invitation_without_a_language_is_written_in_the_sites_default(client, login, chair):
    from consult.outbox.models import OutboxMessage

    login(chair)

    client.post("/account/invitations", data={"name": "Henrik Solberg", "email": "henrik@example.org", "role": "reviewer"})

    message = db.session.execute(sa.select(OutboxMessage)).scalar_one()
    assert (message.locale, message.subject) == ("en", "You are invited to the open consultation")
