"""Development entry point: apply migrations, optionally seed the demo, serve on 127.0.0.1."""
import argparse

from flask_migrate import upgrade

from consult import create_app
from consult.consultations.models import PhaseKind
from consult.demo import DEMO_PASSWORD
from consult.demo.foundation import DEMO_ACCOUNTS


def warn_other_phase(asked: str) -> None:
    """Say so when the database holds the demo in another phase than the one asked for."""
    from consult.consultations.queries import current_phase, get_current_consultation

    consultation = get_current_consultation()
    phase = current_phase(consultation) if consultation is not None else None
    held = phase.kind.value if phase is not None else "between phases"
    if held != asked:
        print(f"Note: this database holds the demo in the phase {held!r}, not {asked!r}: the demo is seeded once.")
        print(f"To see the phase {asked!r}, start again with: python run.py --demo --demo-phase {asked} --reset")
        print("(--reset deletes every row of this database and seeds the demo again).")


def main() -> None:
    parser = argparse.ArgumentParser(description="Run consult locally.")
    parser.add_argument("--demo", action="store_true", help="seed the demo consultation if the database is empty")
    parser.add_argument("--demo-phase", choices=[kind.value for kind in PhaseKind], default=PhaseKind.PUBLIC_COMMENT.value,
                        help="the phase the demo consultation is in today (default: public_comment)")
    parser.add_argument("--reset", action="store_true",
                        help="with --demo: empty the database first and seed the demo again (deletes every row)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5000)
    parser.add_argument("--debug", action="store_true", help="Flask debugger and reloader (never in production)")
    args = parser.parse_args()

    app = create_app()
    with app.app_context():
        upgrade()
        if args.demo:
            from consult.demo import seed_demo
            from consult.extensions import db

            if args.reset:
                from flask_migrate import downgrade

                db.session.remove()
                downgrade(revision="base")
                upgrade()
                print("The database was emptied.")
            created = seed_demo(args.demo_phase)
            db.session.commit()
            print("Demo data created." if created else "Demo data already present.")
            if not created:
                warn_other_phase(args.demo_phase)
            print("Demo accounts (password for all: %s):" % DEMO_PASSWORD)
            for email, name, _org, _type, _country, role in DEMO_ACCOUNTS:
                print(f"  {role.value:12} {email:36} {name}")
        else:
            from consult.consultations.queries import get_current_consultation

            if get_current_consultation() is None:
                print("The database is empty. Create the first chair with:")
                print("  flask --app consult create-user --role chair")
                print("or start with demo data: python run.py --demo")
    print(f"consult is running at http://{args.host}:{args.port}/")
    app.run(host=args.host, port=args.port, debug=args.debug, use_reloader=args.debug)


if __name__ == "__main__":
    main()
