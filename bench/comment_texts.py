"""What the benchmark's readers write: varied, realistic comment bodies, the same for every server.

Bodies come from a fixed pool, so filling 100,000 rows cleans only a few dozen distinct texts.
"""

import random
from dataclasses import dataclass

OPENINGS = [
    "I was in Paris for work that week and the mood around the summit was tense.",
    "Good reporting, but the piece skips over who actually pays for any of this.",
    "The coalition keeps promising concrete commitments and delivering communiqués.",
    "My brother served in a peacekeeping mission and he would tell you it is never simple.",
    "Thirty-five countries is a lot of signatures for something nobody has defined yet.",
    "This is the first article I have read that explains the troop question clearly.",
    "Deterrence only works if the other side believes you will follow through.",
    "I would like to see a map of where these troops would actually be based.",
]
MIDDLES = [
    "The history of security guarantees in Europe is not encouraging: Budapest 1994 comes "
    "to mind, and so does every ceasefire line that was meant to be temporary.",
    "Parliaments will have to vote on any deployment, and several of them are already "
    "split on much smaller questions.",
    "Air defence and intelligence sharing seem far more realistic than boots on the ground, "
    "at least in the first year.",
    "The article mentions monitoring, but monitoring without a mandate to act is just watching.",
    "Nobody in the comments seems to mention the cost of rebuilding, which dwarfs the cost "
    "of any guarantee.",
    "It matters a great deal whether the guarantee is written down or just announced at a "
    "press conference.",
]
CLOSINGS = [
    "Looking forward to the follow-up piece.",
    "Background reading: https://www.example.org/analysis/security-guarantees",
    "Would a *written* treaty change anything?",
    "Thanks for keeping the at-a-glance box short.",
    "We will see what the next summit brings.",
    "Source for the figures, please? https://www.example.org/data",
]
FIRST_NAMES = ["Ada", "Basile", "Chiara", "Dmytro", "Elena", "Farid", "Greta", "Hugo", "Ines"]
LAST_NAMES = ["Lovell", "Marchand", "Rossi", "Kovalenko", "Novak", "Haddad", "Berg", "Silva"]


@dataclass(frozen=True)
class ReaderComment:
    name: str
    email: str
    website: str | None
    body: str


def comment_bodies(count: int, seed: int = 7) -> list[str]:
    """Distinct bodies of one to three paragraphs, some with a link or emphasis."""
    chooser = random.Random(seed)
    bodies = []
    for index in range(count):
        paragraphs = [chooser.choice(OPENINGS)]
        if index % 3:
            paragraphs.append(chooser.choice(MIDDLES))
        if index % 2:
            paragraphs.append(chooser.choice(CLOSINGS))
        # The number keeps every body distinct, as real comments are.
        bodies.append("\n\n".join(paragraphs) + f" ({index + 1})")
    return bodies


def reader_comments(count: int, seed: int = 7) -> list[ReaderComment]:
    chooser = random.Random(seed)
    comments = []
    for index, body in enumerate(comment_bodies(count, seed)):
        first, last = chooser.choice(FIRST_NAMES), chooser.choice(LAST_NAMES)
        website = f"https://{last.lower()}.example.net/" if index % 4 == 0 else None
        email = f"{first.lower()}.{last.lower()}.{index}@example.org"
        comments.append(ReaderComment(f"{first} {last}", email, website, body))
    return comments
