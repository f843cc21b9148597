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


def flask(folder: Path, *arguments: str) -> subprocess.CompletedProcess:
    environment = {
        **os.environ,
        "FLASK_INSTANCE_PATH": str(folder / "instance"),
        "SECRET_KEY": "bench-import-speed-only",
        "DATABASE_URL": "",
    }
    return subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", *arguments],
        cwd=PROJECT_ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--comments", type=int, default=100_000)
    options = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="import-speed-") as temporary:
        folder = Path(temporary)
        export = folder / "wordpress.xml"
        write_wxr(export, options.comments)
        megabytes = export.stat().st_size / 1_000_000
        print(f"Wrote {options.comments:,} comments ({megabytes:.1f} MB) to {export}")
        flask(folder, "init-db")
        started = time.perf_counter()
        result = flask(folder, "import-comments", str(export))
        seconds = time.perf_counter() - started
        # The largest resident set of any child waited for so far: the import (init-db is
        # smaller, and both are measured the same way).
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(result.stdout.splitlines()[0] if result.stdout else "")
    rate = options.comments / seconds
    print(
        f"Imported {options.comments:,} comments in {seconds:.1f} s (process start included): "
        f"{rate:,.0f} comments/s (target >= {TARGET_COMMENTS_PER_SECOND:,}); "
        f"peak RSS {peak:.0f} MB (target < {TARGET_PEAK_MEGABYTES})"
    )
    met = rate >= TARGET_COMMENTS_PER_SECOND and peak < TARGET_PEAK_MEGABYTES
    print("Targets met." if met else "Targets NOT met.")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
