"""Which format a file is in, and the reader for each."""

from collections.abc import Iterator
from datetime import tzinfo
from pathlib import Path
from typing import BinaryIO

from app.porting.disqus import read_disqus
from app.porting.jsonl import read_json_lines
from app.porting.records import ImportFileError
from app.porting.records import Record
from app.porting.wxr import read_wxr

IMPORT_FORMATS = ("wordpress", "disqus", "json")
EXPORT_FORMATS = ("wordpress", "json")
# Enough of a file to see its root element and namespaces.
SNIFF_BYTES = 64 * 1024


def detect_format(path: Path) -> str:
    with path.open("rb") as stream:
        head = stream.read(SNIFF_BYTES).decode("utf-8", errors="replace")
    if head.lstrip("\ufeff \t\r\n").startswith("{"):
        return "json"
    if "wordpress.org/export/" in head:
        return "wordpress"
    if "<disqus" in head:
        return "disqus"
    raise ImportFileError(
        "this is not a WordPress (WXR), Disqus or JSON Lines export we recognise; "
        "name its format with --format"
    )


def read_records(
    file_format: str, stream: BinaryIO, site_timezone: tzinfo, include_pages: bool
) -> Iterator[Record]:
    if file_format == "wordpress":
        return read_wxr(stream, site_timezone, include_pages)
    if file_format == "disqus":
        return read_disqus(stream)
    return read_json_lines(stream)


class CountingReader:
    """A file that knows how far it has been read: for the progress bar, and to say where
    an import stopped. Parsers read ahead in blocks, so it is a position to the block."""

    def __init__(self, stream: BinaryIO):
        self.stream = stream
        self.position = 0

    def read(self, size: int = -1) -> bytes:
        data = self.stream.read(size)
        self.position += len(data)
        return data

    def __iter__(self) -> Iterator[bytes]:
        for line in self.stream:
            self.position += len(line)
            yield line
