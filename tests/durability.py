"""The durability proof: many readers commenting at once through real gunicorn workers.

Each comment carries a unique token. A reader resends the same form when the answer is lost
(a worker killed mid-request) or says "busy" (503), as a browser's retry or a second click
would. Afterwards, in the database: every acknowledged token exactly once, none twice, no 5xx
answer at all, `PRAGMA integrity_check` ok (SQLite), and the status counts kept by triggers
equal to a real count. The second run kills a worker mid-run while a moderator approves.

Small in the test suite (tests/test_durability.py), large with `make prove-durability`:

    .venv/bin/python -m tests.durability --readers 50 --comments 2000
"""

import argparse
import html
import http.client
import http.cookiejar
import json
import re
import secrets
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path

from sqlalchemy import create_engine
from sqlalchemy import text

from tests.helpers import STAMP_URL
from tests.helpers import csrf_token_from
from tests.serving import GunicornSite

DEMO_PATH = "/articles/paris-summit-ukraine-post-war-security"
TOKEN_PATTERN = re.compile(r"Durability proof (\S+)")
APPROVE_FORM = re.compile(r'action="([^"]*/approve(?:\?[^"]*)?)"')
MODERATOR = "proof-desk"
MODERATOR_PASSWORD = "a long password for the proof"  # noqa: S105  (a throwaway test account)
PROOF_SETTINGS = {
    # The flood limits and the too-fast check would refuse a load test's readers.
    "FLASK_RATELIMIT_ENABLED": "false",
    "FLASK_COMMENT_MIN_SECONDS": "0",
}
LOST_ANSWERS = (
    urllib.error.URLError,
    http.client.HTTPException,
    ConnectionError,
    TimeoutError,
)
ATTEMPTS = 30


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@dataclass
class Report:
    scenario: str
    readers: int
    comments: int
    statuses: Counter = field(default_factory=Counter)
    acknowledged: list[str] = field(default_factory=list)
    unanswered: list[str] = field(default_factory=list)
    lost_answers: int = 0
    approvals: int = 0
    killed_worker: int | None = None
    stored: Counter = field(default_factory=Counter)
    approved_in_database: int = 0
    integrity: str = "not checked (not SQLite)"
    counts_by_trigger: dict = field(default_factory=dict)
    counts_by_count: dict = field(default_factory=dict)
    seconds: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def answered(self, status: int) -> None:
        with self.lock:
            self.statuses[status] += 1

    def server_errors(self) -> int:
        return sum(count for status, count in self.statuses.items() if status >= 500)

    def problems(self) -> list[str]:
        acknowledged = set(self.acknowledged)
        problems = []
        if self.server_errors():
            problems.append(f"5xx answers: {self.server_errors()}")
        if self.unanswered:
            problems.append(f"{len(self.unanswered)} comments never acknowledged")
        missing = [token for token in acknowledged if self.stored[token] == 0]
        if missing:
            problems.append(f"{len(missing)} acknowledged comments missing, e.g. {missing[:3]}")
        twice = [token for token, count in self.stored.items() if count > 1]
        if twice:
            problems.append(f"{len(twice)} comments stored more than once, e.g. {twice[:3]}")
        unknown = set(self.stored) - acknowledged - set(self.unanswered)
        if unknown:
            problems.append(f"{len(unknown)} stored comments nobody sent")
        if self.integrity not in ("ok", "not checked (not SQLite)"):
            problems.append(f"integrity_check: {self.integrity}")
        if self.counts_by_trigger != self.counts_by_count:
            problems.append(
                f"status counts {self.counts_by_trigger} != real counts {self.counts_by_count}"
            )
        if self.approved_in_database < self.approvals:
            problems.append(
                f"{self.approvals} approvals answered, {self.approved_in_database} kept"
            )
        return problems

    def summary(self) -> str:
        stored_once = sum(1 for count in self.stored.values() if count == 1)
        lines = [
            f"{self.scenario}: {self.readers} readers, {self.comments} comments, "
            f"{self.seconds:.1f} s",
            f"  acknowledged {len(self.acknowledged)}, never acknowledged {len(self.unanswered)}",
            f"  in the database: {sum(self.stored.values())} proof comments, "
            f"{stored_once} exactly once, "
            f"{sum(1 for count in self.stored.values() if count > 1)} more than once",
            f"  answers: {dict(sorted(self.statuses.items()))}, 5xx: {self.server_errors()}, "
            f"lost answers resent: {self.lost_answers}",
            f"  worker killed: {self.killed_worker or 'none'}, approvals answered: "
            f"{self.approvals}, approved in the database: {self.approved_in_database}",
            f"  integrity_check: {self.integrity}, status counts by trigger "
            f"{'match' if self.counts_by_trigger == self.counts_by_count else 'DO NOT match'} "
            f"a real count {self.counts_by_count}",
        ]
        problems = self.problems()
        lines.append("  OK" if not problems else "  PROBLEMS: " + "; ".join(problems))
        return "\n".join(lines)


def browser():
    return urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirects()
    )


def fetch(opener, url: str, report: Report, data: dict | None = None):
    """(status, body, headers), resending while the answer is lost; None if it never comes."""
    encoded = urllib.parse.urlencode(data).encode() if data is not None else None
    for attempt in range(ATTEMPTS):
        try:
            with opener.open(url, data=encoded, timeout=60) as response:
                report.answered(response.status)
                return response.status, response.read().decode(), response.headers
        except urllib.error.HTTPError as answer:
            with answer:
                body = answer.read().decode(errors="replace")
            report.answered(answer.code)
            if answer.code == 503:
                time.sleep(min(float(answer.headers.get("Retry-After") or 1), 5))
                continue
            return answer.code, body, answer.headers
        except LOST_ANSWERS:
            with report.lock:
                report.lost_answers += 1
            time.sleep(0.1 * (attempt + 1))
    return None


def reader(site: GunicornSite, report: Report, number: int, count: int, run_id: str) -> None:
    opener = browser()
    for index in range(count):
        token = f"{run_id}-{number}-{index}"
        page = fetch(opener, site.base_url + DEMO_PATH, report)
        if page is None or page[0] != 200:
            report.unanswered.append(token)
            continue
        # What static/js/comment-stamp.js does when the reader first focuses the form.
        stamp = fetch(opener, site.base_url + STAMP_URL, report)
        if stamp is None or stamp[0] != 200:
            report.unanswered.append(token)
            continue
        form = {
            "stamp": json.loads(stamp[1])["stamp"],
            "name": f"Reader {number}",
            "email": f"reader{number}@example.org",
            "body": f"Durability proof {token}",
        }
        answer = fetch(opener, site.base_url + DEMO_PATH + "/comments", report, form)
        if answer is not None and answer[0] == 303:
            report.acknowledged.append(token)
        else:
            report.unanswered.append(token)


def moderator(site: GunicornSite, report: Report, readers_done: threading.Event) -> None:
    opener = browser()
    login = fetch(opener, site.base_url + "/auth/login", report)
    credentials = {
        "username": MODERATOR,
        "password": MODERATOR_PASSWORD,
        "csrf_token": csrf_token_from(login[1]),
    }
    fetch(opener, site.base_url + "/auth/login", report, credentials)
    while True:
        finished = readers_done.is_set()
        queue = fetch(opener, site.base_url + "/moderation/", report)
        actions = [html.unescape(url) for url in APPROVE_FORM.findall(queue[1])] if queue else []
        approved_now = 0
        for action in actions:
            # The pending queue: every button there carries "pending" as the status it saw.
            form = {"csrf_token": csrf_token_from(queue[1]), "seen": "pending"}
            answer = fetch(opener, site.base_url + action, report, form)
            if answer is not None and answer[0] == 303:
                approved_now += 1
                with report.lock:
                    report.approvals += 1
        # Done when the readers are, and a whole pass found nothing more to approve (a pass
        # that approved nothing at all would otherwise repeat for ever).
        if finished and (not actions or not approved_now):
            return
        if not actions:
            time.sleep(0.05)


def killer(site: GunicornSite, report: Report, after: int, readers_done: threading.Event) -> None:
    while len(report.acknowledged) < after and not readers_done.is_set():
        time.sleep(0.01)
    if not readers_done.is_set():
        report.killed_worker = site.kill_a_worker()


def check_database(report: Report, database_url: str, run_id: str) -> None:
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            for body, status in connection.execute(text("SELECT body_raw, status FROM comments")):
                match = TOKEN_PATTERN.search(body)
                if match and match.group(1).startswith(run_id + "-"):
                    report.stored[match.group(1)] += 1
                    report.approved_in_database += status == "approved"
            report.counts_by_trigger = {
                status: total
                for status, total in connection.execute(
                    text("SELECT status, total FROM comment_status_counts")
                )
                if total
            }
            report.counts_by_count = {
                status: total
                for status, total in connection.execute(
                    text("SELECT status, COUNT(*) FROM comments GROUP BY status")
                )
            }
            if engine.dialect.name == "sqlite":
                report.integrity = connection.execute(text("PRAGMA integrity_check")).scalar()
    finally:
        engine.dispose()


def prove(
    folder: Path,
    database_url: str | None = None,
    readers: int = 50,
    comments: int = 2000,
    workers: int = 4,
    kill_and_moderate: bool = False,
) -> Report:
    scenario = "worker killed, moderator approving" if kill_and_moderate else "plain"
    report = Report(scenario, readers, comments)
    run_id = secrets.token_hex(4)
    site = GunicornSite(folder, database_url, workers=workers, settings=PROOF_SETTINGS)
    with site:
        if kill_and_moderate:
            site.flask("create-moderator", MODERATOR, MODERATOR_PASSWORD=MODERATOR_PASSWORD)
        readers_done = threading.Event()
        shares = [comments // readers + (number < comments % readers) for number in range(readers)]
        threads = [
            threading.Thread(target=reader, args=(site, report, number, share, run_id))
            for number, share in enumerate(shares)
        ]
        helpers = []
        if kill_and_moderate:
            helpers = [
                threading.Thread(target=moderator, args=(site, report, readers_done)),
                threading.Thread(target=killer, args=(site, report, comments // 3, readers_done)),
            ]
        started = time.perf_counter()
        for thread in threads + helpers:
            thread.start()
        for thread in threads:
            thread.join()
        readers_done.set()
        for thread in helpers:
            thread.join()
        report.seconds = time.perf_counter() - started
    check_database(report, database_url or f"sqlite:///{folder / 'newsroom.sqlite3'}", run_id)
    return report


def main(arguments: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--readers", type=int, default=50)
    parser.add_argument("--comments", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument(
        "--database-url",
        help="a database to run on (init-db runs first); default: a new SQLite file",
    )
    options = parser.parse_args(arguments)
    failed = False
    for kill_and_moderate in (False, True):
        with tempfile.TemporaryDirectory(prefix="durability-") as folder:
            report = prove(
                Path(folder),
                options.database_url,
                options.readers,
                options.comments,
                options.workers,
                kill_and_moderate,
            )
        print(report.summary(), flush=True)
        failed = failed or bool(report.problems())
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
