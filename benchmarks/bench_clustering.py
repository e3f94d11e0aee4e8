"""Clustering time and quality at 500, 5,000 and 50,000 proposals with known topics.

Proposals are generated from topic vocabularies mixed with a large shared filler, with noisy action lines, so
that the topics are not trivially separable. For each size: the time of `suggest_clusters` (the service the
workspace calls: load, text model, groups of related proposals, titles and reasons, storing), median/min/max
of 3 runs after one warm-up (one run from 20,000 proposals up); the peak memory of the process; the adjusted
Rand index against the known topics with k chosen automatically and with k given; and the bare library time
(TfidfVectorizer + MiniBatchKMeans with the true k on the same texts) for the ratio; the time of each stage of
the last suggest_clusters (load, text model, groups, names and reasons, storing); and the similar-proposals
box: its first call (which fits the model), later calls as a worker answers them (the proposals checked for
changes every TEXT_MODEL_RECHECK_SECONDS) and later calls that check on every call.

    python benchmarks/bench_clustering.py            # 500 and 5,000
    python benchmarks/bench_clustering.py --sizes 50000
"""
import argparse
import os
import random
import resource
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

SYLLABLES = ["ka", "lo", "mi", "ren", "tor", "vak", "sel", "pim", "dor", "lu", "fen", "gar", "nes", "bor", "tis",
             "qua", "zen", "mar", "pol", "ric", "sun", "tav", "wel", "yor"]
FILLER = ("digital inclusion access development stakeholders policy framework community capacity information "
          "society knowledge sustainable goals countries partnership cooperation innovation technology services "
          "governance local global regional national strategy implementation experience practice session forum "
          "participants dialogue challenges opportunities solutions public private sector civil academia data "
          "ICT internet mobile networks platforms users citizens people support programme initiative project "
          "impact results lessons learned inclusive open trust resilience skills training education research").split()
ACTION_LINES = ["C1", "C2", "C3", "C4", "C5", "C6", "C7-EGOV", "C7-EHEALTH", "C7-ELEARN", "C7-EAGRI", "C8", "C9",
                "C10", "C11"]


def pseudo_word(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3)))


def make_topics(count: int, rng: random.Random) -> list[dict]:
    """Topic vocabularies of 14 words; each topic borrows 4 words of another topic so that they overlap."""
    vocabularies = [[pseudo_word(rng) for _ in range(10)] for _ in range(count)]
    topics = []
    for index, words in enumerate(vocabularies):
        borrowed = rng.sample(vocabularies[(index + 1) % count], 6)
        topics.append({"words": words + borrowed, "line": ACTION_LINES[index % len(ACTION_LINES)],
                       "sdg": index % 17 + 1})
    return topics


def words(topic: dict, count: int, share: float, rng: random.Random) -> str:
    return " ".join(rng.choice(topic["words"]) if rng.random() < share else rng.choice(FILLER) for _ in range(count))


def generate(size: int, topic_count: int, seed: int = 7):
    """(fields of each proposal, topic index of each)."""
    rng = random.Random(seed)
    topics = make_topics(topic_count, rng)
    rows, truth = [], []
    for number in range(size):
        index = number % topic_count
        topic = topics[index]
        line = topic["line"] if rng.random() < 0.7 else rng.choice(ACTION_LINES)
        rows.append({"title": words(topic, 6, 0.4, rng).capitalize(), "summary": words(topic, 40, 0.12, rng),
                     "description": words(topic, 150, 0.08, rng), "line": line, "sdg": topic["sdg"]})
        truth.append(index)
    return rows, truth


def build_database(app, rows):
    from consult.accounts.models import Role
    from consult.consultations.models import PhaseKind
    from consult.extensions import db
    from consult.proposals.models import Proposal, ProposalActionLine, ProposalKind, ProposalSdg, ProposalStatus
    from tests.factories import make_consultation, make_user

    consultation = make_consultation(current=PhaseKind.AGENDA_DRAFTING)
    chair = make_user(role=Role.CHAIR)
    proposals = []
    for number, row in enumerate(rows, start=1):
        proposal = Proposal(consultation_id=consultation.id, kind=ProposalKind.THEMATIC, status=ProposalStatus.SUBMITTED,
                            number=number, title=row["title"][:200], summary=row["summary"], description=row["description"],
                            organization=f"Organization {number % 300}", submitter_email=f"s{number % 300}@example.org")
        proposal.action_lines = [ProposalActionLine(code=row["line"])]
        proposal.sdgs = [ProposalSdg(sdg=row["sdg"])]
        proposals.append(proposal)
    db.session.add_all(proposals)
    db.session.commit()
    return consultation.id, chair.id, [proposal.id for proposal in proposals]


STAGES = (("load", "consult.clustering.suggestions", "scope_texts"),
          ("text model", "consult.clustering.suggestions", "build_feature_matrix"),
          ("groups", "consult.textmodel.themes", "group_rows"),
          ("names and reasons", "consult.textmodel.themes", "describe_group"))


def staged(run):
    """(run's result, seconds spent in each stage of it: see STAGES)."""
    import importlib

    spent = {name: 0.0 for name, _module, _function in STAGES}
    originals = []
    for name, module_name, function_name in STAGES:
        module = importlib.import_module(module_name)
        original = getattr(module, function_name)
        originals.append((module, function_name, original))

        def timed(*args, _original=original, _name=name, **kwargs):
            started = time.perf_counter()
            try:
                return _original(*args, **kwargs)
            finally:
                spent[_name] += time.perf_counter() - started

        setattr(module, function_name, timed)
    try:
        result = run()
    finally:
        for module, function_name, original in originals:
            setattr(module, function_name, original)
    return result, spent


def measure(size: int, topic_count: int) -> dict:
    from sklearn.cluster import MiniBatchKMeans
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics import adjusted_rand_score

    from consult import create_app
    from consult.accounts.models import User
    from consult.clustering.suggestions import compute_suggestions, scope_proposals, suggest_clusters
    from consult.consultations.models import Consultation, PhaseKind
    from consult.extensions import db

    rows, truth = generate(size, topic_count)
    path = Path(tempfile.mkdtemp()) / "bench.sqlite3"
    app = create_app("test", overrides={"SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}", "DEBUG": False})
    with app.app_context():
        db.create_all()
        consultation_id, chair_id, ids = build_database(app, rows)
        truth_by_id = dict(zip(ids, truth, strict=True))
        consultation = db.session.get(Consultation, consultation_id)
        chair = db.session.get(User, chair_id)
        when = consultation.phase(PhaseKind.AGENDA_DRAFTING).opens_at + timedelta(days=1)

        def run_service():
            started = time.perf_counter()
            stored = suggest_clusters(consultation, actor=chair, scope="submitted", now=when)
            elapsed = time.perf_counter() - started
            db.session.rollback()
            return elapsed, len(stored)

        repeats = 3 if size < 20000 else 1
        if repeats > 1:
            run_service()
        timings, found = [], 0
        for _ in range(repeats):
            (elapsed, found), stages = staged(run_service)
            timings.append(elapsed)
        # The last run's stages; what they leave of its time is storing the suggestions and the audit entry.
        stages["storing and the rest"] = elapsed - sum(stages.values())

        proposals = scope_proposals(consultation_id, "submitted")
        order = [truth_by_id[p.id] for p in proposals]
        auto = compute_suggestions(proposals)
        given = compute_suggestions(proposals, k=topic_count)
        ari_auto = adjusted_rand_score(order, [auto.labels[p.id] for p in proposals])
        ari_given = adjusted_rand_score(order, [given.labels[p.id] for p in proposals])

        # The similar-proposals box while a stakeholder drafts: the first call fits the consultation's model, later
        # calls (every other draft, until a proposal changes) reuse it and only score the new text.
        from consult.proposals.similarity import find_similar_proposals

        started = time.perf_counter()
        find_similar_proposals(consultation_id, rows[0]["summary"])
        similar_cold = time.perf_counter() - started
        # Later calls as a worker answers them (checking for changed proposals every
        # TEXT_MODEL_RECHECK_SECONDS, as configured outside the tests), then checking on every call.
        from consult.config import Config

        warm = {}
        for recheck in (Config.TEXT_MODEL_RECHECK_SECONDS, 0.0):
            app.config["TEXT_MODEL_RECHECK_SECONDS"] = recheck
            warm[recheck] = []
            for row in rows[1:21]:
                started = time.perf_counter()
                find_similar_proposals(consultation_id, f"{row['title']} {row['summary']}")
                warm[recheck].append(time.perf_counter() - started)
        similar_warm, similar_checked = warm[Config.TEXT_MODEL_RECHECK_SECONDS], warm[0.0]

        texts = [f"{r['title']} {r['summary']} {r['description']}" for r in rows]
        bare_times = []
        for _ in range(4):
            started = time.perf_counter()
            matrix = TfidfVectorizer(sublinear_tf=True).fit_transform(texts)
            labels = MiniBatchKMeans(n_clusters=topic_count, random_state=0, n_init=3).fit_predict(matrix)
            bare_times.append(time.perf_counter() - started)
        bare_times = bare_times[1:]
        ari_bare = adjusted_rand_score(truth, labels)
        db.session.remove()
        db.engine.dispose()
    os.unlink(path)
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"stages": stages, "size": size, "topics": topic_count, "median": statistics.median(timings), "min": min(timings),
            "max": max(timings), "k": auto.k, "found": found, "ari_auto": ari_auto, "ari_given": ari_given,
            "bare": statistics.median(bare_times), "ari_bare": ari_bare, "peak_mib": peak_mib,
            "similar_cold": similar_cold, "similar_warm": statistics.median(similar_warm),
            "similar_checked": statistics.median(similar_checked)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 5000])
    args = parser.parse_args()
    topic_counts = {500: 20, 5000: 60, 50000: 200}
    results = [measure(size, topic_counts.get(size, max(3, size // 80))) for size in args.sizes]
    print(f"command: python benchmarks/bench_clustering.py --sizes {' '.join(map(str, args.sizes))}")
    print("| proposals | topics | suggest_clusters median (min-max) s | k chosen | ARI (k chosen) | ARI (k given) "
          "| bare TF-IDF+MiniBatchKMeans s | bare ARI | ratio | peak RSS MiB | similar: first call s | similar: later ms "
          "| similar: later ms, checked every call |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for r in results:
        print(f"| {r['size']:,} | {r['topics']} | {r['median']:.2f} ({r['min']:.2f}-{r['max']:.2f}) | {r['k']} "
              f"| {r['ari_auto']:.3f} | {r['ari_given']:.3f} | {r['bare']:.2f} | {r['ari_bare']:.3f} "
              f"| {r['median'] / r['bare']:.1f} | {r['peak_mib']:.0f} | {r['similar_cold']:.2f} "
              f"| {1000 * r['similar_warm']:.0f} | {1000 * r['similar_checked']:.0f} |")
    for r in results:
        print(f"{r['size']:,} proposals, the last suggest_clusters by stage: "
              + ", ".join(f"{name} {seconds:.2f} s" for name, seconds in r["stages"].items()))


if __name__ == "__main__":
    main()
