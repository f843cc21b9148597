"""The whole benchmark, step by step: servers up, databases filled, load driven, table out.

Each step starts its own server and stops it before the next, so only one server takes load
at a time and two cores are not shared between servers.
"""

import json
import shutil
import tempfile
import time
import urllib.request
from pathlib import Path

from app.models import CommentStatus
from bench import fill
from bench import isso_peer
from bench import readers
from bench.comment_texts import reader_comments
from bench.gunicorn_servers import GunicornServer
from bench.gunicorn_servers import ProductionWorkers
from bench.gunicorn_servers import ServedApp
from bench.gunicorn_servers import free_port
from bench.gunicorn_servers import production_workers
from bench.measure import WARM_UP_SECONDS
from bench.measure import Measurement
from bench.measure import measure
from bench.processes import StartedProcesses
from bench.progress import elapsed_seconds
from bench.progress import say
from bench.report import LostComments
from bench.report import Results
from bench.site import DEMO_SLUG
from bench.site import MODERATOR_NAME
from bench.site import MODERATOR_PASSWORD
from bench.site import VIRTUALENV_BIN
from bench.site import ProductSite
from bench.sqlite_reference import measure_insert_rate
from bench.wrk import ensure_installed
from bench.wrk import run_wrk

ARTICLE_COMMENTS = 50
LONG_ARTICLE_COMMENTS = 5_000
LONG_ARTICLE_SLUG = "bench-article-with-5000-comments"
SMALL_QUEUE = 1_000
LARGE_QUEUE = 100_000
# Distinct readers (sessions, tokens) whose forms the POST run cycles through.
POSTING_READERS = 64
# Lets the server finish the requests wrk left in flight before rows are counted.
SETTLE_SECONDS = 1.0
DEMO_PATH = f"/articles/{DEMO_SLUG}"


def run_benchmark(processes: StartedProcesses, folder: Path) -> Results:
    ensure_installed()
    isso_peer.ensure_virtualenv(processes)
    production = production_workers(VIRTUALENV_BIN / "gunicorn")

    say("baseline: the fixed 2 KB page")
    with GunicornServer(processes, _baseline_app(), folder) as baseline_server:
        baseline = measure(processes, "baseline: fixed 2 KB page", baseline_server.url("/"))

    articles_site = _articles_site(processes, folder)
    with GunicornServer(processes, articles_site.served(), folder) as server:
        article = _measure_article(processes, server)
        long_article = measure(
            processes,
            f"article, {LONG_ARTICLE_COMMENTS:,} approved comments",
            server.url(f"/articles/{LONG_ARTICLE_SLUG}"),
        )
        comment_posts, lost_comments = _measure_comment_posts(processes, server, articles_site)
    worker_peaks = [server.peak_worker_rss_mb]

    production_article = None
    if not production.same_as_measured:
        production_article = _measure_production_class(processes, folder, production)

    isso_get, isso_post, isso_rss = _measure_isso(processes, folder)

    say("raw SQLite inserts: the reference for comment throughput")
    reference_site = ProductSite(processes, "raw-sqlite", folder / "raw-sqlite")
    reference_site.init_db()
    raw_inserts = measure_insert_rate(processes, reference_site.database_path)

    small_queue, large_queue, queue_rss = _measure_queue(processes, folder)
    worker_peaks.append(queue_rss)

    known_peaks = [peak for peak in worker_peaks if peak is not None]
    return Results(
        production=production,
        baseline=baseline,
        article=article,
        long_article=long_article,
        comment_posts=comment_posts,
        lost_comments=lost_comments,
        isso_get=isso_get,
        isso_post=isso_post,
        raw_inserts=raw_inserts,
        small_queue=small_queue,
        large_queue=large_queue,
        worker_rss_mb=max(known_peaks) if known_peaks else None,
        baseline_rss_mb=baseline_server.peak_worker_rss_mb,
        isso_rss_mb=isso_rss,
        production_article=production_article,
        seconds=elapsed_seconds(),
    )


def _baseline_app() -> ServedApp:
    return ServedApp(
        name="baseline",
        gunicorn=VIRTUALENV_BIN / "gunicorn",
        wsgi_app="bench.baseline_app:app",
        environment={},
    )


def _articles_site(processes: StartedProcesses, folder: Path) -> ProductSite:
    say(
        f"site: init-db, {ARTICLE_COMMENTS} approved comments on the demo article, "
        f"{LONG_ARTICLE_COMMENTS:,} on a second one"
    )
    site = ProductSite(processes, "site", folder / "site")
    site.init_db()
    app = fill.app_for(site.instance_path)
    fill.add_comments(app, DEMO_SLUG, reader_comments(ARTICLE_COMMENTS), CommentStatus.APPROVED)
    fill.publish_copy_of_demo_article(app, LONG_ARTICLE_SLUG, "The Same Summit, Much Discussed")
    fill.add_many_comments(app, LONG_ARTICLE_SLUG, LONG_ARTICLE_COMMENTS, CommentStatus.APPROVED)
    return site


def _measure_article(processes: StartedProcesses, server: GunicornServer) -> Measurement:
    page = readers.Browser().get(server.url(DEMO_PATH))
    say(f"demo article shows {readers.comments_shown(page)} comments")
    label = f"demo article, {ARTICLE_COMMENTS} approved comments"
    return measure(processes, label, server.url(DEMO_PATH))


def _measure_comment_posts(
    processes: StartedProcesses, server: GunicornServer, site: ProductSite
) -> tuple[Measurement, LostComments]:
    say(f"comment POSTs: {POSTING_READERS} readers load the article for a session and a token")
    forms = readers.prepared_comment_forms(
        server.url(DEMO_PATH), reader_comments(POSTING_READERS, seed=11)
    )
    prepared = _write_prepared(server.log_path.parent / "comment-forms.tsv", forms)
    post_options = {
        "lua_script": "post_prepared.lua",
        "script_arguments": [str(prepared), "application/x-www-form-urlencoded"],
    }
    url = server.url(f"{DEMO_PATH}/comments")
    say("comment POSTs: warming up")
    run_wrk(processes, url, WARM_UP_SECONDS, **post_options)
    time.sleep(SETTLE_SECONDS)
    before = site.comment_count()
    posts = measure(processes, "comment POST with CSRF", url, warm_up=False, **post_options)
    time.sleep(SETTLE_SECONDS)
    stored = site.comment_count() - before
    lost = LostComments(
        answered=sum(posts.statuses.values()), accepted=posts.statuses.get(303, 0), stored=stored
    )
    say(f"comment POSTs: {lost.accepted} accepted, {stored} stored, {lost.lost} lost")
    return posts, lost


def _measure_production_class(
    processes: StartedProcesses, folder: Path, production: ProductionWorkers
) -> Measurement:
    say(f"production worker class: {production.describe()}")
    site = _articles_site(processes, folder / "production-class")
    settings = {"worker_class": production.worker_class, "threads": production.threads}
    with GunicornServer(processes, site.served(), folder, worker_settings=settings) as server:
        label = f"(a) with {production.worker_class} ×{production.threads} threads"
        return measure(processes, label, server.url(DEMO_PATH))


def _measure_isso(
    processes: StartedProcesses, folder: Path
) -> tuple[Measurement, Measurement, float | None]:
    say(f"Isso: {ARTICLE_COMMENTS} published comments on the same thread")
    isso_folder = folder / "isso"
    isso_folder.mkdir()
    # Isso checks this address once at start-up; nothing listens there, which it only logs.
    settings = isso_peer.write_settings(isso_folder, f"http://127.0.0.1:{free_port()}/")
    title = "Thirty-Five Nations Gather in Paris"
    isso_peer.seed(processes, settings, DEMO_PATH, title, reader_comments(ARTICLE_COMMENTS))
    with GunicornServer(processes, isso_peer.served(settings, DEMO_PATH), folder) as server:
        thread_url = server.url(f"/?uri={DEMO_PATH}")
        with urllib.request.urlopen(thread_url, timeout=30) as answer:
            shown = len(json.load(answer)["replies"])
        say(f"Isso's thread shows {shown} comments")
        get = measure(processes, f"Isso GET, {ARTICLE_COMMENTS} comments", thread_url)
        prepared = _write_prepared(
            isso_folder / "isso-posts.tsv",
            readers.prepared_isso_posts(reader_comments(POSTING_READERS, seed=11)),
        )
        post = measure(
            processes,
            "Isso POST of a new comment",
            server.url(f"/new?uri={DEMO_PATH}"),
            lua_script="post_prepared.lua",
            script_arguments=[str(prepared), "application/json"],
        )
    return get, post, server.peak_worker_rss_mb


def _measure_queue(
    processes: StartedProcesses, folder: Path
) -> tuple[Measurement, Measurement, float | None]:
    say(f"queue: init-db, a moderator, {SMALL_QUEUE:,} pending comments")
    site = ProductSite(processes, "queue", folder / "queue")
    site.init_db()
    site.create_moderator()
    app = fill.app_for(site.instance_path)
    fill.add_many_comments(app, DEMO_SLUG, SMALL_QUEUE, CommentStatus.PENDING)
    with GunicornServer(processes, site.served(), folder) as server:
        cookie = readers.logged_in_moderator_cookie(
            server.url(""), MODERATOR_NAME, MODERATOR_PASSWORD
        )
        headers = [f"Cookie: {cookie}"]
        queue_url = server.url("/moderation/")
        readers.check_page(queue_url, cookie)
        small = measure(
            processes, f"queue, {SMALL_QUEUE:,} pending comments", queue_url, headers=headers
        )
        say(f"queue: adding {LARGE_QUEUE - SMALL_QUEUE:,} more pending comments")
        fill.add_many_comments(app, DEMO_SLUG, LARGE_QUEUE - SMALL_QUEUE, CommentStatus.PENDING)
        large = measure(
            processes, f"queue, {LARGE_QUEUE:,} pending comments", queue_url, headers=headers
        )
    return small, large, server.peak_worker_rss_mb


def _write_prepared(path: Path, requests: list[tuple[str, str]]) -> Path:
    path.write_text("".join(f"{cookie}\t{body}\n" for cookie, body in requests))
    return path


def keep_logs(folder: Path, destination: Path) -> None:
    """After a failure, the servers' logs outlive the temporary folder."""
    destination.mkdir(parents=True, exist_ok=True)
    for log in folder.glob("*.log"):
        shutil.copy(log, destination / log.name)


def temporary_folder() -> tempfile.TemporaryDirectory:
    return tempfile.TemporaryDirectory(prefix="newsroom-bench-")
