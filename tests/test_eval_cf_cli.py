"""`recbot data split` and `recbot eval cf` as a user runs them."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pytest

from bot.cli import main


def write_movielens(root: Path) -> None:
    rng = np.random.default_rng(1)
    root.mkdir()
    with open(root / "movies.csv", "w") as fh:
        fh.write("movieId,title,genres\n")
        for item in range(1, 31):
            fh.write(f"{item},Movie {item} ({1980 + item}),Drama\n")
    with open(root / "ratings.csv", "w") as fh:
        fh.write("userId,movieId,rating,timestamp\n")
        for user in range(1, 41):
            group = range(1, 16) if user <= 20 else range(16, 31)
            for item in rng.choice(list(group), size=10, replace=False):
                fh.write(f"{user},{item},{rng.choice([3.0, 4.0, 4.5, 5.0])},{1000 + item}\n")


def test_split_then_eval(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "ml"
    write_movielens(data)
    assert main(["data", "split", "--data", str(data), "--out", str(tmp_path / "split")]) == 0
    capsys.readouterr()
    train, test = tmp_path / "split" / "train.csv", tmp_path / "split" / "test.csv"
    assert train.read_text().splitlines()[0] == "user,item,rating,timestamp"
    n_train = len(train.read_text().splitlines()) - 1
    n_test = len(test.read_text().splitlines()) - 1
    assert n_train + n_test == 400 and n_test == 40 * 2  # 20% of 10 ratings per user

    recs = tmp_path / "recs.csv"
    code = main(["eval", "cf", "--train", str(train), "--test", str(test), "--recs-out",
                 str(recs), "--json", "--no-progress"])  # fmt: skip
    out = capsys.readouterr().out
    assert code == 0
    lines = out.strip().splitlines()
    assert len(lines) == 1  # stdout holds the JSON object only
    result = json.loads(lines[0])
    for key in ("ndcg@10", "recall@20", "users", "train_s", "model"):
        assert key in result
    assert 0 < result["ndcg@10"] <= 1 and result["users"] > 0

    # Without --json the same figures come as a short readable report.
    assert main(["eval", "cf", "--train", str(train), "--test", str(test), "--no-progress"]) == 0
    report = capsys.readouterr().out
    assert f"{result['users']} test users" in report
    assert f"NDCG@10 {result['ndcg@10']:.4f}" in report and "Recall@20" in report

    with open(recs) as fh:
        rows = list(csv.DictReader(fh))
    assert set(rows[0]) == {"user", "item", "rank"}
    by_user: dict[str, list[int]] = {}
    for r in rows:
        by_user.setdefault(r["user"], []).append(int(r["rank"]))
    assert len(by_user) == 40
    # Each user gets up to 20 ranks 1..n; training items are never recommended back.
    assert all(ranks == list(range(1, len(ranks) + 1)) and len(ranks) <= 20 for ranks in by_user.values())
    seen = {(r["user"], r["item"]) for r in csv.DictReader(train.read_text().splitlines())}
    assert not seen & {(r["user"], r["item"]) for r in rows}


def test_eval_unknown_model_is_one_clear_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = tmp_path / "r.csv"
    f.write_text("user,item,rating,timestamp\n1,1,5,0\n")
    code = main(["eval", "cf", "--train", str(f), "--test", str(f), "--model", "nope", "--json"])
    assert code == 2 and "nope" in capsys.readouterr().err


def test_eval_malformed_csv_names_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = tmp_path / "r.csv"
    f.write_text("user,item,rating,timestamp\n1,1,5,0\n2,x,4,0\n")
    assert main(["eval", "cf", "--train", str(f), "--test", str(f), "--json"]) == 2
    assert "r.csv:3" in capsys.readouterr().err
