"""Training on some labelled comments and testing on others, in memory: the report command
and the benchmark measure the filter this way without touching the site's counts."""

from collections import Counter
from collections.abc import Iterable
from collections.abc import Sequence
from dataclasses import dataclass

from app.spam_filter.classifier import Counts
from app.spam_filter.classifier import spam_probability


@dataclass(frozen=True)
class Example:
    hashes: Sequence[int]
    is_spam: bool


@dataclass(frozen=True)
class LineFigures:
    """How a score line would have done on the test comments."""

    line: float
    spam: int
    good: int
    spam_caught: int
    good_caught: int

    @property
    def precision(self) -> float | None:
        caught = self.spam_caught + self.good_caught
        return self.spam_caught / caught if caught else None

    @property
    def recall(self) -> float | None:
        return self.spam_caught / self.spam if self.spam else None

    @property
    def good_held(self) -> float | None:
        return self.good_caught / self.good if self.good else None


class TrainedCounts:
    def __init__(self, examples: Iterable[Example]):
        self.spam: Counter[int] = Counter()
        self.good: Counter[int] = Counter()
        spam_total = good_total = 0
        for example in examples:
            if example.is_spam:
                self.spam.update(example.hashes)
                spam_total += 1
            else:
                self.good.update(example.hashes)
                good_total += 1
        self.totals = Counts(spam_total, good_total)

    def score(self, hashes: Iterable[int]) -> float:
        return spam_probability(
            (Counts(self.spam[item], self.good[item]) for item in hashes), self.totals
        )


def figures_at(
    lines: Iterable[float], train: Iterable[Example], test: Sequence[Example]
) -> list[LineFigures]:
    trained = TrainedCounts(train)
    scored = [(trained.score(example.hashes), example.is_spam) for example in test]
    spam = sum(is_spam for _, is_spam in scored)
    return [
        LineFigures(
            line=line,
            spam=spam,
            good=len(scored) - spam,
            spam_caught=sum(score >= line for score, is_spam in scored if is_spam),
            good_caught=sum(score >= line for score, is_spam in scored if not is_spam),
        )
        for line in lines
    ]
