"""The whole benchmark, step by step: servers up, databases filled, load driven, results out.

The baseline server runs from start to end, idle but for its sampling rounds. The measured
servers take turns: each is started, measured and stopped before the next, so that only one
of them takes load at a time and none shares the two cores with another.
"""

import json
import os
import re
import shutil
import tempfile
import urllib.request
from pathlib import Path

from app.models import CommentStatus
from bench import fill
from bench import floor_app
from bench import isso_peer
from bench import readers
from bench.comment_texts import reader_comments
from bench.gunicorn_servers import GunicornServer
from bench.gunicorn_servers import ServedApp
from bench.gunicorn_servers import free_port
from bench.gunicorn_servers import production_workers
from bench.measure import Baseline
from bench.measure import Measurement
from bench.measure import Pacing
from bench.measure import measure
from bench.measure import pacing_for
from bench.measure import seconds_per_request
from bench.nginx import NginxServer
from bench.nginx import ensure_installed as ensure_nginx_installed
from bench.processes import StartedProcesses
from bench.progress import elapsed_seconds
from bench.progress import say
from bench.results import ArticlesSite
from bench.results import Floor
from bench.results import LostComments
from bench.results import Results
from bench.site import DEMO_SLUG
from bench.site import MODERATOR_NAME
from bench.site import MODERATOR_PASSWORD
from bench.site import VIRTUALENV_BIN
from bench.site import ProductSite
from bench.sqlite_reference import measure_insert_rate
from bench.stamps import STAMP_MARK
from bench.stamps import fresh_stamp
from bench.stamps import write_stamps
from bench.wrk import THREADS
from bench.wrk import ensure_installed as ensure_wrk_installed

ARTICLE_COMMENTS = 50
LONG_ARTICLE_COMMENTS = 5_000
LONG_ARTICLE_SLUG = "bench-article-with-5000-comments"
SMALL_QUEUE = 1_000
LARGE_QUEUE = 100_000
# Distinct readers (sessions, tokens) whose forms the POST runs cycle through.
POSTING_READERS = 64
BASELINE_ROUNDS_AT_START = 2
DEMO_PATH = f"/articles/{DEMO_SLUG}"
FORM_CONTENT_TYPE = "application/x-www-form-urlencoded"


def run_benchmark(processes: StartedProcesses, folder: Path) -> Results:
    ensure_wrk_installed()
    ensure_nginx_installed()
    isso_peer.ensure_virtualenv(processes)
    production = production_workers(VIRTUALENV_BIN / "gunicorn")
    load_at_start = os.getloadavg()[0]

    say("baseline: the fixed 2 KB page, sampled all through the run")
    with GunicornServer(processes, _baseline_app(), folder) as baseline_server:
        baseline = Baseline(processes, baseline_server.url("/"))
        baseline.sample(BASELINE_ROUNDS_AT_START)
        steps = Steps(processes, folder, baseline)
        articles = steps.articles_site()
        floor = steps.floor(articles.page)
        production_article = None
        if not production.same_as_measured:
            production_article = steps.article_with_worker_class(
                production.worker_class, production.threads
            )
        isso_get, isso_post, isso_rss = steps.isso()
        raw_inserts = steps.raw_inserts()
        small_queue, large_queue, queue_rss = steps.queue()

    return Results(
        production=production,
        baseline=baseline.measurement(),
        article=articles.article,
        nginx_article=articles.nginx_article,
        private_article=articles.private_article,
        long_article=articles.long_article,
        comment_posts=articles.comment_posts,
        lost_comments=articles.lost_comments,
        isso_get=isso_get,
        isso_post=isso_post,
        raw_inserts=raw_inserts,
        small_queue=small_queue,
        large_queue=large_queue,
        articles_site_rss_mb=articles.peak_worker_rss_mb,
        queue_site_rss_mb=queue_rss,
        baseline_rss_mb=baseline_server.peak_worker_rss_mb,
        isso_rss_mb=isso_rss,
        production_article=production_article,
        floor=floor,
        page_warnings=articles.warnings,
        load_average=(load_at_start, os.getloadavg()[0]),
        seconds=elapsed_seconds(),
    )


class Steps:
    """One method per server that takes load; each fills its database and measures it."""

    def __init__(self, processes: StartedProcesses, folder: Path, baseline: Baseline) -> None:
        self.processes = processes
        self.folder = folder
        self.baseline = baseline

    def measure(self, label: str, url: str, **options) -> Measurement:
        return measure(self.processes, label, url, baseline=self.baseline, **options)

    def articles_site(self) -> ArticlesSite:
        """(a) straight and through nginx, (a-private), (b) and (c) on one site."""
        site = self._site_with_articles("site")
        warnings = []
        with GunicornServer(self.processes, site.served(), self.folder) as server:
            page = readers.fetch_page(server.url(DEMO_PATH))
            say(f"the demo article shows {readers.comments_shown(page.html)} comments")
            warnings += _problems("(a) a new reader's page", readers.public_copy_problems(page))
            article = self.measure(
                f"demo article, {ARTICLE_COMMENTS} approved comments, new reader",
                server.url(DEMO_PATH),
            )
            nginx_article, nginx_warnings = self._through_nginx(server)
            warnings += nginx_warnings
            forms = readers.prepared_comment_forms(reader_comments(POSTING_READERS, seed=11))
            private_article, private_warnings = self._private_page(server, forms)
            warnings += private_warnings
            long_page = readers.check_page(server.url(f"/articles/{LONG_ARTICLE_SLUG}"))
            say(f"the long article shows {readers.comments_shown(long_page)} comments")
            long_article = self.measure(
                f"article, {LONG_ARTICLE_COMMENTS:,} approved comments",
                server.url(f"/articles/{LONG_ARTICLE_SLUG}"),
            )
            comment_posts, lost_comments = self._comment_posts(server, site, forms)
        return ArticlesSite(
            article=article,
            nginx_article=nginx_article,
            private_article=private_article,
            long_article=long_article,
            comment_posts=comment_posts,
            lost_comments=lost_comments,
            peak_worker_rss_mb=server.peak_worker_rss_mb,
            page=page.html,
            warnings=tuple(warnings),
        )

    def _through_nginx(self, server: GunicornServer) -> tuple[Measurement, list[str]]:
        """(a-nginx): deploy/nginx.conf's micro-caching in front of the same gunicorn."""
        say("(a-nginx): nginx with deploy/nginx.conf's settings in front of the same site")
        with NginxServer(self.processes, f"127.0.0.1:{server.port}", self.folder) as nginx:
            url = nginx.url(DEMO_PATH)
            readers.fetch_page(url)
            page = readers.fetch_page(url)
            warnings = _problems("(a-nginx) the page through nginx", readers.cached_problems(page))
            measured = self.measure("the same through nginx, micro-caching", url)
        return measured, warnings

    def _private_page(
        self, server: GunicornServer, forms: list[tuple[str, str]]
    ) -> tuple[Measurement, list[str]]:
        """(a-private): a reader whose comment awaits moderation, with their session cookie."""
        say(f"{POSTING_READERS} new readers ask {readers.FORM_STAMP_PATH} and comment once each")
        cookies = readers.first_comments(server.url(""), server.url(f"{DEMO_PATH}/comments"), forms)
        # The first visit after posting sends the session cookie again (Flask-Login marks
        # the session when it first looks at it); a browser sends that one from then on.
        _, cookie = readers.visit(server.url(DEMO_PATH), cookies[0])
        page, cookie = readers.visit(server.url(DEMO_PATH), cookie)
        warnings = _problems(
            "(a-private) the commenter's page", readers.private_page_problems(page)
        )
        measured = self.measure(
            "demo article, a reader with a comment awaiting moderation",
            server.url(DEMO_PATH),
            headers=[f"Cookie: {cookie}"],
        )
        return measured, warnings

    def floor(self, article_page: str) -> Floor:
        """The stack's least cost for the page (a) measured, and for a comment POST."""
        say("floor: the same page's bytes from a WSGI callable; a POST with a stamp and an insert")
        site = ProductSite(self.processes, "floor", self.folder / "floor")
        site.init_db()
        page_path = self.folder / "floor-page.html"
        page_path.write_text(article_page)
        served = ServedApp(
            name="floor",
            gunicorn=VIRTUALENV_BIN / "gunicorn",
            wsgi_app="bench.floor_app:app_from_environment()",
            environment={
                floor_app.PAGE_ENV: str(page_path),
                floor_app.DATABASE_ENV: str(site.database_path),
                floor_app.SLUG_ENV: DEMO_SLUG,
                floor_app.SECRET_KEY_ENV: site.environment["SECRET_KEY"],
            },
        )
        with GunicornServer(self.processes, served, self.folder) as server:
            page = self.measure("floor: the same page's bytes, a WSGI callable", server.url("/"))
            posts = self._stamped_posts(
                "floor: comment POST, a stamp check and an insert",
                server.url("/"),
                readers.prepared_comment_forms(reader_comments(POSTING_READERS, seed=11)),
                site.environment["SECRET_KEY"],
            )
        return Floor(page=page, posts=posts, peak_worker_rss_mb=server.peak_worker_rss_mb)

    def article_with_worker_class(self, worker_class: str, threads: int) -> Measurement:
        """(a) again, served with the production worker class instead of sync workers."""
        say(f"(a) with gunicorn.conf.py's worker class: {worker_class}, {threads} thread(s)")
        site = self._site_with_articles("production-class")
        settings = {"worker_class": worker_class, "threads": threads}
        with GunicornServer(
            self.processes, site.served(), self.folder, worker_settings=settings
        ) as server:
            return self.measure(f"(a) with {worker_class} workers", server.url(DEMO_PATH))

    def isso(self) -> tuple[Measurement, Measurement, float | None]:
        say(f"Isso: {ARTICLE_COMMENTS} published comments on the same thread")
        isso_folder = self.folder / "isso"
        isso_folder.mkdir()
        # Isso checks this address once at start-up; nothing listens there, which it only logs.
        settings = isso_peer.write_settings(isso_folder, f"http://127.0.0.1:{free_port()}/")
        title = "Thirty-Five Nations Gather in Paris"
        comments = reader_comments(ARTICLE_COMMENTS)
        isso_peer.seed(self.processes, settings, DEMO_PATH, title, comments)
        served = isso_peer.served(settings, DEMO_PATH)
        with GunicornServer(self.processes, served, self.folder) as server:
            thread_url = server.url(f"/?uri={DEMO_PATH}")
            with urllib.request.urlopen(thread_url, timeout=30) as answer:
                say(f"Isso's thread shows {len(json.load(answer)['replies'])} comments")
            get = self.measure(f"Isso GET, {ARTICLE_COMMENTS} comments", thread_url)
            posts = readers.prepared_isso_posts(reader_comments(POSTING_READERS, seed=11))
            isso_requests = _write_prepared(isso_folder / "isso-posts.tsv", posts)
            post = self._posts(
                "Isso POST of a new comment",
                server.url(f"/new?uri={DEMO_PATH}"),
                [str(isso_requests), "application/json"],
                posts[0],
                "application/json",
            )
        return get, post, server.peak_worker_rss_mb

    def raw_inserts(self):
        say("raw SQLite inserts: the reference for comment throughput")
        site = ProductSite(self.processes, "raw-sqlite", self.folder / "raw-sqlite")
        site.init_db()
        return measure_insert_rate(self.processes, site.database_path)

    def queue(self) -> tuple[Measurement, Measurement, float | None]:
        """(d): the same queue page with 1,000 and then 100,000 pending comments stored."""
        say(f"queue: init-db, a moderator, {SMALL_QUEUE:,} pending comments")
        site = ProductSite(self.processes, "queue", self.folder / "queue")
        site.init_db()
        site.create_moderator()
        app = fill.app_for(site.instance_path)
        fill.add_many_comments(app, DEMO_SLUG, SMALL_QUEUE, CommentStatus.PENDING)
        with GunicornServer(self.processes, site.served(), self.folder) as server:
            cookie = readers.logged_in_moderator_cookie(
                server.url(""), MODERATOR_NAME, MODERATOR_PASSWORD
            )
            queue_url = server.url("/moderation/")
            readers.check_page(queue_url, cookie)
            headers = [f"Cookie: {cookie}"]
            small = self.measure(
                f"queue, {SMALL_QUEUE:,} pending comments", queue_url, headers=headers
            )
            say(f"queue: adding {LARGE_QUEUE - SMALL_QUEUE:,} more pending comments")
            fill.add_many_comments(app, DEMO_SLUG, LARGE_QUEUE - SMALL_QUEUE, CommentStatus.PENDING)
            large = self.measure(
                f"queue, {LARGE_QUEUE:,} pending comments", queue_url, headers=headers
            )
        return small, large, server.peak_worker_rss_mb

    def _site_with_articles(self, name: str) -> ProductSite:
        say(
            f"{name}: init-db, {ARTICLE_COMMENTS} approved comments on the demo article, "
            f"{LONG_ARTICLE_COMMENTS:,} on a second one"
        )
        site = ProductSite(self.processes, name, self.folder / name)
        site.init_db()
        app = fill.app_for(site.instance_path)
        fill.add_comments(app, DEMO_SLUG, reader_comments(ARTICLE_COMMENTS), CommentStatus.APPROVED)
        fill.publish_copy_of_demo_article(app, LONG_ARTICLE_SLUG, "The Same Summit, Much Discussed")
        fill.add_many_comments(
            app, LONG_ARTICLE_SLUG, LONG_ARTICLE_COMMENTS, CommentStatus.APPROVED
        )
        return site

    def _comment_posts(
        self, server: GunicornServer, site: ProductSite, forms: list[tuple[str, str]]
    ) -> tuple[Measurement, LostComments]:
        """New readers' comments: no cookie, no token; each POST with a stamp of its own."""
        counted = {}

        def count_before_rounds() -> None:
            counted["before"] = site.comment_count()

        posts = self._stamped_posts(
            "comment POST, new reader, a stamp",
            server.url(f"{DEMO_PATH}/comments"),
            forms,
            site.environment["SECRET_KEY"],
            before_rounds=count_before_rounds,
        )
        lost = LostComments(
            answered=sum(posts.statuses.values()),
            accepted=posts.statuses.get(303, 0),
            stored=site.comment_count() - counted["before"],
        )
        say(f"comment POSTs: {lost.accepted} accepted, {lost.stored} stored, {lost.lost} lost")
        return posts, lost

    def _stamped_posts(
        self,
        label: str,
        url: str,
        forms: list[tuple[str, str]],
        secret_key: str,
        before_rounds=None,
    ) -> Measurement:
        """Every POST needs a stamp of its own (it is the comment's submission id), so the
        stamps are signed here as /comments/form-stamp signs them: fetching tens of thousands
        from the endpoint would time the endpoint, not the POST."""
        name = _file_name(label)
        prepared = _write_prepared(self.folder / f"{name}.tsv", forms)
        stamps = self.folder / f"{name}-stamps.txt"

        def arguments_with_new_stamps() -> list[str]:
            write_stamps(stamps, secret_key)
            return [str(prepared), FORM_CONTENT_TYPE, str(stamps), str(THREADS)]

        cookie, body = forms[0]
        return self._posts(
            label,
            url,
            arguments_with_new_stamps,
            (cookie, body.replace(STAMP_MARK, fresh_stamp(secret_key))),
            FORM_CONTENT_TYPE,
            before_rounds=before_rounds,
        )

    def _posts(
        self,
        label: str,
        url: str,
        script_arguments,
        one_request: tuple[str, str],
        content_type: str,
        before_rounds=None,
    ) -> Measurement:
        """POSTs by wrk's post_prepared.lua; its arguments: the prepared requests' file, their
        Content-Type and, for our comment form, a file of stamps and the thread count."""
        return self.measure(
            label,
            url,
            pacing=_post_pacing(url, one_request, content_type),
            before_rounds=before_rounds,
            lua_script="post_prepared.lua",
            script_arguments=script_arguments,
        )


def _baseline_app() -> ServedApp:
    return ServedApp(
        name="baseline",
        gunicorn=VIRTUALENV_BIN / "gunicorn",
        wsgi_app="bench.baseline_app:app",
        environment={},
    )


def _post_pacing(url: str, one_request: tuple[str, str], content_type: str) -> Pacing:
    cookie, body = one_request
    headers = [f"Content-Type: {content_type}", *([f"Cookie: {cookie}"] if cookie else [])]
    return pacing_for(seconds_per_request(url, headers, body.encode()))


def _file_name(label: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")


def _problems(what: str, problems: list[str]) -> list[str]:
    """Warnings for the table: a page that is not what its row claims to measure."""
    return [f"{what} is not what the row measures: {problem}." for problem in problems]


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
