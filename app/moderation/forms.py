from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import DataRequired

from app.validators import COMMENT_LIMIT
from app.validators import MaxCharacters
from app.validators import NoControlCharacters
from app.validators import normalise_text

TEXT_CHECKS = [NoControlCharacters(allow_line_breaks=True), MaxCharacters(COMMENT_LIMIT)]


class EditForm(FlaskForm):
    """A moderator's correction or redaction: the same limits as a reader's comment."""

    body = TextAreaField(
        "Comment",
        filters=[normalise_text],
        validators=[DataRequired("The comment cannot be empty."), *TEXT_CHECKS],
    )


class ReplyForm(FlaskForm):
    body = TextAreaField(
        "Newsroom reply",
        filters=[normalise_text],
        validators=[DataRequired("Please write the reply."), *TEXT_CHECKS],
    )

    def errors_as_sentence(self) -> str:
        return " ".join(message for messages in self.errors.values() for message in messages)
