from flask_wtf import FlaskForm
from wtforms import EmailField
from wtforms import RadioField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired

from app.cross_origin import ReaderForm
from app.validators import MaxCharacters
from app.validators import NoControlCharacters
from app.validators import email_address


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
