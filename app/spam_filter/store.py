"""The filter's state: counts of learned spam and good comments per feature hash, in the
database, so every worker on every machine scores with every decision made so far.

Learning is an upsert per feature, unlearning a decrement; both lock the rows in hash order,
so two moderators' decisions at once on PostgreSQL wait for each other instead of deadlocking.
"""

import json
from collections.abc import Iterable
from collections.abc import Mapping

from sqlalchemy import bindparam
from sqlalchemy import case
from sqlalchemy import delete
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy import update

from app.extensions import db
from app.models import SpamFilterCount
from app.models import SpamFilterFeatures
from app.models import SpamLabel
from app.spam_filter.classifier import Counts
from app.spam_filter.features import TOTALS_HASH

_COUNTS = SpamFilterCount.__table__
_FETCH = select(SpamFilterCount.feature_hash, SpamFilterCount.spam, SpamFilterCount.good)
# On the table, not the model: plain rows through the session's connection skip the ORM's
# result machinery, which cost more than the query itself (asked on every comment POST).
_FETCH_FEATURES = select(_COUNTS.c.feature_hash, _COUNTS.c.spam, _COUNTS.c.good)
# On SQLite, the hashes go as one JSON list: an IN list of a new length is a new statement
# for SQLAlchemy's and the driver's caches each time, and a worker that had scored 400
# comments held 1.3 MB more for them.
_LISTED_HASHES = func.json_each(bindparam("hashes")).table_valued("value")
_FETCH_LISTED_FEATURES = _FETCH_FEATURES.where(
    _COUNTS.c.feature_hash.in_(select(_LISTED_HASHES.c.value))
)


def counts_for(hashes: Iterable[int]) -> tuple[list[Counts], Counts]:
    """The known features' counts and the totals, in one statement."""
    wanted = [TOTALS_HASH, *hashes]
    connection = db.session.connection()
    if connection.dialect.name == "sqlite":
        rows = connection.execute(_FETCH_LISTED_FEATURES, {"hashes": json.dumps(wanted)})
    else:
        rows = connection.execute(_FETCH_FEATURES.where(_COUNTS.c.feature_hash.in_(wanted)))
    found = {feature_hash: Counts(spam, good) for feature_hash, spam, good in rows}
    totals = found.pop(TOTALS_HASH, Counts())
    return list(found.values()), totals


def learned_totals() -> Counts:
    """How many spam and good comments the filter has learned."""
    row = db.session.execute(_FETCH.where(SpamFilterCount.feature_hash == TOTALS_HASH)).first()
    return Counts(row.spam, row.good) if row else Counts()


def learn(hashes: Iterable[int], label: SpamLabel) -> None:
    spam, good = (1, 0) if label is SpamLabel.SPAM else (0, 1)
    rows = [
        {"feature_hash": feature_hash, "spam": spam, "good": good}
        for feature_hash in sorted({TOTALS_HASH, *hashes})
    ]
    statement = _insert()
    statement = statement.on_conflict_do_update(
        index_elements=[_COUNTS.c.feature_hash],
        set_={
            "spam": _COUNTS.c.spam + statement.excluded.spam,
            "good": _COUNTS.c.good + statement.excluded.good,
        },
    )
    db.session.execute(statement, rows)


def unlearn(hashes: Iterable[int], label: SpamLabel) -> None:
    """Take back one comment's lesson; features no comment has any more are removed."""
    column = _COUNTS.c.spam if label is SpamLabel.SPAM else _COUNTS.c.good
    chosen = sorted({TOTALS_HASH, *hashes})
    db.session.execute(
        update(_COUNTS)
        .where(_COUNTS.c.feature_hash.in_(chosen))
        # Never below zero, even if the counts were rebuilt since this lesson.
        .values({column: case((column > 0, column - 1), else_=0)})
    )
    db.session.execute(
        delete(_COUNTS).where(
            _COUNTS.c.feature_hash.in_(chosen),
            _COUNTS.c.feature_hash != TOTALS_HASH,
            _COUNTS.c.spam == 0,
            _COUNTS.c.good == 0,
        )
    )


def learned_fingerprint() -> int | None:
    """Which features and key the counts were learned with (features_fingerprint)."""
    return db.session.scalar(select(SpamFilterFeatures.fingerprint))


def replace_all(counts: Mapping[int, Counts], totals: Counts, fingerprint: int) -> None:
    """Start again from these counts (a full retraining), learned with these features."""
    db.session.execute(delete(SpamFilterFeatures))
    db.session.add(SpamFilterFeatures(fingerprint=fingerprint))
    db.session.execute(delete(_COUNTS))
    rows = [
        {"feature_hash": feature_hash, "spam": found.spam, "good": found.good}
        for feature_hash, found in counts.items()
    ]
    rows.append({"feature_hash": TOTALS_HASH, "spam": totals.spam, "good": totals.good})
    db.session.execute(_COUNTS.insert(), rows)


def _insert():
    """The dialect's upsert, imported here: SQLAlchemy's PostgreSQL dialect costs a worker
    2.2 MB, and a site on SQLite never needs it (a worker that learns nothing, neither)."""
    if db.session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(_COUNTS)
