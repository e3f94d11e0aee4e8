"""Benchmark of the outcomes report PDF: 500 submissions, 250 sessions (the 2018 OCP report's shape, ~600 pages).

Prints pages, seconds for a cold build (empty section cache), seconds after one submission changed, one plain
single-pass WeasyPrint render of the same HTML measured in the same run, their ratio, and peak memory.
Every build is timed from its public entry point: reading the data (outcomes_report_data) and rendering
(render_outcomes_pdf), as the background job does. Workers: REPORT_WORKERS or one per core.

    python benchmarks/bench_reports.py [--proposals 500] [--sessions 250] [--runs 3]
    python benchmarks/bench_reports.py --profile   # one cold build in this process under cProfile: top entries
    python benchmarks/bench_reports.py --proposals 5000 --sessions 1000 --as-job   # the job in its own process: its peak memory
"""
import argparse
import os
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> None:
    if sys.argv[1:2] == ["--job-process"]:
        run_job_process(sys.argv[2], int(sys.argv[3]), Path(sys.argv[4]))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--proposals", type=int, default=500)
    parser.add_argument("--sessions", type=int, default=250)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--skip-single-pass", action="store_true")
    parser.add_argument("--as-job", action="store_true",
                        help="one cold build as the background job does it (progress recorded), for peak memory at scale")
    parser.add_argument("--profile", action="store_true",
                        help="profile one cold build in this process (one worker) and print the top entries")
    args = parser.parse_args()

    from consult import create_app
    from consult.extensions import db
    from consult.reports import assembly, outcomes, pdf

    workdir = Path(tempfile.mkdtemp(prefix="consult-bench-reports-"))
    app = create_app("test", overrides={"SQLALCHEMY_DATABASE_URI": f"sqlite:///{workdir / 'bench.sqlite3'}",
                                        "TESTING": False, "DEBUG": False}, instance_path=str(workdir))
    with app.app_context():
        db.create_all()
        from tests import factories
        from tests.reports.factories import build_report_dataset

        started = time.perf_counter()
        consultation = factories.make_consultation(title="WSIS Forum Benchmark Consultation")
        made = build_report_dataset(consultation, proposals=args.proposals, sessions=args.sessions, rooms=10, days=5,
                                    full_texts=True)
        db.session.commit()
        print(f"data set: {args.proposals} submissions, {args.sessions} sessions, built in {time.perf_counter() - started:.1f} s")
        workers = assembly.worker_count(app.config.get("REPORT_WORKERS"))

        def build(cache_dir: Path):
            options = pdf.RenderOptions(cache_dir=str(cache_dir), workers=workers)
            begin = time.perf_counter()
            data = outcomes.outcomes_report_data(consultation)
            read = time.perf_counter() - begin
            document = outcomes.render_outcomes_pdf(data, options)
            return time.perf_counter() - begin, read, options.result, document

        if args.as_job:
            build_as_job(app, consultation, workdir, args)
            return
        if args.profile:
            profile_build(consultation, workdir)
            shutil.rmtree(workdir, ignore_errors=True)
            return
        # Warm-up: start the worker processes and load fonts, matplotlib and the templates once.
        build(workdir / "warm-up")
        cold, cold_reads, result = [], [], None
        for run in range(args.runs):
            cache = workdir / f"cold-{run}"
            seconds, read, result, document = build(cache)
            cold.append(seconds)
            cold_reads.append(read)
        (workdir / "outcomes.pdf").write_bytes(document)
        changed, changed_parts = [], []
        for run in range(args.runs):
            proposal = made["proposals"][(run * 97) % len(made["proposals"])]
            proposal.title = f"{proposal.title} (revised {run})"
            db.session.commit()
            seconds, _read, after, _document = build(workdir / f"cold-{args.runs - 1}")
            changed.append(seconds)
            changed_parts.append(after.parts_rendered)

        single = None
        if not args.skip_single_pass:
            from weasyprint import HTML

            from consult.reports.fetcher import PackageURLFetcher

            title = f"{consultation.title}: Outcomes and analysis"
            html = pdf.single_pass_html(outcomes.outcomes_parts(outcomes.outcomes_report_data(consultation), title))
            begin = time.perf_counter()
            single_document = HTML(string=html, url_fetcher=PackageURLFetcher()).render()
            single_pdf = single_document.write_pdf(pdf_tags=True)
            single = time.perf_counter() - begin
            single_pages = len(single_document.pages)
        assembly.shutdown_executors()

    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024

    def row(label, values):
        return f"| {label} | {statistics.median(values):.2f} | {min(values):.2f} | {max(values):.2f} |"

    print()
    print(f"outcomes report: {result.page_count} pages, {len(made['proposals'])} submissions, {len(made['sessions'])} sessions, "
          f"{workers} worker processes, {os.cpu_count()} cores")
    print("| build | median s | min s | max s |")
    print("| --- | --- | --- | --- |")
    print(row(f"cold (empty section cache), {args.runs} runs", cold))
    print(row("  of which reading the database", cold_reads))
    for stage in result.stages:
        print(f"|   of which {stage} (last cold run) | {result.stages[stage]:.2f} | | |")
    print(row(f"after one submission changed ({statistics.median(changed_parts):.0f} section re-rendered)", changed))
    for stage in after.stages:
        print(f"|   of which {stage} (last rebuild) | {after.stages[stage]:.2f} | | |")
    if single is not None:
        print(f"| one plain WeasyPrint pass over the same HTML ({single_pages} pages, tagged), 1 run | {single:.2f} | | |")
        print(f"consult's build: {describe(document)}, page numbers, running title and contents numbers")
        print(f"single pass: {describe(single_pdf)}, no page numbers or running title, contents without numbers")
        print(f"ratio cold / single pass: {statistics.median(cold) / single:.2f}; "
              f"after one change / single pass: {statistics.median(changed) / single:.3f}")
    print(f"peak memory: main process {own:.0f} MiB, largest worker process {children:.0f} MiB")
    print(
        f"command: python benchmarks/bench_reports.py --proposals {args.proposals} --sessions {args.sessions} --runs {args.runs}"
    )
    shutil.rmtree(workdir, ignore_errors=True)


def describe(document: bytes) -> str:
    """What a PDF holds: pages, whether it is tagged (a structure tree, marked), its bookmarks."""
    import io

    import pikepdf

    with pikepdf.open(io.BytesIO(document)) as pdf:
        tagged = "/StructTreeRoot" in pdf.Root and bool(pdf.Root.get("/MarkInfo", {}).get("/Marked", False))
        with pdf.open_outline() as outline:
            bookmarks = sum(1 for _item in _walk(outline.root))
        return f"{len(pdf.pages)} pages, {'tagged' if tagged else 'untagged'}, {bookmarks} bookmarks"


def _walk(items):
    for item in items:
        yield item
        yield from _walk(item.children)


def build_as_job(app, consultation, workdir: Path, args) -> None:
    """One cold outcomes build through the queue job's entry point, in a process of its own; prints its peak RSS.

    The data set is made in this process; the job runs in a fresh child process against the same database, as a
    queue worker would, so that the peak memory printed is the job's own (its process and its layout workers).
    """
    import json
    import subprocess

    from consult.extensions import db
    from consult.reports.models import JobState, ReportJob, ReportKind

    job = ReportJob(consultation_id=consultation.id, kind=ReportKind.OUTCOMES, state=JobState.QUEUED, progress=0,
                    attempts=1, message="")
    db.session.add(job)
    db.session.commit()
    job_id, database = job.id, app.config["SQLALCHEMY_DATABASE_URI"]
    db.session.remove()
    db.engine.dispose()
    answer = subprocess.run([sys.executable, __file__, "--job-process", database, str(job_id), str(workdir)],
                            capture_output=True, text=True)
    if answer.returncode:
        sys.exit(f"the job process failed:\n{answer.stderr}")
    measured = json.loads(answer.stdout.strip().splitlines()[-1])
    whole = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"outcomes report as a job: {measured['state']}, {measured['pages']} pages, {args.proposals} submissions, "
          f"{args.sessions} sessions, {measured['seconds']:.1f} s, {measured['progress_writes']} progress writes "
          f"({measured['message']})")
    print(f"peak memory of the job: its process {measured['own_mib']:.0f} MiB, largest layout worker "
          f"{measured['workers_mib']:.0f} MiB (largest process of the job seen from outside: {whole:.0f} MiB); "
          f"the data set was made in another process ({resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB)")
    print(f"command: python benchmarks/bench_reports.py --proposals {args.proposals} --sessions {args.sessions} --as-job")
    shutil.rmtree(workdir, ignore_errors=True)


def run_job_process(database: str, job_id: int, workdir: Path) -> None:
    """The child of --as-job: build the report job as a queue worker would and print its figures as JSON."""
    import json

    from consult import create_app
    from consult.extensions import db
    from consult.reports import assembly, building, services
    from consult.reports.models import ReportJob

    app = create_app("test", overrides={"SQLALCHEMY_DATABASE_URI": database, "TESTING": False, "DEBUG": False,
                                        "REPORT_CACHE_DIR": str(workdir / "job-cache")}, instance_path=str(workdir))
    steps = []
    original = services.update_job_progress

    def recording(session, job_id, attempt, *, done, total):
        steps.append((done, total))
        original(session, job_id, attempt, done=done, total=total)

    services.update_job_progress = recording
    with app.app_context():
        begin = time.perf_counter()
        building.build_report(job_id, 1)
        db.session.commit()
        seconds = time.perf_counter() - begin
        assembly.shutdown_executors()
        job = db.session.get(ReportJob, job_id)
        print(json.dumps({"state": job.state.value, "pages": job.page_count, "seconds": seconds,
                          "progress_writes": len(steps), "message": job.message,
                          "own_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                          "workers_mib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))


def profile_build(consultation, workdir: Path) -> None:
    """One cold build in this process under cProfile; prints the 25 entries with the most own time and cumulative time."""
    import cProfile
    import pstats

    from consult.reports import outcomes, pdf

    options = pdf.RenderOptions(cache_dir=str(workdir / "profile"), workers=1)
    profiler = cProfile.Profile()
    begin = time.perf_counter()
    profiler.enable()
    outcomes.render_outcomes_pdf(outcomes.outcomes_report_data(consultation), options)
    profiler.disable()
    print(f"profiled build: {options.result.page_count} pages in {time.perf_counter() - begin:.1f} s (one process)")
    stats = pstats.Stats(profiler).strip_dirs()
    stats.sort_stats("tottime").print_stats(25)
    stats.sort_stats("cumulative").print_stats(30)


if __name__ == "__main__":
    main()
