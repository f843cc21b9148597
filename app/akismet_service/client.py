"""The only module that imports the akismet package, and httpx, its HTTP client.

The package sends every request to https://rest.akismet.com; it takes an httpx client of our
own, which sets the timeout and, for the tests' local server, sends the same requests to
AKISMET_API_URL instead. Its failures come out as one exception whose `kind` is safe to log:
the package's own messages can quote the key or Akismet's answer.
"""

import akismet
import httpx

from app.models import AkismetVerdict

REAL_API_URL = "https://rest.akismet.com"
VERDICTS = {
    akismet.CheckResponse.HAM: AkismetVerdict.HAM,
    akismet.CheckResponse.SPAM: AkismetVerdict.SPAM,
    akismet.CheckResponse.DISCARD: AkismetVerdict.DISCARD,
}


class AkismetFailed(Exception):
    """Akismet gave no usable answer; `kind` says why, without the key or what was sent."""

    def __init__(self, kind: str):
        super().__init__(kind)
        self.kind = kind


class RebasedTransport(httpx.HTTPTransport):
    """Sends requests addressed to Akismet to another server (scheme, host and port)."""

    def __init__(self, base_url: str):
        super().__init__()
        self.base = httpx.URL(base_url)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.url = request.url.copy_with(
            scheme=self.base.scheme, host=self.base.host, port=self.base.port
        )
        request.headers["Host"] = self.base.netloc.decode("ascii")
        return super().handle_request(request)


class AkismetService:
    """One connection to Akismet for a run of the background thread."""

    def __init__(self, config):
        api_url = config["AKISMET_API_URL"].rstrip("/")
        self.http_client = httpx.Client(
            headers={"User-Agent": akismet.USER_AGENT},
            timeout=float(config["AKISMET_TIMEOUT_SECONDS"]),
            transport=None if api_url == REAL_API_URL else RebasedTransport(api_url),
        )
        self.client = akismet.SyncClient(
            config=akismet.Config(key=config["AKISMET_API_KEY"], url=config["SITE_URL"]),
            http_client=self.http_client,
        )

    def __enter__(self) -> "AkismetService":
        return self

    def __exit__(self, *exception) -> None:
        self.http_client.close()

    def verify_key(self) -> bool:
        try:
            return self.client.verify_key()
        except akismet.AkismetError as error:
            raise AkismetFailed(kind_of(error)) from error

    def check(self, user_ip: str, arguments: dict[str, str]) -> AkismetVerdict:
        try:
            return VERDICTS[self.client.comment_check(user_ip, **arguments)]
        except akismet.AkismetError as error:
            raise AkismetFailed(kind_of(error)) from error

    def report(self, user_ip: str, arguments: dict[str, str], as_spam: bool) -> None:
        submit = self.client.submit_spam if as_spam else self.client.submit_ham
        try:
            submit(user_ip, **arguments)
        except akismet.AkismetError as error:
            raise AkismetFailed(kind_of(error)) from error


def kind_of(error: Exception) -> str:
    if isinstance(error, akismet.APIKeyError):
        return "the key or SITE_URL was refused"
    if isinstance(error, akismet.RequestError):
        # The package's own fixed words: "Akismet timed out.", "... error status: 500".
        return f"{type(error).__name__}: {error}"
    return type(error).__name__
