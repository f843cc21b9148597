from wtforms import RadioField
from wtforms import TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired

from app.comments.validators import MaxCharacters
from app.comments.validators import NoControlCharacters
from app.comments.validators import normalise_text
from app.cross_origin import ReaderForm
from app.models import ReportReason

NOTE_LIMIT = 500


class ReportForm(ReaderForm):
    reason = RadioField(
        "What is wrong with this comment?",
        choices=[
            SelectChoice(ReportReason.SPAM.value, "Spam or advertising"),
            SelectChoice(ReportReason.ABUSE.value, "Abusive, hateful or threatening"),
            SelectChoice(ReportReason.OFF_TOPIC.value, "Off-topic"),
            SelectChoice(ReportReason.OTHER.value, "Something else"),
        ],
        validators=[DataRequired("Please choose what is wrong.")],
    )
    note = TextAreaField(
        "Anything the moderators should know (optional)",
        filters=[normalise_text],
        validators=[NoControlCharacters(allow_line_breaks=True), MaxCharacters(NOTE_LIMIT)],
    )
