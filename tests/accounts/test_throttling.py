"""Sign-in throttling: refused attempts count, successful ones do not; the client address comes from the proxy;
several workers with in-memory counts are warned about."""
import logging

import pytest

from consult import create_app
from consult.deployment import gunicorn_worker_count, warn_about_shared_state
from consult.extensions import db
from tests.factories import PASSWORD


def _sign_in(client, email, password, address="127.0.0.1", forwarded_for=None):
    headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else {}
    response = client.post("/account/login", data={"email": email, "password": password}, headers=headers,
                           environ_base={"REMOTE_ADDR": address})
    client.post("/account/logout")
    return response.status_code


def test_successful_sign_ins_do_not_use_up_the_limit(client, stakeholder):
    statuses = [_sign_in(client, stakeholder.email, PASSWORD) for _attempt in range(12)]

    assert statuses == [302] * 12


def test_failed_sign_ins_still_count_after_successful_ones(client, stakeholder):
    good = [_sign_in(client, stakeholder.email, PASSWORD) for _attempt in range(5)]
    bad = [_sign_in(client, stakeholder.email, "wrong") for _attempt in range(10)]

    assert good == [302] * 5
    assert bad == [422] * 10
    assert _sign_in(client, stakeholder.email, PASSWORD) == 429


@pytest.mark.committing
def test_behind_one_proxy_each_client_address_has_its_own_limit(app, database_url, stakeholder):
    email = stakeholder.email
    proxied = create_app("test", overrides={"SQLALCHEMY_DATABASE_URI": database_url, "TRUSTED_PROXY_COUNT": 1})
    proxied_client = proxied.test_client()
    with proxied.app_context():
        attacker = [_sign_in(proxied_client, email, "wrong", "10.0.0.2", "203.0.113.5") for _ in range(11)]
        other = _sign_in(proxied_client, email, PASSWORD, "10.0.0.2", "198.51.100.7")
        db.session.remove()
        db.engine.dispose()

    assert attacker == [422] * 10 + [429]
    assert other == 302


def test_without_trusted_proxy_forwarded_header_is_ignored(client, stakeholder):
    attacker = [_sign_in(client, stakeholder.email, "wrong", "10.0.0.2", "203.0.113.5") for _ in range(10)]
    spoofing = _sign_in(client, stakeholder.email, PASSWORD, "10.0.0.2", "198.51.100.7")

    assert attacker == [422] * 10
    assert spoofing == 429


def test_gunicorn_worker_count_reads_arguments_and_environment():
    assert gunicorn_worker_count(["/usr/bin/gunicorn", "-w", "4", "consult:create_app()"], {}) == 4
    assert gunicorn_worker_count(["gunicorn", "--workers=3", "app"], {}) == 3
    assert gunicorn_worker_count(["gunicorn", "-w2", "app"], {}) == 2
    assert gunicorn_worker_count(["gunicorn", "app"], {"WEB_CONCURRENCY": "5"}) == 5
    assert gunicorn_worker_count(["gunicorn", "app"], {"GUNICORN_CMD_ARGS": "--workers 6 --bind :8000"}) == 6
    assert gunicorn_worker_count(["python", "run.py", "-w", "4"], {}) == 1


def test_several_workers_with_memory_storage_log_a_warning(app, caplog):
    app.config["RATELIMIT_STORAGE_URI"] = "memory://"
    with caplog.at_level(logging.WARNING, logger="consult"):
        warn_about_shared_state(app, workers=4)
        warned = caplog.text
        caplog.clear()
        warn_about_shared_state(app, workers=1)
        app.config["RATELIMIT_STORAGE_URI"] = "redis://127.0.0.1:6379"
        warn_about_shared_state(app, workers=4)

    assert "4 web workers with RATELIMIT_STORAGE_URI=memory://" in warned
    assert "Point RATELIMIT_STORAGE_URI at Redis." in warned
    assert caplog.text == ""
