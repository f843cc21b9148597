"""What the filter looks at in a comment, as plain feature strings, then as keyed hashes.

Every feature is stored only as a keyed hash (BLAKE2b keyed with a key derived from the
site's SECRET_KEY): the counts table can say how often a feature came with spam, but not
which word, name or domain it was, and nobody without the secret can test a guess.
"""

import hashlib
import hmac
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

# Raise it whenever what features_of or hashed gives for a comment changes: `init-db` then
# learns every decision again (features_fingerprint), so old and new hashes never share counts.
# 2: addresses typed without http:// or www. count as links.
FEATURES_VERSION = 2
# Reserved for the row of totals (messages learned as spam and as good); no feature hashes to it.
TOTALS_HASH = 0
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"']+", re.IGNORECASE)
# An address typed without http:// or www. ("murdev.com", "gofundme.com/x"): spam spells
# its links that way as often as not. Only endings that are no English word, so that
# "love.it" or "call.me" typed without a space stays two words. At most four labels of at
# most 63 characters (as in DNS): unbounded, "a.a.a.…" took 0.7 s on 5,000 characters.
_BARE_ADDRESS = re.compile(
    r"\b(?:[a-z0-9-]{1,63}\.){1,4}"
    r"(?:com|net|org|info|biz|io|co|tv|ly|gl|uk|de|fr|es|nl|pl|ro|ru|br|ca|au)"
    r"\b(?:/[^\s<>\"']*)?",
    re.IGNORECASE,
)
_LINK_WORD = re.compile(r"[a-z]+")
MOST_LINK_WORDS = 20
# Longer "words" are mostly run-together junk; SpamBayes found their length says enough.
LONGEST_WORD = 20
# A comment's text is bounded by the form, but scoring must stay cheap whatever arrives.
MOST_WORDS = 400
# A longer word also counts by its first letters, a crude stem: "subscribers", "subscribe"
# and "subscribed" share "subsc". On the shared YouTube data 5 letters lifted the spam caught
# by 1.6 to 2.8 points at the same share of good comments held; 4 held more good, 6 caught less.
STEM_LENGTH = 5


@dataclass(frozen=True)
class CommentText:
    """The parts of a comment the filter reads."""

    body: str
    name: str = ""
    email: str = ""
    website: str = ""


def features_of(comment: CommentText) -> list[str]:
    """Distinct features, prefixed by kind so a word and a name never share a count."""
    body = _fold(comment.body)
    urls = _URL.findall(body)
    rest = _URL.sub(" ", body)
    urls += _BARE_ADDRESS.findall(rest)
    words = _words(_BARE_ADDRESS.sub(" ", rest))[:MOST_WORDS]
    found = [f"word:{word}" for word in words]
    found += [f"pair:{first} {second}" for first, second in zip(words, words[1:], strict=False)]
    found += [f"stem:{word[:STEM_LENGTH]}" for word in words if len(word) > STEM_LENGTH]
    found += _link_features(urls)
    name = " ".join(_words(_fold(comment.name)))
    if name:
        found.append(f"name:{name}")
    if comment.email and "@" in comment.email:
        found.append(f"email-domain:{_fold(comment.email).rpartition('@')[2]}")
    if comment.website and (domain := _domain(_fold(comment.website))):
        found.append(f"website-domain:{domain}")
    return list(dict.fromkeys(found))


def feature_key(secret_key: str | bytes) -> bytes:
    """A key for the features only, so the site's secret itself is never used twice."""
    secret = secret_key.encode() if isinstance(secret_key, str) else secret_key
    return hmac.new(secret, b"spam-filter-features", hashlib.sha256).digest()


def features_fingerprint(key: bytes) -> int:
    """Changes with FEATURES_VERSION and with the key; reveals neither."""
    return hashed([f"features-version:{FEATURES_VERSION}"], key)[0]


def hashed(features: Iterable[str], key: bytes) -> list[int]:
    """Signed 64-bit keyed hashes (a BIGINT on every database), never TOTALS_HASH."""
    hashes = []
    for feature in features:
        digest = hashlib.blake2b(feature.encode(), key=key, digest_size=8).digest()
        hashes.append(int.from_bytes(digest, "big", signed=True) or 1)
    return list(dict.fromkeys(hashes))


def _link_features(urls: list[str]) -> list[str]:
    """Domains, their last part, and the words of the address: measured on the shared
    YouTube data, words of the address ("ref", "channel", "watch") carry spam from one
    site's comments to another's better than the domains alone."""
    found = [f"links:{min(len(urls), 3)}"]
    for url in urls:
        domain = _domain(url)
        if domain:
            found += [f"link:{domain}", f"link-ending:{domain.rpartition('.')[2]}"]
        address = url.partition("//")[2] or url
        found += [f"link-word:{word}" for word in _LINK_WORD.findall(address)[:MOST_LINK_WORDS]]
    return found


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def _words(text: str) -> list[str]:
    words = []
    for word in _WORD.findall(text):
        words.append(word if len(word) <= LONGEST_WORD else f"long:{len(word) // 10 * 10}")
    return words


def _domain(url: str) -> str:
    address = url if "://" in url else f"http://{url}"
    try:
        host = urlsplit(address).hostname or ""
    except ValueError:
        return ""
    return host.removeprefix("www.").rstrip(".")
