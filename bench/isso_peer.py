"""The peer: Isso, a Python comment server, in its own virtualenv, served like our site.

The virtualenv lives in bench/.cache/ (ignored by git) and is made once, with the same
gunicorn version as ours. Isso's notes from the issue apply: sync workers and no preload
(its workers were seen to deadlock otherwise), its guard off (it allows 2 posts a minute per
address), and the seeded comments published (mode 1), as ours are approved.
"""

import json
import sys
from pathlib import Path

from app import PROJECT_ROOT
from bench.comment_texts import ReaderComment
from bench.gunicorn_servers import ServedApp
from bench.processes import StartedProcesses
from bench.progress import say

ISSO_REQUIREMENT = "isso==0.14.0"
CACHE_FOLDER = PROJECT_ROOT / "bench" / ".cache"
VIRTUALENV = CACHE_FOLDER / "isso-venv"
SEED_SCRIPT = Path(__file__).resolve().parent / "isso_seed.py"


def gunicorn_requirement() -> str:
    """The exact gunicorn our site pins, so both run the same server code."""
    for line in (PROJECT_ROOT / "requirements.txt").read_text().splitlines():
        if line.startswith("gunicorn=="):
            return line.strip()
    raise LookupError("requirements.txt pins no gunicorn")


def ensure_virtualenv(processes: StartedProcesses) -> Path:
    requirements = [ISSO_REQUIREMENT, gunicorn_requirement()]
    stamp = VIRTUALENV / ".bench-installed"
    if stamp.is_file() and stamp.read_text().split() == requirements:
        return VIRTUALENV
    say(f"making Isso's virtualenv in {VIRTUALENV} (once)")
    processes.run([sys.executable, "-m", "venv", "--clear", VIRTUALENV])
    processes.run([VIRTUALENV / "bin" / "python", "-m", "pip", "install", "--quiet", *requirements])
    stamp.write_text(" ".join(requirements))
    return VIRTUALENV


def write_settings(folder: Path, site_url: str) -> Path:
    settings = folder / "isso.cfg"
    settings.write_text(
        "\n".join(
            [
                "[general]",
                f"dbpath = {folder / 'isso-comments.sqlite3'}",
                # The site whose pages carry the comments; Isso only checks it at start-up.
                f"host = {site_url}",
                "notify = stdout",
                "[moderation]",
                # New comments wait for a moderator, as ours do; seeded ones are published.
                "enabled = true",
                "[guard]",
                "enabled = false",
                "",
            ]
        )
    )
    return settings


def seed(
    processes: StartedProcesses,
    settings: Path,
    thread_uri: str,
    title: str,
    comments: list[ReaderComment],
) -> None:
    """Isso's own database code stores the comments, run by Isso's own Python."""
    comments_file = settings.parent / "isso-seed.json"
    comments_file.write_text(
        json.dumps(
            {
                "uri": thread_uri,
                "title": title,
                "comments": [
                    {
                        "author": comment.name,
                        "email": comment.email,
                        "website": comment.website,
                        "text": comment.body,
                    }
                    for comment in comments
                ],
            }
        )
    )
    processes.run([VIRTUALENV / "bin" / "python", SEED_SCRIPT, settings, comments_file])


def served(settings: Path, thread_uri: str) -> ServedApp:
    return ServedApp(
        name="isso",
        gunicorn=VIRTUALENV / "bin" / "gunicorn",
        wsgi_app="isso.run:application",
        environment={"ISSO_SETTINGS": str(settings)},
        ready_path=f"/?uri={thread_uri}",
        extra_settings={"preload_app": False},
    )
