"""Registration, sign-in and sign-out, the profile and the chair's users page, through HTTP."""
import pytest
import sqlalchemy as sa

from consult.accounts.models import Role, User
from consult.extensions import db
from tests.factories import PASSWORD


def registration_data(**overrides):
    data = {
        "name": "Nadia Haddad", "email": "Nadia@Example.org", "password": "a long enough pass",
        "confirm_password": "a long enough pass", "organization": "Arab ICT Org",
        "stakeholder_type": "civil_society", "country": "JO",
    }
    data.update(overrides)
    return data


def test_register_creates_stakeholder_with_region_and_signs_in(client):
    response = client.post("/account/register", data=registration_data())

    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    user = db.session.execute(sa.select(User)).scalar_one()
    assert (user.email, user.role, user.country, user.region) == ("nadia@example.org", Role.STAKEHOLDER, "JO", "asia_pacific")
    home = client.get("/")
    assert "Nadia Haddad" in home.get_data(as_text=True)


def test_register_duplicate_email_other_case_keeps_input(client, stakeholder):
    response = client.post("/account/register", data=registration_data(email=stakeholder.email.upper()))

    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "An account with this e-mail address exists already" in page
    assert 'value="Arab ICT Org"' in page
    assert db.session.execute(sa.select(sa.func.count()).select_from(User)).scalar_one() == 1


def test_login_with_wrong_password_is_refused(client, stakeholder):
    response = client.post("/account/login", data={"email": stakeholder.email, "password": "not the password"})

    assert response.status_code == 422
    assert "Wrong e-mail address or password." in response.get_data(as_text=True)


def test_login_then_logout_ends_session(client, stakeholder):
    client.post("/account/login", data={"email": stakeholder.email.upper(), "password": PASSWORD})
    assert client.get("/account/profile").status_code == 200

    client.post("/account/logout")

    response = client.get("/account/profile")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/account/login")


def count_users() -> int:
    return db.session.execute(sa.select(sa.func.count()).select_from(User)).scalar_one()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"password": "short", "confirm_password": "short"}, "password", "Field must be between 10 and 200 characters long."),
        ({"country": "XX"}, "country", "Choose a country from the list."),
        ({"name": "N" * 121}, "name", "Field cannot be longer than 120 characters."),
        ({"organization": "O" * 201}, "organization", "Field cannot be longer than 200 characters."),
        ({"email": "a" * 250 + "@example.org"}, "email", "Field cannot be longer than 254 characters. Invalid email address."),
        ({"confirm_password": "another long password"}, "confirm_password", "The two passwords differ."),
        ({"stakeholder_type": "astronaut"}, "stakeholder_type", "Not a valid choice."),
    ],
)
def test_register_bad_input_shows_error_at_field_and_saves_nothing(client, overrides, field, message):
    response = client.post("/account/register", data=registration_data(**overrides))

    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f'<p class="error" id="{field}-error">{message}</p>' in page
    assert f'aria-describedby="{field}-error"' in page or f'aria-describedby="{field}-help {field}-error"' in page
    assert 'value="Arab ICT Org"' in page or field == "organization"
    assert 'value="Nadia Haddad"' in page or field == "name"
    assert count_users() == 0


def test_register_duplicate_email_error_is_at_email_field(client, stakeholder):
    response = client.post("/account/register", data=registration_data(email=stakeholder.email.upper()))

    page = response.get_data(as_text=True)
    assert '<p class="error" id="email-error">An account with this e-mail address exists already. Sign in instead.</p>' in page
    assert 'aria-invalid="true"' in page
    assert f'value="{stakeholder.email.upper()}"' in page


def test_register_typed_password_is_not_sent_back(client):
    response = client.post("/account/register", data=registration_data(country="XX"))

    assert "a long enough pass" not in response.get_data(as_text=True)


def test_login_eleventh_attempt_within_a_minute_is_throttled_on_login_page(client, stakeholder):
    statuses = [client.post("/account/login", data={"email": stakeholder.email, "password": "wrong"}).status_code
                for _attempt in range(10)]

    response = client.post("/account/login", data={"email": stakeholder.email, "password": PASSWORD})

    page = response.get_data(as_text=True)
    assert statuses == [422] * 10
    assert response.status_code == 429
    assert "Too many sign-in attempts in a short time. Wait a minute and try again." in page
    assert '<form method="post" novalidate class="form-narrow">' in page
    assert f'value="{stakeholder.email}"' in page
    assert client.get("/account/profile").status_code == 302


def test_login_throttling_counts_only_posts(client, stakeholder):
    for _attempt in range(12):
        assert client.get("/account/login").status_code == 200

    response = client.post("/account/login", data={"email": stakeholder.email, "password": PASSWORD})

    assert response.status_code == 302


HOSTILE_NEXT = [
    "//evil.example",
    "https://evil.example",
    "http://evil.example/path",
    "/\\evil.example",
    "\\\\evil.example",
    "javascript:alert(1)",
    "%2F%2Fevil",
    "///evil.example",
    " //evil.example",
    "/\t/evil.example",
    "https:evil.example",
    "evil.example",
    "data:text/html,hi",
    "/\r\n//evil.example",
    "/\n/evil.example",
    "https://127.0.0.1@evil.example",
]


@pytest.mark.parametrize("target", HOSTILE_NEXT)
def test_login_hostile_next_redirects_home(client, stakeholder, target):
    response = client.post("/account/login", query_string={"next": target},
                           data={"email": stakeholder.email, "password": PASSWORD})

    assert response.status_code == 302
    assert response.headers["Location"] == "/"


@pytest.mark.parametrize("target", HOSTILE_NEXT)
def test_register_hostile_next_redirects_home(client, target):
    response = client.post("/account/register", query_string={"next": target}, data=registration_data())

    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_login_local_next_is_followed(client, stakeholder):
    response = client.post("/account/login", query_string={"next": "/account/profile?tab=1"},
                           data={"email": stakeholder.email, "password": PASSWORD})

    assert response.headers["Location"] == "/account/profile?tab=1"


def test_login_clears_session_planted_before(client, stakeholder):
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"

    client.post("/account/login", data={"email": stakeholder.email, "password": PASSWORD})

    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["_user_id"] == f"{stakeholder.id}:1"


def test_logout_makes_a_copied_session_cookie_useless(app, client, stakeholder):
    client.post("/account/login", data={"email": stakeholder.email, "password": PASSWORD})
    stolen = client.get_cookie("session").value
    other = app.test_client()
    other.set_cookie("session", stolen)
    assert other.get("/account/profile").status_code == 200

    client.post("/account/logout")

    response = other.get("/account/profile")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/account/login")


def test_logout_by_get_is_not_allowed(login, client, stakeholder):
    login(stakeholder)

    response = client.get("/account/logout")

    assert response.status_code == 405
    assert client.get("/account/profile").status_code == 200


def test_profile_update_saves_and_derives_region(login, client, stakeholder):
    login(stakeholder)

    response = client.post("/account/profile", data={"name": "Grace O.", "organization": "DIK",
                                                     "stakeholder_type": "academia", "country": "BR"})

    assert response.status_code == 302
    db.session.refresh(stakeholder)
    assert (stakeholder.name, stakeholder.organization, stakeholder.country, stakeholder.region) == (
        "Grace O.",
        "DIK",
        "BR",
        "americas",
    )


def test_users_page_search_matches_name_email_and_organization(login, client, chair, make):
    make.make_user(name="Zeynep Kaya", email="zeynep@itu.example", organization="ITU")
    make.make_user(name="Paolo Rossi", email="paolo@example.org", organization="Rome Tech Hub")
    db.session.commit()
    login(chair)

    by_org = client.get("/account/users", query_string={"q": "rome tech"}).get_data(as_text=True)
    by_mail = client.get("/account/users", query_string={"q": "ITU.EXAMPLE"}).get_data(as_text=True)

    assert "Paolo Rossi" in by_org and "Zeynep Kaya" not in by_org
    assert "Zeynep Kaya" in by_mail and "Paolo Rossi" not in by_mail
    assert "1 account<" in by_org


def test_users_page_without_filters_shows_no_error(login, client, chair):
    login(chair)

    response = client.get("/account/users")

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'class="error"' not in page and 'aria-invalid' not in page
    assert f"<td dir=\"auto\">{chair.name}</td>" in page


def test_users_page_unknown_role_filter_lists_everyone_with_error(login, client, chair):
    login(chair)

    page = client.get("/account/users", query_string={"role": "emperor"}).get_data(as_text=True)

    assert '<p class="error" id="role-error">Not a valid choice.</p>' in page
    assert f"<td dir=\"auto\">{chair.name}</td>" in page


def test_users_page_filters_by_role(login, client, chair, reviewer, stakeholder):
    login(chair)

    page = client.get("/account/users", query_string={"role": "reviewer"}).get_data(as_text=True)

    assert f"<td dir=\"auto\">{reviewer.name}</td>" in page
    assert f"<td dir=\"auto\">{stakeholder.name}</td>" not in page
    assert f"<td dir=\"auto\">{chair.name}</td>" not in page


def test_users_page_paginates(app, login, client, chair, make):
    app.config["PAGE_SIZE"] = 2
    for number in range(4):
        make.make_user(name=f"Person {number}")
    db.session.commit()
    login(chair)

    first = client.get("/account/users").get_data(as_text=True)
    third = client.get("/account/users", query_string={"page": 3}).get_data(as_text=True)

    assert "Page 1 of 3" in first and "5 in all" in first
    assert 'rel="next" href="/account/users?page=2"' in first
    assert "Person 3" in third and "Person 0" not in third


def test_users_page_query_count_does_not_grow_with_rows(app, login, client, chair, make, count_queries):
    login(chair)
    for number in range(3):
        make.make_user(name=f"Small {number}")
    db.session.commit()
    client.get("/account/users")
    with count_queries() as few:
        client.get("/account/users")
    for number in range(30):
        make.make_user(name=f"Large {number}")
    db.session.commit()
    client.get("/account/users")
    with count_queries() as many:
        client.get("/account/users")

    assert few.count == many.count


def test_chair_changes_role_and_ends_the_users_sessions(app, login, client, chair, stakeholder):
    other = login(stakeholder, app.test_client())
    login(chair)

    response = client.post(f"/account/users/{stakeholder.id}/role", data={"role": "reviewer"})

    assert response.status_code == 303
    db.session.refresh(stakeholder)
    assert stakeholder.role is Role.REVIEWER
    assert other.get("/account/profile").status_code == 302
    assert f"{stakeholder.name} is now reviewer." in client.get(response.headers["Location"]).get_data(as_text=True)


def test_last_chair_cannot_be_demoted(login, client, chair):
    login(chair)

    response = client.post(f"/account/users/{chair.id}/role", data={"role": "stakeholder"}, follow_redirects=True)

    db.session.refresh(chair)
    assert chair.role is Role.CHAIR
    assert "The consultation needs at least one chair: make someone else chair first." in response.get_data(as_text=True)


def test_chair_can_be_demoted_when_another_chair_exists(login, client, chair, make):
    second = make.make_user(role=Role.CHAIR)
    db.session.commit()
    login(chair)

    client.post(f"/account/users/{second.id}/role", data={"role": "reviewer"})

    db.session.refresh(second)
    assert second.role is Role.REVIEWER


def test_set_role_with_unknown_role_changes_nothing(login, client, chair, stakeholder):
    login(chair)

    response = client.post(f"/account/users/{stakeholder.id}/role", data={"role": "emperor"}, follow_redirects=True)

    db.session.refresh(stakeholder)
    assert stakeholder.role is Role.STAKEHOLDER
    assert "Choose a valid role." in response.get_data(as_text=True)
