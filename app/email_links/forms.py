from flask_wtf import FlaskForm
from wtforms import EmailField
from wtforms import RadioField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired

from app.comments.validators import MaxCharacters
from app.comments.validators import NoControlCharacters
from app.comments.validators import email_address
from app.cross_origin import ReaderForm


class ConfirmForm(FlaskForm):
    """No fields: a CSRF-protected button that does what the link said."""


class PrivacyRequestForm(ReaderForm):
    email = EmailField(
        "Your email address",
        validators=[
            DataRequired("Please enter the email address you comment with."),
            NoControlCharacters(),
            MaxCharacters(254),
            email_address,
        ],
    )
    what = RadioField(
        "What would you like?",
        choices=[
            SelectChoice("export", "A copy of my comments and what is stored with them"),
            SelectChoice("erase", "Erase my comments or my details"),
        ],
        validators=[DataRequired("Please choose what you would like.")],
    )
