from flask_wtf import FlaskForm
from wtforms import BooleanField
from wtforms import EmailField
from wtforms.validators import DataRequired

from app.comments.validators import NoControlCharacters


class CommenterForm(FlaskForm):
    email = EmailField(
        "Commenter’s email address",
        validators=[DataRequired("Please enter the email address."), NoControlCharacters()],
    )
    confirm = BooleanField("I have checked this is the right address; this cannot be undone.")
