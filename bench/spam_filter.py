"""`python -m bench.spam_filter`: the spam filter on the shared YouTube comments.

Trains on one file's comments and tests on the other's, both ways, then on 60% of a site's
comments against the rest (both files together, and each video alone, as a site would meet
it), and prints the spam caught at or above the hold line and the good comments held
(targets: at least 90%, at most 3%).
Then, on an SQLite database trained the same way, the CPU time of scoring one comment as a
comment POST does (the one statement and the math; target: at most 1 ms), and what importing
the filter adds to a process's memory.
"""

import csv
import html
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from app.spam_filter.evaluation import Example
from app.spam_filter.evaluation import figures_at
from app.spam_filter.features import CommentText
from app.spam_filter.features import feature_key
from app.spam_filter.features import features_of
from app.spam_filter.features import hashed

REPOSITORY = Path(__file__).resolve().parent.parent
DATA = Path(
    os.environ.get("SPAM_DATA", REPOSITORY.parent / "shared" / "data" / "comment-spam")
).resolve()
FILES = ("Youtube01-Psy.csv", "Youtube02-KatyPerry.csv")
HOLD_AT = 0.9
KEY = feature_key("benchmark-only-secret")
SCORING_ROUNDS = 5
# The issue's own test: 60% of one site's comments taught, the rest scored. One shuffle's
# figures move by 3 to 4 points either way, so the mean of many, and their worst.
TAUGHT_SHARE = 0.6
SHUFFLES = 40
# Issue 17's targets: at the hold line, at least this much of the spam and at most this much
# of the good comments; and scoring a comment costs a POST at most this much CPU.
SPAM_CAUGHT_TARGET = 0.90
GOOD_HELD_LIMIT = 0.03
SCORE_CPU_LIMIT_MS = 1.0
MEMORY_PROBE = """
import re, sys
def rss_kb():
    status = open("/proc/self/status").read()
    return int(re.search(r"VmRSS:\\s+(\\d+)", status).group(1))
import app.extensions, app.models, flask, sqlalchemy.dialects.sqlite
before_modules, before = set(sys.modules), rss_kb()
import app.spam_filter.scoring, app.spam_filter.lessons, app.spam_filter.store
import app.spam_filter.training, app.spam_filter.cli
added = sorted(name for name in set(sys.modules) - before_modules if not name.startswith("app."))
print(rss_kb() - before, " ".join(added) or "-")
"""


def comments_of(name: str) -> list[tuple[CommentText, bool]]:
    with (DATA / name).open(encoding="utf-8") as file:
        return [
            (
                CommentText(body=readers_text(row["CONTENT"]), name=row["AUTHOR"]),
                row["CLASS"] == "1",
            )
            for row in csv.DictReader(file)
        ]


def readers_text(content: str) -> str:
    """The corpus holds YouTube's HTML; a reader would have typed the plain text."""
    return html.unescape(re.sub(r"<br\s*/?>", "\n", content)).replace("\ufeff", "").strip()


def examples(comments: list[tuple[CommentText, bool]]) -> list[Example]:
    return [Example(hashed(features_of(text), KEY), is_spam) for text, is_spam in comments]


def accuracy(data: dict[str, list]) -> None:
    print(f"Trained on one file, tested on the other; hold line {HOLD_AT}:")
    for train, test in (FILES, FILES[::-1]):
        [figures] = figures_at([HOLD_AT], examples(data[train]), examples(data[test]))
        print(
            f"  {train} -> {test}: spam caught {figures.recall:.1%} "
            f"({figures.spam_caught} of {figures.spam}), good held {figures.good_held:.1%} "
            f"({figures.good_caught} of {figures.good}), precision {figures.precision:.1%}: "
            f"{verdict(figures.recall, figures.good_held)}"
        )


def mixed_accuracy(data: dict[str, list]) -> None:
    sixty_forty(data[FILES[0]] + data[FILES[1]], "both files")
    for name in FILES:
        sixty_forty(data[name], f"{name} alone")


def sixty_forty(comments: list[tuple[CommentText, bool]], label: str) -> None:
    """The issue's own test: one site's comments, 60% taught and the rest scored."""
    everything = examples(comments)
    caught = []
    held = []
    for seed in range(SHUFFLES):
        shuffled = random.Random(seed).sample(everything, len(everything))
        split = int(len(shuffled) * TAUGHT_SHARE)
        [figures] = figures_at([HOLD_AT], shuffled[:split], shuffled[split:])
        caught.append(figures.recall)
        held.append(figures.good_held)
    reaching = sum(share >= SPAM_CAUGHT_TARGET for share in caught)
    print(
        f"  {label}, 60% taught, 40% tested (mean of {SHUFFLES} shuffles): "
        f"spam caught {statistics.mean(caught):.1%} (lowest {min(caught):.1%}, "
        f"{reaching} of {SHUFFLES} at {SPAM_CAUGHT_TARGET:.0%} or more), "
        f"good held {statistics.mean(held):.1%} (highest {max(held):.1%}): "
        f"{verdict(statistics.mean(caught), statistics.mean(held))}"
    )


def verdict(caught: float, held: float) -> str:
    target = f"target >= {SPAM_CAUGHT_TARGET:.0%} caught, <= {GOOD_HELD_LIMIT:.0%} held"
    passed = caught >= SPAM_CAUGHT_TARGET and held <= GOOD_HELD_LIMIT
    return f"{target}, {'pass' if passed else 'short'}"


def scoring_time(data: dict[str, list]) -> None:
    from app import create_app
    from app.extensions import db
    from app.migrations import upgrade_to_newest
    from app.models import SpamLabel
    from app.spam_filter import store
    from app.spam_filter.lessons import site_feature_key
    from app.spam_filter.scoring import spam_score_for

    with tempfile.TemporaryDirectory() as folder:
        app = create_app(
            {"TESTING": True, "INSTANCE_PATH": folder, "SECRET_KEY": "benchmark-only-secret"}
        )
        with app.app_context():
            upgrade_to_newest(app)
            key = site_feature_key()
            for text, is_spam in data[FILES[1]]:
                label = SpamLabel.SPAM if is_spam else SpamLabel.GOOD
                store.learn(hashed(features_of(text), key), label)
            db.session.commit()
            tests = [text for text, _ in data[FILES[0]]]
            spam_score_for(tests[0])  # the first call compiles the statement
            started = time.process_time()
            for _ in range(SCORING_ROUNDS):
                for text in tests:
                    spam_score_for(text)
                db.session.rollback()
            per_score = (time.process_time() - started) / (SCORING_ROUNDS * len(tests))
            db.engine.dispose()
    per_score_ms = per_score * 1000
    passed = "pass" if per_score_ms <= SCORE_CPU_LIMIT_MS else "short"
    print(
        f"CPU per score, statement included (SQLite): {per_score_ms:.3f} ms: "
        f"target <= {SCORE_CPU_LIMIT_MS:g} ms, {passed}"
    )


def memory() -> None:
    probe = subprocess.run(
        [sys.executable, "-c", MEMORY_PROBE],
        cwd=REPOSITORY,
        capture_output=True,
        text=True,
        check=True,
    )
    added_kb, modules = probe.stdout.split(maxsplit=1)
    print(f"Importing the filter adds {int(added_kb)} KB RSS; other modules it loads: {modules}")


def main() -> int:
    if not all((DATA / name).is_file() for name in FILES):
        print(f"The labelled comments are not at {DATA} (set SPAM_DATA).", file=sys.stderr)
        return 1
    data = {name: comments_of(name) for name in FILES}
    accuracy(data)
    mixed_accuracy(data)
    scoring_time(data)
    memory()
    return 0


if __name__ == "__main__":
    sys.exit(main())
