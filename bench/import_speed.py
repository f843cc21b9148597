"""`python -m bench.import_speed`: how fast `import-comments` reads a big WordPress export.

Writes a WXR file of 100,000 comments (1,000 posts of 100, with replies, every status, some
pingbacks, IPv4-mapped addresses and hostile bodies) into a temporary folder, imports it
with the real command into a fresh SQLite site in another process, and prints comments per
second and that process's peak resident memory. Targets: at least 5,000 comments/s and
under 200 MB. The file is made here each time, never kept in the repository.
"""

import argparse
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from bench.comment_texts import reader_comments

PROJECT_ROOT = Path(__file__).resolve().parent.parent
TARGET_COMMENTS_PER_SECOND = 5_000
TARGET_PEAK_MEGABYTES = 200
HOSTILE_BODY = '<script>alert(1)</script><a href="javascript:alert(2)" onclick="x()">hi</a>'
STATUSES = ["1"] * 90 + ["0"] * 5 + ["spam"] * 3 + ["trash"] * 2


def write_wxr(path: Path, comments: int, per_post: int = 100, seed: int = 16) -> None:
    """A WXR 1.2 file shaped like a newsroom's: replies, statuses, pingbacks, odd fields."""
    chooser = random.Random(seed)
    readers = reader_comments(comments, seed)
    with path.open("w", encoding="utf-8") as out:
        out.write(
            '<?xml version="1.0" encoding="UTF-8" ?>\n<rss version="2.0"'
            ' xmlns:content="http://purl.org/rss/1.0/modules/content/"'
            ' xmlns:dc="http://purl.org/dc/elements/1.1/"'
            ' xmlns:wp="http://wordpress.org/export/1.2/">\n<channel>\n'
            "<wp:wxr_version>1.2</wp:wxr_version>\n"
            "<wp:base_site_url>https://bench.example.com</wp:base_site_url>\n"
        )
        for post in range(comments // per_post):
            post_id = post + 1
            out.write(
                f"<item><title>Story {post_id}</title>"
                f"<link>https://bench.example.com/{post_id}/story-{post_id}/</link>"
                f"<content:encoded><![CDATA[Story {post_id}.\n\nSecond paragraph.]]>"
                f"</content:encoded><wp:post_id>{post_id}</wp:post_id>"
                "<wp:post_date_gmt>2025-01-01 09:00:00</wp:post_date_gmt>"
                f"<wp:comment_status>open</wp:comment_status>"
                f"<wp:post_name>story-{post_id}</wp:post_name><wp:status>publish</wp:status>"
                "<wp:post_type>post</wp:post_type>\n"
            )
            for number in range(1, per_post + 1):
                reader = readers[post * per_post + number - 1]
                # Every third comment answers the one before it: threads two and more deep.
                parent = number - 1 if number % 3 == 0 else 0
                body = HOSTILE_BODY if number == 50 else reader.body
                address = f"::ffff:198.51.{number % 256}.{post % 256}"
                out.write(_comment(number, reader, body, address, chooser.choice(STATUSES), parent))
            out.write(_comment(9999, readers[0], "[...] linked here", "", "1", 0, "pingback"))
            out.write("</item>\n")
        out.write("</channel>\n</rss>\n")


def _comment(number, reader, body, address, status, parent, kind="comment") -> str:
    minute, second = divmod(number, 60)
    return (
        f"<wp:comment><wp:comment_id>{number}</wp:comment_id>"
        f"<wp:comment_author><![CDATA[{reader.name}]]></wp:comment_author>"
        f"<wp:comment_author_email>{escape(reader.email)}</wp:comment_author_email>"
        f"<wp:comment_author_url>{escape(reader.website or '')}</wp:comment_author_url>"
        f"<wp:comment_author_IP>{address}</wp:comment_author_IP>"
        f"<wp:comment_date_gmt>2025-01-02 10:{minute:02d}:{second:02d}</wp:comment_date_gmt>"
        f"<wp:comment_content><![CDATA[{body}]]></wp:comment_content>"
        f"<wp:comment_approved>{status}</wp:comment_approved>"
        f"<wp:comment_type>{kind}</wp:comment_type>"
        f"<wp:comment_parent>{parent}</wp:comment_parent></wp:comment>\n"
    )


def environment_for(folder: Path) -> dict[str, str]:
    return {
        **os.environ,
        "FLASK_INSTANCE_PATH": str(folder / "instance"),
        "SECRET_KEY": "bench-import-speed-only",
        "DATABASE_URL": "",
    }


def flask(folder: Path, *arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", *arguments],
        cwd=PROJECT_ROOT,
        env=environment_for(folder),
        capture_output=True,
        text=True,
        check=True,
    )


@dataclass
class Measured:
    seconds: float
    output: str
    # The import and its workers together, sampled as it runs: the sum of their resident
    # sets (forked workers share pages with the importer, so this counts those twice or
    # more) and of their proportional sets (each shared page split among its sharers).
    peak_rss_mb: float
    peak_pss_mb: float
    cpu_seconds: float


def timed_import(folder: Path, export: Path, *options: str) -> Measured:
    command = [sys.executable, "-m", "flask", "--app", "wsgi", "import-comments", str(export)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    with (
        tempfile.TemporaryFile("w+") as output,
        subprocess.Popen(
            [*command, *options],
            cwd=PROJECT_ROOT,
            env=environment_for(folder),
            stdout=output,
            stderr=subprocess.STDOUT,
            text=True,
        ) as process,
    ):
        peak_rss = peak_pss = 0.0
        while process.poll() is None:
            rss, pss = tree_memory_mb(process.pid)
            peak_rss, peak_pss = max(peak_rss, rss), max(peak_pss, pss)
            time.sleep(0.05)
        seconds = time.perf_counter() - started
        output.seek(0)
        text = output.read()
    if process.returncode:
        raise SystemExit(f"import-comments failed ({process.returncode}):\n{text}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Measured(seconds, text, peak_rss, peak_pss, cpu)


def tree_memory_mb(root: int) -> tuple[float, float]:
    """Resident and proportional set sizes of a process and its descendants, in MB."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                # The parent's pid follows the command's name, which may hold spaces.
                fields = (entry / "stat").read_text().rpartition(")")[2].split()
            except OSError:
                continue
            children.setdefault(int(fields[1]), []).append(int(entry.name))
    rss = pss = 0
    waiting = [root]
    while waiting:
        pid = waiting.pop()
        waiting += children.get(pid, [])
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Rss:"):
                    rss += int(line.split()[1])
                elif line.startswith("Pss:"):
                    pss += int(line.split()[1])
        except OSError:
            continue
    return rss / 1024, pss / 1024


def floors(export: Path, sample: int = 2_000) -> tuple[float, float]:
    """Comments per second one core (a) cleans with clean_comment and (b) prepares (clean
    plus the field rules: email, name, website, IP), on the file's own first comments: the
    work no arrangement of processes makes smaller. CPU time, so other load counts less."""
    from zoneinfo import ZoneInfo

    from app.porting.preparation import prepared_comments
    from app.porting.records import SourceComment
    from app.porting.wxr import read_wxr
    from app.sanitize import clean_comment

    comments = []
    with export.open("rb") as stream:
        for record in read_wxr(stream, ZoneInfo("UTC"), include_pages=False):
            if isinstance(record, SourceComment) and record.kind == "comment":
                comments.append(record)
                if len(comments) == sample:
                    break
    clean_comment(comments[0].body)
    prepared_comments(comments[:1], clean=True)
    started = time.process_time()
    for comment in comments:
        clean_comment(comment.body)
    cleaning = len(comments) / (time.process_time() - started)
    started = time.process_time()
    prepared_comments(comments, clean=True)
    preparing = len(comments) / (time.process_time() - started)
    return cleaning, preparing


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--comments", type=int, default=100_000)
    parser.add_argument(
        "--workers",
        type=int,
        action="append",
        help="Import with this many workers (repeatable, each into a fresh site); "
        "default: the command's own default.",
    )
    options = parser.parse_args(argv)
    cores = len(os.sched_getaffinity(0))
    print(f"{cores} cores; load average at start {load_average()}")
    runs = []
    with tempfile.TemporaryDirectory(prefix="import-speed-") as temporary:
        folder = Path(temporary)
        export = folder / "wordpress.xml"
        write_wxr(export, options.comments)
        megabytes = export.stat().st_size / 1_000_000
        print(f"Wrote {options.comments:,} comments ({megabytes:.1f} MB) to {export}")
        for workers in options.workers or [None]:
            site = folder / f"site-{len(runs)}"
            site.mkdir()
            flask(site, "init-db")
            arguments = () if workers is None else ("--workers", str(workers))
            measured = timed_import(site, export, *arguments)
            runs.append((workers, measured))
            print(next((line for line in measured.output.splitlines() if "Imported" in line), ""))
        cleaning, preparing = floors(export)
    met = True
    for workers, measured in runs:
        rate = options.comments / measured.seconds
        label = "default workers" if workers is None else f"--workers {workers}"
        print(
            f"Imported {options.comments:,} comments ({label}) in {measured.seconds:.1f} s "
            f"(process start included): {rate:,.0f} comments/s "
            f"(target >= {TARGET_COMMENTS_PER_SECOND:,}); "
            f"peak memory of the import and its workers: {measured.peak_pss_mb:.0f} MB PSS "
            f"(target < {TARGET_PEAK_MEGABYTES}), {measured.peak_rss_mb:.0f} MB summed RSS; "
            f"CPU {measured.cpu_seconds:.1f} s, "
            f"{1000 * measured.cpu_seconds / options.comments:.2f} ms a comment"
        )
        met = met and rate >= TARGET_COMMENTS_PER_SECOND
        # Against the proportional sum: the physical memory the import holds. The summed
        # resident sets count each page the workers share with the importer once per process.
        met = met and measured.peak_pss_mb < TARGET_PEAK_MEGABYTES
    cpu_per_comment = min(measured.cpu_seconds for _, measured in runs) / options.comments
    print(
        f"Floor (CPU time, one core): clean_comment alone cleans {cleaning:,.0f} comments/s of "
        f"this file; cleaning plus the field rules, {preparing:,.0f}/s. On {cores} otherwise "
        f"idle cores that work alone caps an import at {preparing * cores:,.0f}/s; the whole "
        f"import took {1000 * cpu_per_comment:.2f} ms of CPU a comment (parse, place, insert, "
        f"commit included), which caps it at {cores / cpu_per_comment:,.0f}/s."
    )
    print(f"Load average at end {load_average()} (other processes share these cores).")
    print("Targets met." if met else "Targets NOT met.")
    return 0 if met else 1


def load_average() -> str:
    return ", ".join(f"{value:.2f}" for value in os.getloadavg())


if __name__ == "__main__":
    sys.exit(main())
