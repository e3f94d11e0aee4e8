"""Long work outside the request: one API to enqueue it, run on RQ (Redis) or in the process.

`enqueue("consult.reports.building.build_report", job_id)` names a job function by its dotted path; the job is
handed over only once the current transaction commits (a rolled-back request starts nothing), and runs in its
own app context that commits once (consult.jobs.runner). JOBS_BACKEND chooses where:
- "rq": the RQ queue at REDIS_URL, run by `flask --app consult jobs-worker` on any host (the default when REDIS_URL
  is set);
- "thread": a thread of the web process (the default of the embedded setup: one process, SQLite);
- "inline": at once, in the committing thread (tests, scripts).
Jobs must be safe to run twice (a retry after a dead worker, a second worker): each claims its row first.
A job the page follows has a row of its own (a report build's, or a WorkJob for the areas' long work: cluster
suggestions, the scheduler, reviewer assignment); consult.jobs.tracking claims, advances, finishes and retries both
kinds the same way, and consult.jobs.work runs an area's job body with progress and keeps its outcome or failure.
"""
from consult.jobs.queue import enqueue, init_app, queue_name

__all__ = ["enqueue", "init_app", "queue_name"]
