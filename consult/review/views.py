"""Routes of the review area."""
from flask import Blueprint

bp = Blueprint("review", __name__, url_prefix="/review")
