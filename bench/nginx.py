"""nginx in front of the site, with the repo's own deploy/nginx.conf, for row (a-nginx).

The benchmark does not keep a copy of the micro-caching settings that could drift from what
newsrooms deploy: it reads deploy/nginx.conf and changes only what a loopback run must
(no TLS, no port-80 redirect, the upstream's address, a cache folder in the run's temporary
folder, the static folder of this checkout), then wraps it in the few main-level lines Debian's
/etc/nginx/nginx.conf gives every site (all but `tcp_nopush`; see main_configuration).
nginx runs as a child process (`daemon off`) with its own prefix folder, stopped by its PID
like every other server.
"""

import os
import pwd
import re
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import replace
from pathlib import Path

from app import PROJECT_ROOT
from bench.gunicorn_servers import free_port
from bench.processes import StartedProcesses
from bench.processes import children_of

DEPLOYED_CONFIG = PROJECT_ROOT / "deploy" / "nginx.conf"
DEBIAN_PACKAGE = "nginx-light"
READY_TIMEOUT_SECONDS = 30
MIME_TYPES = Path("/etc/nginx/mime.types")
# Its own temporary folders: the compiled-in ones (/var/lib/nginx) belong to the system's nginx.
TEMP_PATHS = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
_TOKEN = re.compile(r"""\s+|#[^\n]*|"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|[;{}]|[^\s;{}"'#]+""")


@dataclass(frozen=True)
class Directive:
    name: str
    arguments: tuple[str, ...] = ()
    # The directives inside its { } block, or None for a simple `name arguments;`.
    block: tuple["Directive", ...] | None = None


def parse(text: str) -> tuple[Directive, ...]:
    """nginx's configuration syntax, as much of it as deploy/nginx.conf uses (no comments kept)."""
    tokens = [token for token in _TOKEN.findall(text) if token.strip() and token[0] != "#"]
    directives, rest = _parse_block(tokens, 0)
    if rest != len(tokens):
        raise ValueError("an unmatched '}' in the nginx configuration")
    return directives


def _parse_block(tokens: list[str], position: int) -> tuple[tuple[Directive, ...], int]:
    directives = []
    while position < len(tokens) and tokens[position] != "}":
        words = []
        while position < len(tokens) and tokens[position] not in {";", "{", "}"}:
            words.append(tokens[position])
            position += 1
        if position == len(tokens) or tokens[position] == "}" or not words:
            raise ValueError(f"an unfinished nginx directive: {' '.join(words)!r}")
        if tokens[position] == ";":
            directives.append(Directive(words[0], tuple(words[1:])))
            position += 1
            continue
        block, position = _parse_block(tokens, position + 1)
        if position == len(tokens):
            raise ValueError(f"the block of {words[0]!r} is never closed")
        directives.append(Directive(words[0], tuple(words[1:]), block))
        position += 1
    return tuple(directives), position


def render(directives: Sequence[Directive], depth: int = 0) -> str:
    indent = "    " * depth
    lines = []
    for directive in directives:
        head = " ".join((directive.name, *directive.arguments))
        if directive.block is None:
            lines.append(f"{indent}{head};")
        else:
            lines.append(f"{indent}{head} {{")
            lines.append(render(directive.block, depth + 1).rstrip("\n"))
            lines.append(f"{indent}}}")
    return "\n".join(line for line in lines if line) + "\n"


def walk(directives: Sequence[Directive]) -> Iterator[Directive]:
    for directive in directives:
        yield directive
        if directive.block is not None:
            yield from walk(directive.block)


def site_location(directives: Sequence[Directive]) -> Directive:
    """`location /`, where the site's proxying and caching are set."""
    for directive in walk(directives):
        if directive.name == "location" and directive.arguments == ("/",):
            return directive
    raise LookupError("deploy/nginx.conf has no `location /`")


def loopback_site(
    deployed: Sequence[Directive], *, port: int, upstream: str, cache_folder: Path
) -> tuple[Directive, ...]:
    """deploy/nginx.conf on 127.0.0.1:PORT over plain HTTP, in front of UPSTREAM (host:port)."""
    changed = []
    for directive in deployed:
        if directive.name == "proxy_cache_path":
            _, *options = directive.arguments
            changed.append(replace(directive, arguments=(str(cache_folder), *options)))
        elif directive.name == "upstream":
            changed.append(replace(directive, block=_pointed_at(directive.block, upstream)))
        elif directive.name == "server" and _serves_tls(directive):
            changed.append(replace(directive, block=_without_tls(directive.block, port)))
        elif directive.name == "server":
            continue  # The redirect from port 80 to HTTPS.
        else:
            changed.append(directive)
    return tuple(changed)


def _pointed_at(block: Sequence[Directive], upstream: str) -> tuple[Directive, ...]:
    kept = [directive for directive in block if directive.name != "server"]
    return (Directive("server", (upstream,)), *kept)


def _serves_tls(server: Directive) -> bool:
    return any(d.name == "listen" and "ssl" in d.arguments for d in server.block)


def _without_tls(block: Sequence[Directive], port: int) -> tuple[Directive, ...]:
    changed = [Directive("listen", (f"127.0.0.1:{port}",))]
    for directive in block:
        if directive.name == "listen" or directive.name.startswith("ssl_"):
            continue
        if directive.name == "location" and directive.arguments == ("/static/",):
            directive = replace(directive, block=_static_from_checkout(directive.block))
        changed.append(directive)
    return tuple(changed)


def _static_from_checkout(block: Sequence[Directive]) -> tuple[Directive, ...]:
    static = f"{PROJECT_ROOT / 'static'}/"
    return tuple(
        Directive("alias", (static,)) if directive.name == "alias" else directive
        for directive in block
    )


def main_configuration(prefix: Path, site: Sequence[Directive]) -> str:
    """The main-level lines of Debian's nginx.conf (but one), this run's paths, and the site."""
    http = [
        *([Directive("include", (str(MIME_TYPES),))] if MIME_TYPES.is_file() else []),
        Directive("default_type", ("application/octet-stream",)),
        Directive("sendfile", ("on",)),
        # Not Debian's `tcp_nopush on`: on loopback one TCP segment holds 64 KB, so the end of
        # a ~66 KB page waits corked for the client's delayed ACK, 40 ms a request (measured:
        # ~380 req/s instead of ~8,600). Over a network card's 1.5 KB segments it costs nothing.
        *(Directive(f"{name}_temp_path", (str(prefix / name),)) for name in TEMP_PATHS),
        *site,
    ]
    main = [
        *_workers_as_this_user(),
        Directive("worker_processes", ("auto",)),
        Directive("pid", (str(prefix / "nginx.pid"),)),
        Directive("error_log", (str(prefix / "error.log"), "warn")),
        Directive("events", (), (Directive("worker_connections", ("768",)),)),
        Directive("http", (), tuple(http)),
    ]
    return "# Written by the benchmark from deploy/nginx.conf.\n" + render(main)


def _workers_as_this_user() -> list[Directive]:
    """Started by root, nginx's workers would become `nobody`, who cannot enter the run's
    private temporary folder; they run as the benchmark's user, as they do for anyone else."""
    if os.geteuid() != 0:
        return []
    return [Directive("user", (pwd.getpwuid(os.geteuid()).pw_name,))]


def installed() -> str | None:
    # A user's PATH often leaves /usr/sbin out.
    in_sbin = Path("/usr/sbin/nginx")
    return shutil.which("nginx") or (str(in_sbin) if in_sbin.is_file() else None)


def ensure_installed() -> str:
    """nginx's path, installing Debian's nginx-light first if it is missing."""
    found = installed()
    if found:
        return found
    print(f"bench: nginx is missing; installing Debian's {DEBIAN_PACKAGE}", file=sys.stderr)
    as_root = [] if os.geteuid() == 0 else ["sudo"]
    subprocess.run([*as_root, "apt-get", "update"], check=True, stdout=subprocess.DEVNULL)
    subprocess.run(
        [*as_root, "apt-get", "install", "-y", DEBIAN_PACKAGE],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    found = installed()
    if not found:
        raise RuntimeError(f"apt-get installed {DEBIAN_PACKAGE}, but nginx is not found")
    return found


class NginxServer:
    """nginx with deploy/nginx.conf's settings in front of one app server, on loopback."""

    def __init__(self, processes: StartedProcesses, upstream: str, folder: Path) -> None:
        self.processes = processes
        self.upstream = upstream
        self.prefix = folder / "nginx"
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    @property
    def config_path(self) -> Path:
        return self.prefix / "nginx.conf"

    def write_config(self) -> Path:
        self.prefix.mkdir(parents=True, exist_ok=True)
        for name in (*TEMP_PATHS, "cache"):
            (self.prefix / name).mkdir(exist_ok=True)
        site = loopback_site(
            parse(DEPLOYED_CONFIG.read_text()),
            port=self.port,
            upstream=self.upstream,
            cache_folder=self.prefix / "cache",
        )
        self.config_path.write_text(main_configuration(self.prefix, site))
        return self.config_path

    def __enter__(self) -> "NginxServer":
        nginx = ensure_installed()
        self.write_config()
        command = [
            nginx,
            "-p",
            f"{self.prefix}/",
            "-e",
            str(self.prefix / "error.log"),
            "-c",
            str(self.config_path),
            "-g",
            "daemon off;",
        ]
        self.processes.run([*command, "-t", "-q"])
        self.process = self.processes.start(command, log_path=self.prefix / "nginx-output.log")
        self._wait_until_ready()
        return self

    def __exit__(self, *exc_info) -> None:
        if self.process is None:
            return
        self.processes.note_offspring(self.process, children_of(self.process.pid))
        self.processes.stop(self.process)

    def _wait_until_ready(self) -> None:
        deadline = time.monotonic() + READY_TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            if self._answers() and children_of(self.process.pid):
                self.processes.note_offspring(self.process, children_of(self.process.pid))
                return
            time.sleep(0.2)
        log = self.prefix / "error.log"
        tail = log.read_text(errors="replace")[-3000:] if log.is_file() else ""
        raise RuntimeError(f"nginx did not start:\n{tail}")

    def _answers(self) -> bool:
        try:
            with urllib.request.urlopen(self.url("/healthz"), timeout=5):
                return True
        except urllib.error.HTTPError as error:
            return error.code < 500
        except OSError:
            return False
