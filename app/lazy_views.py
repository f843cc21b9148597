"""Views that few requests need, imported on their first request instead of in every worker.

A gunicorn worker keeps everything it imports for as long as it lives, and row (e) of
bench/README.md holds its peak memory to 1.15 × the floor worker's. The moderation desk and
the pages of admins, email links, privacy requests, reports and feeds are seldom asked of a
worker that serves readers, so their view modules, with the forms and domain modules only they
use, wait for a request that needs them: Flask's "lazily loading views" pattern. Their
routes are registered at start as before, so url_for, Flask-Limiter and Flask-WTF see the same
endpoints, names and blueprints; only the import of the module that holds the view waits.
"""

from functools import cached_property
from typing import Any

from flask import Blueprint
from flask import current_app
from werkzeug.utils import import_string


class LazyView:
    """The view `module.name`, imported when first needed.

    It carries the view's own `__module__` and `__name__`: Flask names the endpoint after it,
    and Flask-WTF and Flask-Limiter know views by them (csrf.exempt, reader_form).
    """

    def __init__(self, import_name: str) -> None:
        self.__module__, self.__name__ = import_name.rsplit(".", 1)
        self.import_name = import_name

    @cached_property
    def view(self) -> Any:
        return import_string(self.import_name)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.view(*args, **kwargs)


class LazyViews:
    """A blueprint's routes to the views of one module, declared as its decorators would."""

    def __init__(self, blueprint: Blueprint, module: str) -> None:
        self.blueprint = blueprint
        self.module = module
        # One per view, which Flask requires of a view with two rules.
        self.views: dict[str, LazyView] = {}
        if load_view_before_checks not in blueprint.url_value_preprocessors[None]:
            blueprint.url_value_preprocessor(load_view_before_checks)

    def route(self, rule: str, name: str, **options: Any) -> None:
        view = self.views.setdefault(name, LazyView(f"{self.module}.{name}"))
        self.blueprint.add_url_rule(rule, view_func=view, **options)

    def get(self, rule: str, name: str, **options: Any) -> None:
        self.route(rule, name, methods=["GET"], **options)

    def post(self, rule: str, name: str, **options: Any) -> None:
        self.route(rule, name, methods=["POST"], **options)


def load_view_before_checks(endpoint: str | None, values: dict[str, Any] | None) -> None:
    """Import the view's module before the request is checked: what its decorators mark (a
    view exempt from Flask-WTF's token, as reader_form's are) must be in place by then. Flask
    calls URL value preprocessors before every before_request function."""
    view = current_app.view_functions.get(endpoint) if endpoint else None
    if isinstance(view, LazyView):
        view.view  # noqa: B018  (loading it is the point)
