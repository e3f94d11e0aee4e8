"""run.py on a database that holds another phase's demo says so and offers --reset."""
import importlib.util
from pathlib import Path

from consult.demo import seed_demo
from consult.extensions import db


def _run_module():
    spec = importlib.util.spec_from_file_location("run", Path(__file__).resolve().parents[1] / "run.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_another_phase_is_named_with_the_reset_command(app, capsys):
    seed_demo("call_open")
    db.session.commit()

    _run_module().warn_other_phase("review")

    printed = capsys.readouterr().out
    assert "this database holds the demo in the phase 'call_open', not 'review'" in printed
    assert "python run.py --demo --demo-phase review --reset" in printed


def test_the_same_phase_says_nothing(app, capsys):
    seed_demo("call_open")
    db.session.commit()

    _run_module().warn_other_phase("call_open")

    assert capsys.readouterr().out == ""
