"""The `flask cluster --export FILE.csv` command."""
import csv

from consult.clustering.workspace import add_proposals_to_new_cluster
from consult.extensions import db
from consult.proposals.models import Decision


def _read(path):
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


def test_cluster_command_exports_suggested_grouping(runner, topic_proposals, tmp_path):
    path = tmp_path / "clusters.csv"

    result = runner.invoke(args=["cluster", "--scope", "submitted", "--export", str(path)])

    assert result.exit_code == 0, result.output
    assert "33 proposals in 7 suggested clusters (5 groups, 2 proposals alone)" in result.output
    rows = _read(path)
    assert rows[0] == ["proposal_id", "title", "cluster_id", "cluster_title"]
    by_topic = {topic: {row[2] for row in rows[1:] if int(row[0]) in {p.id for p in proposals}}
                for topic, proposals in topic_proposals.items()}
    assert len(by_topic["broadband"]) == len(by_topic["health"]) == 1
    assert len(set.union(*by_topic.values())) == 7
    first = topic_proposals["broadband"][0]
    assert [first.title] == [row[1] for row in rows if row[0] == str(first.id)]


def test_cluster_command_k_and_accepted_scope(runner, drafting, topic_proposals, tmp_path):
    for proposal in topic_proposals["cyber"] + topic_proposals["health"]:
        proposal.decision = Decision.ACCEPTED
    db.session.commit()
    path = tmp_path / "accepted.csv"

    result = runner.invoke(args=["cluster", "--k", "2", "--export", str(path)])

    assert result.exit_code == 0, result.output
    assert "22 proposals in 2 suggested clusters (2 groups, 0 proposals alone)" in result.output
    assert len(_read(path)) == 23


def test_cluster_command_exports_saved_clusters(runner, drafting, reviewer, topic_proposals, tmp_path):
    chosen = topic_proposals["health"][:2]
    cluster = add_proposals_to_new_cluster(drafting, actor=reviewer, title="Records", proposal_ids=[p.id for p in chosen])
    db.session.commit()
    path = tmp_path / "saved.csv"

    result = runner.invoke(args=["cluster", "--saved", "--export", str(path)])

    assert result.exit_code == 0, result.output
    assert _read(path)[1:] == [[str(p.id), p.title, str(cluster.id), "Records"] for p in chosen]
