"""The spam filter's operator commands: retrain it, and report how well it does here."""

import click
from flask import current_app
from flask.cli import with_appcontext

from app.extensions import db
from app.spam_filter.evaluation import LineFigures
from app.spam_filter.training import evaluate_on_newest
from app.spam_filter.training import retrain


@click.command("train-spam-filter")
@with_appcontext
def train_spam_filter_command() -> None:
    """Rebuild the spam filter from every moderator decision stored."""
    totals = retrain()
    db.session.commit()
    click.echo(f"Spam filter trained on {totals.spam} spam and {totals.good} good decisions.")


@click.command("spam-filter-report")
@with_appcontext
def spam_filter_report_command() -> None:
    """Train on the older decisions, test on the newest fifth, print how it would have done."""
    lines = {
        "hold line (SPAM_FILTER_HOLD_AT)": current_app.config["SPAM_FILTER_HOLD_AT"],
        "spam line (SPAM_FILTER_SPAM_AT)": current_app.config["SPAM_FILTER_SPAM_AT"],
    }
    chosen = [line for line in lines.values() if line is not None]
    trained, tested, figures = evaluate_on_newest(chosen)
    if not tested:
        raise click.ClickException("No decisions to test on yet.")
    by_line = dict(zip(chosen, figures, strict=True))
    first = figures[0] if figures else None
    click.echo(
        f"Trained on the {trained} older decisions, tested on the newest {tested}"
        + (f" ({first.spam} spam, {first.good} good)." if first else ".")
    )
    for name, line in lines.items():
        if line is None:
            click.echo(f"{name}: off")
        else:
            click.echo(f"{name} {line:.2f}: {describe(by_line[line])}")


def describe(figures: LineFigures) -> str:
    return (
        f"precision {_percent(figures.precision)}, recall {_percent(figures.recall)} "
        f"({figures.spam_caught} of {figures.spam} spam), "
        f"good comments held {_percent(figures.good_held)} "
        f"({figures.good_caught} of {figures.good})"
    )


def _percent(share: float | None) -> str:
    return "n/a" if share is None else f"{share:.1%}"


def register(app) -> None:
    app.cli.add_command(train_spam_filter_command)
    app.cli.add_command(spam_filter_report_command)
