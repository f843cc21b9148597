from flask_wtf import FlaskForm
from wtforms import BooleanField
from wtforms import EmailField
from wtforms.validators import DataRequired


class CommenterForm(FlaskForm):
    email = EmailField(
        "Commenter’s email address", validators=[DataRequired("Please enter the email address.")]
    )
    confirm = BooleanField("I have checked this is the right address; this cannot be undone.")
