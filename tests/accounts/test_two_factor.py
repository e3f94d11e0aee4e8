"""Two-factor sign-in: enrolment with a code check, recovery codes, the code step of sign-in, the committee rule."""
import re
from datetime import timedelta

import pyotp
import pytest
import sqlalchemy as sa
from cryptography.fernet import Fernet

from consult import sealing
from consult.accounts import two_factor
from consult.accounts.models import RecoveryCode
from consult.db import utcnow
from consult.errors import DomainError
from consult.extensions import db
from tests.factories import PASSWORD, make_user

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DP"


def code(offset_steps: int = 0) -> str:
    return pyotp.TOTP(SECRET).at(utcnow() + timedelta(seconds=30 * offset_steps))


def enrolled(user) -> list[str]:
    return two_factor.enable_two_factor(user, secret=SECRET, code=code())


def test_enable_refuses_a_wrong_code(app):
    user = make_user()

    with pytest.raises(DomainError) as error:
        two_factor.enable_two_factor(user, secret=SECRET, code="000000" if code() != "000000" else "111111")

    assert (error.value.field, user.has_two_factor) == ("code", False)


def test_enable_gives_ten_recovery_codes_stored_only_as_hashes(app):
    user = make_user()

    codes = enrolled(user)

    assert user.has_two_factor is True
    assert len(codes) == 10 and len(set(codes)) == 10
    assert all(re.fullmatch(r"[0-9a-f]{6}-[0-9a-f]{6}", c) for c in codes)
    hashes = list(db.session.execute(sa.select(RecoveryCode.code_hash).where(RecoveryCode.user_id == user.id)).scalars())
    assert len(hashes) == 10
    assert not set(codes) & set(hashes)


def test_a_code_is_accepted_once(app):
    user = make_user()
    enrolled(user)

    assert two_factor.verify_second_factor(user, code()) is False  # used at enrolment
    assert two_factor.verify_second_factor(user, code(1)) is True
    assert two_factor.verify_second_factor(user, code(1)) is False
    assert two_factor.verify_second_factor(user, "12345") is False


def test_a_recovery_code_signs_in_once(app):
    user = make_user()
    codes = enrolled(user)

    assert two_factor.verify_second_factor(user, f" {codes[3].upper()} ") is True
    assert two_factor.verify_second_factor(user, codes[3]) is False
    assert two_factor.unused_recovery_codes(user) == 9


def test_disable_needs_the_password_and_is_refused_while_the_committee_rule_applies(app, chair, reviewer):
    enrolled(reviewer)
    two_factor.set_committee_two_factor(True, actor=chair)

    with pytest.raises(DomainError) as wrong:
        two_factor.disable_two_factor(reviewer, password="not it at all", actor=reviewer)
    with pytest.raises(DomainError) as required:
        two_factor.disable_two_factor(reviewer, password=PASSWORD, actor=reviewer)
    assert wrong.value.message == "The password is not right."
    assert required.value.message == (
        "The committee must sign in with two factors: you can set up a new device, not switch it off.")

    two_factor.set_committee_two_factor(False, actor=chair)
    two_factor.disable_two_factor(reviewer, password=PASSWORD, actor=reviewer)
    assert (reviewer.has_two_factor, two_factor.unused_recovery_codes(reviewer)) == (False, 0)


def test_qr_code_is_a_local_svg(app):
    user = make_user(email="grace@example.org")
    with app.test_request_context("/"):
        svg = two_factor.qr_svg(two_factor.provisioning_uri(user, SECRET))

    assert svg.startswith("<svg")
    assert "<title>QR code for your authenticator app</title>" in svg
    assert "http" not in svg.replace("http://www.w3.org/2000/svg", "")


# --- through the client -------------------------------------------------------------------------------------------

def sign_in(client, user):
    return client.post("/account/login", data={"email": user.email, "password": PASSWORD})


def signed_in(client) -> bool:
    with client.application.app_context():
        return client.get("/account/profile").status_code == 200


def test_sign_in_with_two_factor_asks_for_the_code(app, client):
    user = make_user(email="grace@example.org")
    enrolled(user)
    db.session.commit()

    first = sign_in(client, user)
    assert (first.status_code, first.headers["Location"]) == (302, "/account/login/code")
    assert signed_in(client) is False

    wrong = client.post("/account/login/code", data={"code": "99999"})
    assert wrong.status_code == 422
    assert "This code is not right or was used already." in wrong.get_data(as_text=True)
    right = client.post("/account/login/code", data={"code": code(1)})

    assert (right.status_code, right.headers["Location"]) == (303, "/")
    assert signed_in(client) is True


def test_code_step_without_the_password_step_goes_to_sign_in(client):
    opened = client.get("/account/login/code")
    sent = client.post("/account/login/code", data={"code": "123456"})

    assert (opened.status_code, opened.headers["Location"]) == (302, "/account/login")
    assert sent.status_code == 400
    assert "Sign in with your e-mail address and password first" in sent.get_data(as_text=True)


def test_enrolment_page_checks_the_code_then_shows_recovery_codes(client, login):
    user = make_user(email="grace@example.org")
    db.session.commit()
    login(user)

    page = client.get("/account/two-factor").get_data(as_text=True)
    assert "<svg" in page and 'name="secret"' in page
    refused = client.post("/account/two-factor", data={"secret": SECRET, "code": "12"})
    assert refused.status_code == 422
    assert f'value="{SECRET}"' in refused.get_data(as_text=True)
    done = client.post("/account/two-factor", data={"secret": SECRET, "code": code()})

    assert done.status_code == 200
    assert done.get_data(as_text=True).count("<li><code>") == 10
    db.session.refresh(user)
    assert user.has_two_factor is True


def test_committee_rule_sends_reviewers_to_enrol_first(client, login, chair, reviewer, stakeholder):
    login(chair)
    saved = client.post("/account/settings", data={"privacy_notice": "", "require_committee_two_factor": "y"})
    assert saved.status_code == 303

    login(reviewer)
    blocked = client.get("/review/")
    assert (blocked.status_code, blocked.headers["Location"]) == (302, "/account/two-factor")
    assert client.get("/account/two-factor").status_code == 200

    login(stakeholder)
    assert client.get("/account/profile").status_code == 200


def test_committee_member_with_two_factor_passes_the_rule(client, login, chair, reviewer):
    two_factor.set_committee_two_factor(True, actor=chair)
    enrolled(reviewer)
    db.session.commit()
    login(reviewer)

    response = client.get("/account/profile")

    assert response.status_code == 200


def test_chair_turns_off_a_members_two_factor_from_the_users_page(client, login, chair, reviewer):
    enrolled(reviewer)
    db.session.commit()
    login(chair)

    listed = client.get("/account/users").get_data(as_text=True)
    response = client.post(f"/account/users/{reviewer.id}/two-factor/disable")

    assert f'action="/account/users/{reviewer.id}/two-factor/disable"' in listed
    assert response.status_code == 303
    db.session.refresh(reviewer)
    assert (reviewer.has_two_factor, two_factor.unused_recovery_codes(reviewer)) == (False, 0)


def test_password_checks_of_the_two_factor_page_are_refused_then_throttled(client, login, stakeholder):
    enrolled(stakeholder)
    db.session.commit()
    login(stakeholder)

    statuses = [client.post("/account/two-factor/disable", data={"password": "wrong"}).status_code for _n in range(11)]

    assert statuses == [422] * 10 + [429]


def _stored_secret(user) -> str:
    return db.session.execute(sa.text("SELECT totp_secret FROM users WHERE id = :id"), {"id": user.id}).scalar_one()


def test_the_secret_is_stored_sealed_and_opens_with_the_configured_keys_only(app):
    user = make_user()
    enrolled(user)
    db.session.flush()

    stored = _stored_secret(user)

    assert SECRET not in stored and stored.startswith("gAAAAA")  # a Fernet token (version byte 0x80)
    assert sealing.unseal(stored) == SECRET
    app.config["DATA_KEYS"] = [Fernet.generate_key().decode()]
    with pytest.raises(sealing.InvalidToken):
        sealing.unseal(stored)


def test_a_new_key_put_first_opens_old_secrets_and_reseal_moves_them_to_it(app):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    app.config["DATA_KEYS"] = [old]
    user = make_user()
    enrolled(user)
    app.config["DATA_KEYS"] = [new, old]

    assert sealing.unseal(_stored_secret(user)) == SECRET
    assert two_factor.reseal_two_factor_secrets() == 1
    app.config["DATA_KEYS"] = [new]
    assert Fernet(new.encode()).decrypt(_stored_secret(user).encode()).decode() == SECRET
    assert two_factor.verify_second_factor(user, code(1)) is True


def test_a_secret_no_key_opens_refuses_codes_but_keeps_recovery_codes_working(app, caplog):
    user = make_user()
    codes = enrolled(user)
    app.config["DATA_KEYS"] = [Fernet.generate_key().decode()]

    assert two_factor.verify_second_factor(user, code(1)) is False
    assert f"The two-factor secret of user {user.id} cannot be unsealed" in caplog.text
    assert two_factor.verify_second_factor(user, codes[0]) is True


def test_without_data_keys_the_key_is_derived_from_the_secret_key(app):
    user = make_user()
    enrolled(user)

    derived = Fernet(sealing.derived_key(app.config["SECRET_KEY"]).encode())

    assert app.config["DATA_KEYS"] == []
    assert derived.decrypt(_stored_secret(user).encode()).decode() == SECRET
