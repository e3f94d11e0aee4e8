"""The app as gunicorn serves it in the load benchmarks, plus a hello-world route for the throughput ratio.

`gunicorn 'benchmarks.wsgi_bench:app'`: the same create_app() as production, with one extra route
`/_bench/hello` that does no database or template work, so that its throughput is the ceiling of this set-up.
Login throttling is off because every simulated stakeholder comes from 127.0.0.1 (CONSULT_BENCH_RATE_LIMIT=1 keeps it).
"""
import os

from consult import create_app

overrides = {} if os.environ.get("CONSULT_BENCH_RATE_LIMIT") else {"RATELIMIT_ENABLED": False}
app = create_app(overrides=overrides)


@app.route("/_bench/hello")
def bench_hello():
    """The smallest answer this gunicorn set-up can give."""
    return "hello"
