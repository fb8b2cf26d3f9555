"""`hearline triage train|evaluate` on a CSV export, as an administrator runs them."""

import csv
import json

import pytest
from django.core.management import CommandError, call_command

from hearline.testing.corpus import rows
from hearline.triage.models import TriageModel
from hearline.triage.service import clear_caches, suggest


@pytest.fixture
def export(tmp_path):
    path = tmp_path / "history.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "subject", "details", "topic"])
        for i, (text, label) in enumerate(rows()):
            subject, _, details = text.partition("，")
            writer.writerow([i, subject, details, label])
        writer.writerow([999, "没有标签的一行", "", ""])
    return path


def test_evaluate_prints_cross_validation_as_one_json_object(db, export, capsys):
    call_command(
        "triage", "evaluate", "--data", str(export), "--text", "subject,details",
        "--label", "topic", "--folds", "3",
    )  # fmt: skip
    result = json.loads(capsys.readouterr().out)
    assert result["n"] == 36 and result["folds"] == 3
    assert set(result["per_class"]) == {"water", "transit", "school"}
    assert result["per_class"]["water"]["support"] == 12
    assert 0.6 <= result["macro_f1"] <= 1 and 0.6 <= result["accuracy"] <= 1


def test_train_stores_a_new_version_each_time(db, export, capsys):
    for expected in (1, 2):
        call_command(
            "triage",
            "train",
            "--data",
            str(export),
            "--text",
            "subject,details",
            "--label",
            "topic",
        )
        described = json.loads(capsys.readouterr().out)
        assert described["version"] == expected and described["n"] == 36
    assert TriageModel.objects.filter(target="label").count() == 2


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--text", "subject", "--label", "nope"], "no column nope"),
        (["--text", "", "--label", "topic"], "at least one column"),
        (["--text", "subject", "--label", "topic", "--folds", "20"], "at least 20 examples"),
    ],
)
def test_unusable_input_is_a_clear_error(db, export, args, says):
    with pytest.raises(CommandError, match=says):
        call_command("triage", "evaluate", "--data", str(export), *args)


def test_a_file_that_is_not_utf8_is_refused(db, tmp_path):
    path = tmp_path / "gbk.csv"
    path.write_bytes("题目,类别\n停水,水\n".encode("gbk"))
    with pytest.raises(CommandError, match="not UTF-8"):
        call_command("triage", "evaluate", "--data", str(path), "--text", "题目", "--label", "类别")


def test_english_works_with_the_same_code(db, tmp_path, capsys):
    path = tmp_path / "nyc.csv"
    texts = {
        "noise": ["loud music next door at night", "construction noise before 7am", "barking dog all night"],
        "water": ["no water in the building", "brown water from the tap", "water main break on street"],
    }  # fmt: skip
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["descriptor", "type"])
        for label, items in texts.items():
            for text in items * 2:
                writer.writerow([text, label])
    call_command("triage", "train", "--data", str(path), "--text", "descriptor", "--label", "type")
    capsys.readouterr()
    clear_caches()
    from hearline.triage.classifier import predict_top
    from hearline.triage.service import active_pipeline

    _pk, pipeline = active_pipeline("label")
    assert predict_top(pipeline, ["the water is brown"])[0][0].label == "water"
    assert suggest("anything").category is None  # no category model yet
