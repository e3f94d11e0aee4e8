"""Command-line commands and run.py: the first chair, the demo seed, the development server's start."""
import sys

import pytest
import sqlalchemy as sa

import run
from consult import create_app
from consult.accounts.models import Role, User
from consult.audit.models import AuditEntry
from consult.consultations.models import Consultation, PhaseKind
from consult.demo import DEMO_PASSWORD
from consult.demo.foundation import DEMO_ACCOUNTS
from consult.extensions import db


def test_create_user_makes_first_chair(runner):
    result = runner.invoke(args=["create-user", "--role", "chair", "--email", "Chair@Example.org", "--name", "Amina Diallo",
                                 "--organization", "WSIS Secretariat", "--country", "ch", "--password", "a long enough pass"])

    assert result.exit_code == 0, result.output
    assert result.output == "Created chair chair@example.org.\n"
    user = db.session.execute(sa.select(User)).scalar_one()
    assert (user.role, user.country, user.region, user.check_password("a long enough pass")) == (Role.CHAIR, "CH", "europe", True)
    entry = db.session.execute(sa.select(AuditEntry)).scalar_one()
    assert (entry.action, entry.actor_id, entry.object_id) == ("user.register", user.id, user.id)


def test_create_user_reads_password_from_environment(runner):
    result = runner.invoke(args=["create-user", "--email", "a@example.org", "--name", "A", "--organization", "O"],
                           env={"CONSULT_NEW_PASSWORD": "from the environment"})

    assert result.exit_code == 0, result.output
    user = db.session.execute(sa.select(User)).scalar_one()
    assert (user.role, user.check_password("from the environment")) == (Role.STAKEHOLDER, True)


@pytest.mark.parametrize(("extra", "message"), [
    (["--password", "short"], "Error: The password needs at least 10 characters."),
    (["--password", "a long enough pass", "--country", "ZZ"], "Error: Choose a country from the list."),
    (["--password", "a long enough pass", "--stakeholder-type", "pirate"], "Error: 'pirate' is not a valid StakeholderType"),
])
def test_create_user_bad_input_fails_cleanly(runner, extra, message):
    result = runner.invoke(args=["create-user", "--email", "a@example.org", "--name", "A", "--organization", "O", *extra])

    assert result.exit_code == 1
    assert result.output.strip() == message
    assert db.session.execute(sa.select(sa.func.count()).select_from(User)).scalar_one() == 0


def test_create_user_duplicate_email_fails(runner, stakeholder):
    result = runner.invoke(args=["create-user", "--email", stakeholder.email.upper(), "--name", "A", "--organization", "O",
                                 "--password", "a long enough pass"])

    assert result.exit_code == 1
    assert "An account with this e-mail address exists already" in result.output


def test_seed_demo_command_seeds_once(runner):
    first = runner.invoke(args=["seed-demo"])
    second = runner.invoke(args=["seed-demo"])

    assert first.output == "Demo data created.\n"
    assert second.output == "The database has data already; nothing seeded.\n"
    consultation = db.session.execute(sa.select(Consultation)).scalar_one()
    assert [phase.kind for phase in consultation.phases] == list(PhaseKind)
    emails = set(db.session.execute(sa.select(User.email)).scalars())
    assert emails >= {account[0] for account in DEMO_ACCOUNTS}


@pytest.fixture
def run_main(monkeypatch, tmp_path):
    """Call run.main() with these arguments on a fresh SQLite file; the server itself is not started."""
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'run.sqlite3'}")
    monkeypatch.setenv("SECRET_KEY", "run-test")
    served = {}
    monkeypatch.setattr(run, "create_app", lambda: create_app("development", instance_path=str(tmp_path)))
    monkeypatch.setattr("flask.Flask.run", lambda self, **kwargs: served.update(kwargs, app=self))

    def call(*args):
        monkeypatch.setattr(sys, "argv", ["run.py", *args])
        run.main()
        return served

    yield call
    if "app" in served:
        with served["app"].app_context():
            db.engine.dispose()


def test_run_demo_migrates_seeds_prints_logins_and_serves(run_main, capsys):
    served = run_main("--demo", "--port", "5077", "--host", "127.0.0.2")

    output = capsys.readouterr().out
    assert "Demo data created." in output
    assert f"Demo accounts (password for all: {DEMO_PASSWORD}):" in output
    for email, name, *_rest, role in DEMO_ACCOUNTS:
        assert f"  {role.value:12} {email:36} {name}" in output
    assert output.endswith("consult is running at http://127.0.0.2:5077/\n")
    assert (served["host"], served["port"], served["debug"]) == ("127.0.0.2", 5077, False)
    response = served["app"].test_client().get("/")
    assert response.status_code == 200
    assert 'data-testid="current-phase">Public comment on the draft agenda<' in response.get_data(as_text=True)


def test_run_demo_twice_seeds_once(run_main, capsys):
    run_main("--demo")
    capsys.readouterr()

    run_main("--demo", "--demo-phase", "call_open")

    assert "Demo data already present." in capsys.readouterr().out


def test_run_without_demo_explains_first_chair(run_main, capsys):
    served = run_main()

    output = capsys.readouterr().out
    assert output == ("The database is empty. Create the first chair with:\n"
                      "  flask --app consult create-user --role chair\n"
                      "or start with demo data: python run.py --demo\n"
                      "consult is running at http://127.0.0.1:5000/\n")
    assert (served["host"], served["port"]) == ("127.0.0.1", 5000)
