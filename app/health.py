"""`/healthz`, for load balancers and monitors: does this machine reach its database?"""

import logging

from flask import Blueprint
from flask import jsonify
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from app.extensions import db
from app.models import Article

bp = Blueprint("health", __name__)
logger = logging.getLogger(__name__)
# A monitor must see this machine's answer now, never a cached one.
NO_STORE = {"Cache-Control": "no-store"}


@bp.get("/healthz")
def healthz():
    """200 when the database answers a query on the site's own tables, 503 when it does not.

    The body says only that: no version, no error text, nothing about the data.
    """
    try:
        db.session.execute(select(Article.id).limit(1))
    except SQLAlchemyError as error:
        db.session.rollback()
        logger.warning("Health check failed: %s", error.__class__.__name__)
        return jsonify(status="unavailable"), 503, NO_STORE
    return jsonify(status="ok"), 200, NO_STORE
