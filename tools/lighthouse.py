"""Audit the demo article with Lighthouse, the way `make serve` runs the site, and print the scores.

`make lighthouse` installs Lighthouse into .lighthouse/ (kept out of git) and runs this
(`python -m tools.lighthouse` from the project folder). It
serves a fresh copy of the site with gunicorn on 127.0.0.1 from a temporary instance folder,
with a few approved comments under the demo article, audits that page in the local Chromium
(mobile emulation, Lighthouse's defaults) and exits non-zero if a score is below its target.
Reports are written to .lighthouse/article.report.html and .json.
"""

import json
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from app import PROJECT_ROOT
from app import create_app
from app.extensions import db
from app.models import Article
from app.models import Comment
from app.models import CommentStatus
from app.sanitize import clean_comment

LIGHTHOUSE = PROJECT_ROOT / ".lighthouse" / "node_modules" / ".bin" / "lighthouse"
REPORT_PATH = PROJECT_ROOT / ".lighthouse" / "article"
DEMO_PATH = "/articles/paris-summit-ukraine-post-war-security"
CHROME_PATH = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
# --no-sandbox because CI runs as root; the host rule keeps the browser off the network.
CHROME_FLAGS = (
    "--headless=new --no-sandbox --host-resolver-rules='MAP * ~NOTFOUND , EXCLUDE 127.0.0.1'"
)
TARGETS = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}
SAMPLE_COMMENTS = [
    ("Maria Kovalenko", "The table of open questions is the most useful part of this piece."),
    ("Tom", "Who pays for a deployment? https://example.org has last year's figures."),
    ("Priya", "A ceasefire first, then guarantees.\n\nThat order matters more than the numbers."),
]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def prepare_site(instance: Path, environment: dict[str, str]) -> None:
    flask = Path(sys.executable).parent / "flask"
    subprocess.run(
        [flask, "--app", "wsgi", "init-db"], cwd=PROJECT_ROOT, env=environment, check=True
    )
    app = create_app({"INSTANCE_PATH": str(instance), "SECRET_KEY": environment["SECRET_KEY"]})
    with app.app_context():
        article = db.session.scalar(db.select(Article))
        for name, body in SAMPLE_COMMENTS:
            db.session.add(
                Comment(
                    article=article,
                    author_name=name,
                    author_email=f"{name.split()[0].lower()}@example.org",
                    body_raw=body,
                    body_html=clean_comment(body),
                    status=CommentStatus.APPROVED,
                )
            )
        db.session.commit()
        db.engine.dispose()


def wait_for(url: str) -> None:
    for _ in range(100):
        try:
            urllib.request.urlopen(url, timeout=1).close()  # noqa: S310  (our own local server)
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"the site did not start at {url}")


def run_lighthouse(url: str) -> dict:
    REPORT_PATH.parent.mkdir(exist_ok=True)
    subprocess.run(
        [
            LIGHTHOUSE,
            url,
            "--quiet",
            "--output=json",
            "--output=html",
            f"--output-path={REPORT_PATH}",
            f"--chrome-flags={CHROME_FLAGS}",
        ],
        env={**os.environ, "CHROME_PATH": CHROME_PATH},
        check=True,
    )
    return json.loads(REPORT_PATH.with_suffix(".report.json").read_text())


def print_scores(report: dict) -> bool:
    passed = True
    for key, target in TARGETS.items():
        category = report["categories"][key]
        score = round(category["score"] * 100)
        verdict = "ok" if score >= target else f"BELOW {target}"
        passed = passed and score >= target
        print(f"{category['title']:<16} {score:>3}  {verdict}")
        if score < 100:
            for reference in category["auditRefs"]:
                audit = report["audits"][reference["id"]]
                if reference["weight"] and audit["score"] is not None and audit["score"] < 1:
                    print(f"    {audit['title']} ({audit.get('displayValue', audit['score'])})")
    return passed


def main() -> int:
    if not LIGHTHOUSE.exists():
        raise SystemExit("Lighthouse is not installed: run `make lighthouse`.")
    port = free_port()
    with tempfile.TemporaryDirectory() as folder:
        instance = Path(folder)
        environment = {
            **os.environ,
            "FLASK_INSTANCE_PATH": str(instance),
            "SECRET_KEY": secrets.token_hex(32),
            "GUNICORN_BIND": f"127.0.0.1:{port}",
            "GUNICORN_WORKERS": "2",
        }
        prepare_site(instance, environment)
        gunicorn = Path(sys.executable).parent / "gunicorn"
        server = subprocess.Popen(
            [gunicorn, "wsgi:app", "--access-logfile", os.devnull],
            cwd=PROJECT_ROOT,
            env=environment,
        )
        try:
            base_url = f"http://127.0.0.1:{port}"
            wait_for(base_url + "/")
            report = run_lighthouse(base_url + DEMO_PATH)
        finally:
            server.terminate()
            server.wait(timeout=30)
    print(f"Lighthouse {report['lighthouseVersion']} on {DEMO_PATH}")
    print(f"Full report: {REPORT_PATH}.report.html")
    return 0 if print_scores(report) else 1


if __name__ == "__main__":
    sys.exit(main())
