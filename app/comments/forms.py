from wtforms import BooleanField
from wtforms import EmailField
from wtforms import HiddenField
from wtforms import IntegerField
from wtforms import StringField
from wtforms import TextAreaField
from wtforms import URLField
from wtforms.validators import DataRequired
from wtforms.validators import Optional
from wtforms.widgets import HiddenInput

from app.comments.submission import CommentFields
from app.cross_origin import ReaderForm
from app.sanitize import clean_comment
from app.validators import COMMENT_LIMIT
from app.validators import EMAIL_LIMIT
from app.validators import NAME_LIMIT
from app.validators import WEBSITE_LIMIT
from app.validators import MaxCharacters
from app.validators import NoControlCharacters
from app.validators import absolute_web_url
from app.validators import blank_if_invisible
from app.validators import email_address
from app.validators import no_hidden_formatting
from app.validators import normalise_text
from app.validators import strip_outer_whitespace

SINGLE_LINE = [normalise_text, strip_outer_whitespace]


class CommentForm(ReaderForm):
    name = StringField(
        "Name",
        filters=[*SINGLE_LINE, blank_if_invisible],
        validators=[
            DataRequired("Please enter your name."),
            NoControlCharacters(),
            no_hidden_formatting,
            MaxCharacters(NAME_LIMIT),
        ],
    )
    email = EmailField(
        "Email",
        filters=SINGLE_LINE,
        validators=[
            DataRequired("Please enter your email address. It will not be published."),
            NoControlCharacters(),
            MaxCharacters(EMAIL_LIMIT),
            email_address,
        ],
    )
    website = URLField(
        "Website",
        filters=SINGLE_LINE,
        validators=[MaxCharacters(WEBSITE_LIMIT), absolute_web_url],
    )
    body = TextAreaField(
        "Comment",
        filters=[normalise_text],
        validators=[
            DataRequired("Please write your comment."),
            NoControlCharacters(allow_line_breaks=True),
            MaxCharacters(COMMENT_LIMIT),
        ],
    )
    remember = BooleanField(
        "Save my name, email, and website in this browser for the next time I comment."
    )
    # The comment this one answers (set by a Reply link); checked again on the way in.
    parent = IntegerField(widget=HiddenInput(), validators=[Optional()])
    # Unticked unless the reader ticks it: no email without asking (app/notifications/).
    notify = BooleanField("Notify me by email when my comment is published or answered")
    # Hidden from people by the stylesheet; software that fills every box fills this one.
    homepage = StringField(
        "Leave this field empty", validators=[NoControlCharacters(allow_line_breaks=True)]
    )
    # Signed when the form is shown: how long the reader took, and an id for the submission.
    stamp = HiddenField()

    def fields(self) -> CommentFields:
        return CommentFields(
            name=self.name.data,
            email=self.email.data,
            website=self.website.data,
            body=self.body.data,
            honeypot=self.homepage.data or "",
            stamp=self.stamp.data,
            parent_id=self.parent.data or None,
            # Cleaned here, while no database transaction is open (see comments/views.py).
            body_html=clean_comment(self.body.data),
            notify=bool(self.notify.data),
        )
