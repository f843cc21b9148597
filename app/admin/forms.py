from flask_wtf import FlaskForm
from wtforms import BooleanField
from wtforms import EmailField
from wtforms import IntegerField
from wtforms import PasswordField
from wtforms import SelectField
from wtforms import StringField
from wtforms import TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired
from wtforms.validators import NumberRange
from wtforms.validators import Optional

from app.auth.accounts import MINIMUM_PASSWORD_LENGTH
from app.models import AlertMode
from app.models import BlockKind
from app.models import CommentMode
from app.validators import NoControlCharacters


class CommenterForm(FlaskForm):
    email = EmailField(
        "Commenter’s email address",
        validators=[DataRequired("Please enter the email address."), NoControlCharacters()],
    )
    confirm = BooleanField("I have checked this is the right address; this cannot be undone.")


class NewModeratorForm(FlaskForm):
    username = StringField(
        "Username", validators=[DataRequired("Please choose a username."), NoControlCharacters()]
    )
    password = PasswordField(
        f"Password (at least {MINIMUM_PASSWORD_LENGTH} characters)",
        validators=[DataRequired("Please choose a password.")],
    )
    is_admin = BooleanField("Admin: manages moderators, settings, the block list and personal data")


class PasswordResetForm(FlaskForm):
    password = PasswordField(
        f"New password (at least {MINIMUM_PASSWORD_LENGTH} characters)",
        validators=[DataRequired("Please choose a password.")],
    )


class AlertSettingsForm(FlaskForm):
    email = EmailField("Email for alerts", validators=[Optional(), NoControlCharacters()])
    alert_mode = SelectField(
        "Alerts",
        choices=[
            SelectChoice(AlertMode.EACH.value, "One email per held comment"),
            SelectChoice(AlertMode.DIGEST.value, "A digest"),
            SelectChoice(AlertMode.OFF.value, "None"),
        ],
    )


class SettingsForm(FlaskForm):
    comments_enabled = BooleanField("Comments are open across the site")
    comments_close_after_days = IntegerField(
        "Close comments this many days after publication (0: never)",
        validators=[Optional(), NumberRange(min=0, max=3650)],
    )
    hold_link_count = IntegerField(
        "Hold comments with at least this many links (0: never)",
        validators=[Optional(), NumberRange(min=0, max=100)],
    )
    hold_words = TextAreaField(
        "Words that hold a comment (one per line)", validators=[NoControlCharacters(True)]
    )
    spam_words = TextAreaField(
        "Words that send a comment to spam (one per line)", validators=[NoControlCharacters(True)]
    )
    trusted_authors_auto_approve = BooleanField(
        "Publish trusted authors’ comments at once (a confirmed address, a comment a moderator "
        "approved, and the browser that confirmed it)"
    )


class BlockForm(FlaskForm):
    kind = SelectField(
        "Block", choices=[SelectChoice(kind.value, kind.value.capitalize()) for kind in BlockKind]
    )
    value = StringField(
        "Email, domain or IP address (or network)",
        validators=[DataRequired("Please enter what to block."), NoControlCharacters()],
    )
    note = StringField("Note (optional)", validators=[NoControlCharacters()])


class CommentModeForm(FlaskForm):
    mode = SelectField(
        "Comments",
        choices=[
            SelectChoice(CommentMode.OPEN.value, "Open"),
            SelectChoice(CommentMode.HELD.value, "Open, every comment held"),
            SelectChoice(CommentMode.CLOSED.value, "Closed"),
        ],
    )
