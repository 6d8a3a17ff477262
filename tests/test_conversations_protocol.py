"""The ReDial replay protocol as pure functions: what is sent, what is scored, and how."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from recommender.conversations.protocol import RecallScore, Step, in_part, plan
from recommender.conversations.redial import load_redial, render
from recommender.errors import DataError

SEEKER, HUMAN = 1, 2


def write_redial(tmp_path: Path, messages: list[tuple[int, str]]) -> Path:
    dialogue = {
        "conversationId": "7", "initiatorWorkerId": SEEKER, "respondentWorkerId": HUMAN,
        "movieMentions": {"10": "Click (2006)", "11": "Alien (1979)"},
        "messages": [{"senderWorkerId": s, "text": t, "timeOffset": 0} for s, t in messages],
    }  # fmt: skip
    (tmp_path / "dev_dialogues.jsonl").write_text(json.dumps(dialogue) + "\n")
    (tmp_path / "movies_with_mentions.csv").write_text(
        'movieId,movieName,nbMentions\n10,Click  (2006),3\n12,"Up, Up (2009)",1\n13,Heat (1995),2\n'
    )
    (tmp_path / "redial_to_ml_latest_small.csv").write_text(
        "redial_id,redial_name,ml_movieId,ml_title,tier\n10,Click (2006),100,Click (2006),exact\n"
        "11,Alien (1979),110,Alien (1979),exact\n12,Up (2009),120,Up (2009),exact\n"
        "13,Heat (1995),130,Heat (1995),exact\n"
    )
    return tmp_path


def test_only_seeker_turns_are_sent_with_mentions_written_as_titles(tmp_path: Path) -> None:
    data = load_redial(write_redial(tmp_path, [
        (HUMAN, "Hi! Have you seen @13?"),  # before the seeker said anything: not scored
        (SEEKER, "hi, i watched @10 and i liked it"),
        (HUMAN, "Then try @12 or @10 or @99"),  # 10 was mentioned, 99 does not map
        (SEEKER, "what is @11 about?"),
        (HUMAN, "@13 is great too"),  # mentioned before by the recommender: not new
    ]))  # fmt: skip
    steps = plan(data.dialogues[0], data, [100, 110, 120, 130])
    assert steps == [
        Step("say", "hi, i watched Click (2006) and i liked it"),
        Step("score", targets=(120,), mentioned=frozenset({130, 100})),
        Step("say", "what is Alien (1979) about?"),
    ]


def test_suggestions_outside_the_catalog_are_not_scored(tmp_path: Path) -> None:
    data = load_redial(write_redial(tmp_path, [(SEEKER, "hello"), (HUMAN, "@12")]))
    assert [s.kind for s in plan(data.dialogues[0], data, [100])] == ["say"]


def test_unknown_movie_ids_are_dropped_from_the_text() -> None:
    assert render("I liked @5 and @6 a lot", {5: "Heat  (1995)"}) == "I liked Heat (1995) and a lot"


def test_recall_counts_the_reply_and_the_more_page() -> None:
    score = RecallScore(popularity=[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11])
    score.add(Step("score", targets=(3,), mentioned=frozenset({1})), shown=[3, 20, 21, 22, 23])
    score.add(Step("score", targets=(30,)), shown=[20, 21, 22, 23, 24], more=[25, 30])
    score.add(Step("score", targets=(11,), mentioned=frozenset({1})), shown=[])
    report = score.report()
    assert report["instances"] == 3
    assert (report["recall@1"], report["recall@5"], report["recall@10"]) == (0.3333, 0.3333, 0.6667)
    assert report["empty_share"] == 0.3333
    # popularity skips what was mentioned: item 3 is its 2nd pick, item 11 its 10th
    assert report["popularity"] == {"recall@1": 0.0, "recall@5": 0.3333, "recall@10": 0.6667}


def test_the_two_parts_split_the_dialogues(tmp_path: Path) -> None:
    data = load_redial(write_redial(tmp_path, [(SEEKER, "hello")]))
    conv = data.dialogues[0]
    assert in_part(conv, "all") and in_part(conv, "tune") != in_part(conv, "check")


def test_a_directory_without_dialogues_says_what_to_pass(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="--redial"):
        load_redial(tmp_path)
