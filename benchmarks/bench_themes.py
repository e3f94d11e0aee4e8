"""Themes from text on real sessions: do the suggested clusters match the themes the organisers gave them?

Reads a TSV of real sessions (columns source_event, title, description, label, organizer; see
shared/data/README.md), and for each grouping of its rows (one event family or year at a time, and all mixed):
writes them to a CSV without action lines and imports it through the public import (so they arrive "to
classify" with suggested labels), runs `flask --app consult cluster --scope submitted` (the command line entry
point of the suggestions, k chosen automatically, then with k given), and prints NMI and ARI against the
organisers' labels beside a plain TF-IDF + k-means baseline computed in the same run (mean of 10 seeds, k = the
true number of themes), and beside "every proposal alone" (the NMI a run of singletons gets for free). Then
the top-1 and top-3 accuracy of the suggested action line on the WSIS rows (labelled C1...C11). AMI (adjusted
mutual information) is printed beside NMI: NMI rises with the number of clusters alone (see "every proposal
alone"), AMI does not, so a gain in NMI that AMI does not share is a gain in cluster count, not in themes.
Last, the same on --resamples random subsets of the file (half to 85% of its rows, fixed seeds), so that a
choice that only suits this one file shows.

    python benchmarks/bench_themes.py --data ../shared/data/real_sessions_dev.tsv
"""
import argparse
import csv
import io
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

SEEDS = 10
SUB_LINES = {"E-government": "C7-EGOV", "E-business": "C7-EBUS", "E-learning": "C7-ELEARN", "E-health": "C7-EHEALTH",
             "E-employment": "C7-EEMPLOY", "E-environment": "C7-EENV", "E-agriculture": "C7-EAGRI",
             "E-science": "C7-ESCI"}


def read_sessions(path: str) -> list[dict]:
    """The rows of the TSV, each with its theme: the label as given; for WSIS rows the first action line listed."""
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    for row in rows:
        row["is_wsis"] = row["source_event"].startswith("WSIS")
        row["codes"] = [action_line_code(part) for part in row["label"].split(";")] if row["is_wsis"] else []
        row["theme"] = row["codes"][0] if row["is_wsis"] else row["label"].strip()
    return rows


def action_line_code(label: str) -> str:
    """'C7 E-environment' -> 'C7-EENV', 'C5' -> 'C5'."""
    label = label.strip()
    for name, code in SUB_LINES.items():
        if label.endswith(name):
            return code
    return label


def groupings(rows: list[dict]) -> dict[str, list[dict]]:
    """The groupings measured: each event family, each IGF year with at least 10 rows, and everything mixed."""
    result = {"WSIS Forum (all years)": [row for row in rows if row["is_wsis"]],
              "IGF (all years)": [row for row in rows if not row["is_wsis"]]}
    years: dict[str, list[dict]] = {}
    for row in rows:
        if not row["is_wsis"]:
            years.setdefault(f"IGF {row['year']}", []).append(row)
    result.update({name: members for name, members in sorted(years.items()) if len(members) >= 10})
    result["mixed (all rows)"] = rows
    return result


def import_file(rows: list[dict]) -> bytes:
    """A CSV for the public import: no action line column; the summary is the description, else the title."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["title", "summary", "kind", "organization", "source"])
    for row in rows:
        writer.writerow([row["title"][:200], row["description"] or row["title"], "thematic",
                         row["organizer"][:200], row["source_event"][:200]])
    return out.getvalue().encode("utf-8")


def run_public_path(rows: list[dict], *, k: int | None = None) -> tuple[list[int], list[dict | None]]:
    """Import the rows into a fresh consultation, cluster them with the CLI; (cluster of each row, its suggestions)."""
    import sqlalchemy as sa

    from consult import create_app
    from consult.consultations.models import PhaseKind
    from consult.extensions import db
    from consult.proposals.importing import import_proposals
    from consult.proposals.models import Proposal
    from tests.factories import make_consultation

    folder = Path(tempfile.mkdtemp())
    app = create_app("test", overrides={"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'themes.sqlite3'}",
                                        "DEBUG": False})
    with app.app_context():
        db.create_all()
        consultation = make_consultation(current=PhaseKind.AGENDA_DRAFTING)
        result = import_proposals(consultation, filename="sessions.csv", data=import_file(rows), source="bench")
        if not result.is_valid:
            raise SystemExit(f"import refused: {[(error.line, error.message) for error in result.errors][:5]}")
        db.session.commit()
        proposals = db.session.execute(sa.select(Proposal.id, Proposal.suggested_labels)
                                       .order_by(Proposal.number)).all()
        export = folder / "clusters.csv"
        arguments = ["cluster", "--scope", "submitted", "--export", str(export)] + (["--k", str(k)] if k else [])
        outcome = app.test_cli_runner().invoke(args=arguments)
        if outcome.exit_code != 0:
            raise SystemExit(outcome.output)
        with open(export, encoding="utf-8", newline="") as handle:
            cluster_of = {int(line["proposal_id"]): int(line["cluster_id"]) for line in csv.DictReader(handle)}
        db.session.remove()
        db.engine.dispose()
    return [cluster_of[proposal_id] for proposal_id, _labels in proposals], [labels for _id, labels in proposals]


def baseline(rows: list[dict]) -> tuple[float, float]:
    """Plain TF-IDF (English stop words, sublinear tf) + k-means with the true k: mean NMI and ARI of 10 seeds."""
    from sklearn.cluster import KMeans
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    texts = [f"{row['title']}\n{row['description']}" for row in rows]
    truth = [row["theme"] for row in rows]
    matrix = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform(texts)
    k = len(set(truth))
    runs = [KMeans(n_clusters=k, n_init=1, random_state=seed).fit_predict(matrix) for seed in range(SEEDS)]
    return (statistics.mean(normalized_mutual_info_score(truth, labels) for labels in runs),
            statistics.mean(adjusted_rand_score(truth, labels) for labels in runs))


def action_line_accuracy(rows: list[dict], suggestions: list[dict | None]) -> tuple[int, int, int]:
    """(rows, top-1 hits, top-3 hits) on the WSIS rows; a suggested C7 sub-line also matches a plain 'C7' label."""
    total = top1 = top3 = 0
    for row, labels in zip(rows, suggestions, strict=True):
        if not row["is_wsis"]:
            continue
        total += 1
        codes = [code for code, _score in (labels or {}).get("action_lines", [])]
        hits = [code in row["codes"] or (code.startswith("C7-") and "C7" in row["codes"]) for code in codes]
        top1 += bool(hits[:1] and hits[0])
        top3 += any(hits[:3])
    return total, top1, top3


def resamples(rows: list[dict], count: int) -> list[list[dict]]:
    """count random subsets of the rows (alternately half and 85% of them), with fixed seeds."""
    import random

    rng = random.Random(7)
    return [sorted(rng.sample(rows, int((0.5 if number % 2 else 0.85) * len(rows))), key=rows.index)
            for number in range(count)]


def main() -> None:
    from sklearn.metrics import adjusted_mutual_info_score, adjusted_rand_score, normalized_mutual_info_score

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default="../shared/data/real_sessions_dev.tsv", help="TSV of real sessions")
    parser.add_argument("--resamples", type=int, default=6, help="random subsets of the file also measured")
    args = parser.parse_args()
    rows = read_sessions(args.data)
    print(f"command: python benchmarks/bench_themes.py --data {args.data} --resamples {args.resamples}")
    print("| grouping | rows | themes | baseline NMI | baseline ARI | consult k | consult NMI | consult ARI "
          "| consult AMI | NMI with k given | ARI with k given | every proposal alone NMI |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    scores = []
    suggestions_of_all = None
    for name, members in groupings(rows).items():
        truth = [row["theme"] for row in members]
        k_true = len(set(truth))
        base_nmi, base_ari = baseline(members)
        clusters, suggestions = run_public_path(members)
        given, _ = run_public_path(members, k=k_true)
        if members is rows:
            suggestions_of_all = suggestions
        nmi = normalized_mutual_info_score(truth, clusters)
        scores.append((base_nmi, nmi))
        alone = normalized_mutual_info_score(truth, list(range(len(members))))
        print(f"| {name} | {len(members)} | {k_true} | {base_nmi:.3f} | {base_ari:.3f} | {len(set(clusters))} "
              f"| {nmi:.3f} | {adjusted_rand_score(truth, clusters):.3f} "
              f"| {adjusted_mutual_info_score(truth, clusters):.3f} "
              f"| {normalized_mutual_info_score(truth, given):.3f} | {adjusted_rand_score(truth, given):.3f} "
              f"| {alone:.3f} |")
    print(f"mean NMI over the groupings: baseline {statistics.mean(s[0] for s in scores):.3f}, "
          f"consult {statistics.mean(s[1] for s in scores):.3f}")
    if args.resamples:
        measured = []
        for members in resamples(rows, args.resamples):
            truth = [row["theme"] for row in members]
            clusters, _ = run_public_path(members)
            measured.append((baseline(members)[0], normalized_mutual_info_score(truth, clusters),
                             adjusted_rand_score(truth, clusters), adjusted_mutual_info_score(truth, clusters),
                             len(set(clusters)) / len(set(truth))))
        print(f"{args.resamples} resamples (half to 85% of the rows): mean baseline NMI "
              f"{statistics.mean(m[0] for m in measured):.3f}; consult NMI {statistics.mean(m[1] for m in measured):.3f}, "
              f"ARI {statistics.mean(m[2] for m in measured):.3f}, AMI {statistics.mean(m[3] for m in measured):.3f}, "
              f"clusters per true theme {statistics.mean(m[4] for m in measured):.2f}")
    total, top1, top3 = action_line_accuracy(rows, suggestions_of_all)
    print(f"action line suggested for the {total} WSIS rows (imported without labels): "
          f"top-1 {top1}/{total} = {top1 / total:.2f}, top-3 {top3}/{total} = {top3 / total:.2f}")


if __name__ == "__main__":
    main()
