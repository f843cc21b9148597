from flask_wtf import FlaskForm
from wtforms import PasswordField
from wtforms import StringField
from wtforms.validators import DataRequired

from app.validators import NoControlCharacters


class LoginForm(FlaskForm):
    # The username reaches the database (failed logins are counted by it): no NUL there.
    username = StringField(
        "Username",
        validators=[DataRequired("Please enter your username."), NoControlCharacters()],
    )
    password = PasswordField("Password", validators=[DataRequired("Please enter your password.")])


class CodeForm(FlaskForm):
    code = StringField(
        "Code from your authenticator app, or a recovery code",
        validators=[DataRequired("Please enter the code.")],
    )
