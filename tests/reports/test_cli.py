"""`flask report`: writes the PDF and shows progress."""
from consult.reports.assembly import shutdown_executors
from tests.reports.conftest import pdf_text


def test_report_command_writes_the_agenda_pdf(dataset, runner, tmp_path, pdf_tools):
    output = tmp_path / "agenda.pdf"

    result = runner.invoke(args=["report", "--kind", "agenda", "--output", str(output), "--workers", "1"])
    shutdown_executors()

    assert result.exit_code == 0, result.output
    assert "Building the agenda PDF" in result.output
    assert f"Wrote {output}:" in result.output
    assert output.read_bytes().startswith(b"%PDF-")
    assert dataset["sessions"][0].title in " ".join(pdf_text(output).split())


def test_report_command_refuses_draft_for_the_outcomes_report(dataset, runner, tmp_path):
    result = runner.invoke(args=["report", "--kind", "outcomes", "--draft", "--output", str(tmp_path / "x.pdf")])

    assert result.exit_code == 1
    assert "--draft applies to the agenda only." in result.output
    assert not (tmp_path / "x.pdf").exists()
