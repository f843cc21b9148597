"""The operator commands (app/cli.py) are imported when the command line first asks for one.

A web worker never runs a command, but registering them imported every module they use
(backups, erasing personal data, re-cleaning, the spam filter's training and evaluation,
sending mail) into every worker: row (e) of bench/README.md holds a worker's peak memory to
1.15 × the floor worker's. So the app's command group loads them at its first lookup, which
`flask --app wsgi COMMAND`, `flask --help` and the tests' CLI runner all make.
"""

import click
from flask import Flask
from flask.cli import AppGroup


class CommandsLoadedOnUse(AppGroup):
    def __init__(self, app: Flask) -> None:
        super().__init__(app.cli.name)
        self.app = app
        self.loaded = False
        # Any registered already (a blueprint's) stay.
        for command in app.cli.commands.values():
            self.add_command(command)

    def load(self) -> None:
        if not self.loaded:
            self.loaded = True
            from app import cli  # here, not at the top: see the module's docstring

            cli.register(self.app)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        self.load()
        return super().get_command(ctx, name)

    def list_commands(self, ctx: click.Context) -> list[str]:
        self.load()
        return super().list_commands(ctx)


def register(app: Flask) -> None:
    app.cli = CommandsLoadedOnUse(app)
