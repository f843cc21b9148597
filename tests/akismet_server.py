"""A small server on loopback that speaks Akismet's documented protocol, for the tests.

POST, form-encoded, the key as `api_key` in the body (API 1.1): verify-key answers "valid"
or "invalid"; comment-check "true" (with `X-akismet-pro-tip: discard` for blatant spam) or
"false", or "invalid" for a key it does not know; submit-spam and submit-ham thank you.
"""

import threading
import time
from dataclasses import dataclass
from dataclasses import field
from http.server import BaseHTTPRequestHandler
from http.server import ThreadingHTTPServer
from urllib.parse import parse_qs

THANKS = "Thanks for making the web a better place."
VALID_KEY = "a-test-akismet-key"


@dataclass
class Received:
    path: str
    form: dict[str, str]


@dataclass
class AkismetBehaviour:
    """What the server answers; tests change it between requests."""

    # "ham", "spam" or "discard".
    verdict: str = "ham"
    # Any other status is answered with that error and no verdict.
    status: int = 200
    # Seconds before answering (longer than the site's timeout: a timeout).
    delay: float = 0
    # Cleared: each request waits until the test sets it again.
    gate: threading.Event = field(default_factory=threading.Event)
    received: list[Received] = field(default_factory=list)

    def __post_init__(self):
        self.gate.set()

    def paths(self) -> list[str]:
        return [request.path for request in self.received]


class AkismetHandler(BaseHTTPRequestHandler):
    behaviour: AkismetBehaviour

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        fields = parse_qs(self.rfile.read(length).decode("utf-8"), keep_blank_values=True)
        behaviour = self.server.behaviour
        behaviour.received.append(Received(self.path, {k: v[0] for k, v in fields.items()}))
        behaviour.gate.wait(10)
        if behaviour.delay:
            time.sleep(behaviour.delay)
        if behaviour.status != 200:
            self.send_error(behaviour.status)
            return
        # The key is `api_key` in the body; verify-key also takes the older name, `key`.
        key = fields.get("api_key") or fields.get("key") or [""]
        key_valid = key[0] == VALID_KEY
        headers = {}
        if self.path == "/1.1/verify-key":
            text = "valid" if key_valid else "invalid"
        elif not key_valid:
            text = "invalid"
        elif self.path == "/1.1/comment-check":
            text = "false" if behaviour.verdict == "ham" else "true"
            if behaviour.verdict == "discard":
                headers["X-akismet-pro-tip"] = "discard"
        elif self.path in ("/1.1/submit-spam", "/1.1/submit-ham"):
            text = THANKS
        else:
            self.send_error(404)
            return
        body = text.encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):
        pass


class AkismetServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), AkismetHandler)
        self.behaviour = AkismetBehaviour()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def __enter__(self):
        threading.Thread(target=self.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exception):
        self.behaviour.gate.set()
        self.shutdown()
        self.server_close()
