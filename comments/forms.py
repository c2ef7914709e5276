import re
import time
import unicodedata

from django import forms
from django.conf import settings
from django.core.validators import URLValidator
from django.db.models import Q
from django.utils.crypto import salted_hmac

from .models import BotCheck
from .rendering import DIRECTION_OVERRIDES
from .selectors import AWAITING_MODERATION, PUBLIC
from .services import bot_count
from .session import posters_own_comments
from .spam import form_already_used
from .xtd import XtdComment, XtdCommentForm, max_thread_level_for_content_type

NAME_MAX_LENGTH = XtdComment._meta.get_field("user_name").max_length
URL_MAX_LENGTH = XtdComment._meta.get_field("user_url").max_length
EMAIL_MAX_LENGTH = XtdComment._meta.get_field("user_email").max_length
REPLY_REFUSED = "You can only reply to a published comment on this post."
# What the reader wrote besides the text: carried into a fresh form whenever theirs was renewed.
READER_FIELDS = ("name", "email", "url", "reply_to")
# The library's name for the text, where bots put theirs: a honeypot here (Antispam Bee's trick).
HONEYPOT_TEXT = "comment"
TEXT_NAME_SALT = "comments.forms.text_field_name"


# C0 and C1 controls but tab and line breaks: a page shows them as nothing or as boxes, and a
# terminal showing the comment (a log, an email client) would act on an ESC.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Bidi embeddings, overrides and isolates: in a name they would turn around the words after
# it ("... says"), so that the line reads as something the reader did not write.
DIRECTION_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
LINE_BREAKS = re.compile("[\t\r\n\u2028\u2029]+")
# Letters that draw nothing (Hangul fillers, the blank Braille pattern): alone, they are a name
# no one can see.
BLANK_LETTERS = {"\u115f", "\u1160", "\u3164", "\uffa0", "\u2800"}
# Format characters, separators and marks show nothing by themselves either (a zero-width
# joiner, a mark with no letter to sit on); beside a letter they are kept.
INVISIBLE_CATEGORIES = {"Cc", "Cf", "Zs", "Zl", "Zp", "Mn", "Me"}


def shows_anything(text):
    return any(
        char not in BLANK_LETTERS and unicodedata.category(char) not in INVISIBLE_CATEGORIES
        for char in text
    )


class ReaderTextField(forms.CharField):
    """Text a stranger typed, kept as typed but for characters that only ever act, never show.

    Text that would show nothing at all counts as empty, so a required field asks again.
    """

    def __init__(self, *, one_line=False, **kwargs):
        self.one_line = one_line
        super().__init__(**kwargs)

    def to_python(self, value):
        # Browsers send each line break as CRLF but count it as one against maxlength: so do we.
        value = CONTROL_CHARACTERS.sub("", super().to_python(value).replace("\r\n", "\n"))
        if self.one_line:
            value = LINE_BREAKS.sub(" ", DIRECTION_CONTROLS.sub("", value))
        else:
            value = DIRECTION_OVERRIDES.sub("", value)
        value = value.strip() if self.strip else value
        return value if shows_anything(value) else ""


def text_field_name(secret=None):
    """The name the text is really posted under: derived from SECRET_KEY, so every app server
    agrees and it survives restarts, and a bot must read this site's form to learn it."""
    return "text_" + salted_hmac(TEXT_NAME_SALT, "comment text", secret=secret).hexdigest()[:12]


def text_field_names():
    """The current name, then those of SECRET_KEY_FALLBACKS: a form shown before the key was
    rotated still sends."""
    return [text_field_name(), *map(text_field_name, settings.SECRET_KEY_FALLBACKS)]


def reader_text(data):
    """The text sent under a secret name; None when the form had no such field (an old one)."""
    return next((data[name] for name in text_field_names() if name in data), None)


def sent_text(data):
    """The reader's text wherever they sent it: an old form put it in the honeypot."""
    text = reader_text(data)
    return data.get(HONEYPOT_TEXT, "") if text is None else text


def filled_a_honeypot(data):
    """A bot's mark: a hidden field filled. An old form's text alone is not (is_an_old_form)."""
    return bool(data.get("honeypot")) or (
        reader_text(data) is not None and bool(data.get(HONEYPOT_TEXT, "").strip())
    )


def is_an_old_form(data):
    """Sent from a page made before the text had a secret name: a cached copy, an old tab."""
    return reader_text(data) is None and bool(data.get(HONEYPOT_TEXT, "").strip())


def sent_form(data):
    """The fields that make a sent form the same form, for the replay check (comments.spam)."""
    fields = {name: data.get(name, "") for name in ("security_hash", "email", "name")}
    return {**fields, "comment": sent_text(data)}


class PostCommentForm(XtdCommentForm):
    """The library's form with plain widgets, our limits, and the checks spam cannot pass."""

    def __init__(self, target_object, data=None, **kwargs):
        self.text_name = text_field_name()
        if data is not None and self.text_name not in data and reader_text(data) is not None:
            data = data.copy()  # Sent under the name of a rotated key: read it as today's.
            data[self.text_name] = reader_text(data)
        super().__init__(target_object, data=data, **kwargs)
        self.fields["name"] = ReaderTextField(
            one_line=True,
            label="Name",
            max_length=NAME_MAX_LENGTH,
            widget=forms.TextInput(attrs={"autocomplete": "name"}),
        )
        self.fields["email"] = forms.EmailField(
            label="Email",
            max_length=EMAIL_MAX_LENGTH,
            help_text="Never shown on the site.",
            widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        )
        # A text input, not type=url: the browser would refuse "example.org", which is taken
        # as https://example.org. One URL check, for http(s) only, where URLField has its own.
        url = forms.URLField(
            label="Website (optional)",
            required=False,
            max_length=URL_MAX_LENGTH,
            assume_scheme="https",
            widget=forms.TextInput(attrs={"autocomplete": "url", "inputmode": "url"}),
        )
        url.validators = [
            *(v for v in url.validators if not isinstance(v, URLValidator)),
            URLValidator(schemes=["http", "https"]),
        ]
        self.fields["url"] = url
        limit = settings.COMMENT_MAX_LENGTH
        text = ReaderTextField(
            label="Comment",
            max_length=limit,
            help_text=f"Plain text, up to {limit:,} characters. Links become clickable.",
            widget=forms.Textarea(attrs={"rows": 6, "data-comment-text": "true"}),
        )
        # No maxlength: it cuts a long paste short without a word. Sent whole, a text too long
        # comes back with the reader's words kept and the count said.
        text.widget.attrs.pop("maxlength", None)
        self.fields[self.text_name] = text
        self.fields[HONEYPOT_TEXT] = forms.CharField(
            label="Leave this box empty: it is here to catch spam robots.",
            required=False,
            widget=forms.Textarea(attrs={"rows": 1, "tabindex": "-1", "autocomplete": "off"}),
        )
        self.order_fields(["name", "email", "url", self.text_name, "followup"])
        followup = self.fields["followup"]
        followup.label = "Notify me of replies by email"
        followup.widget.attrs.pop("class", None)
        self.fields["honeypot"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})

    def opened_seconds_ago(self, seconds):
        """Sign the form as opened `seconds` ago: for a form given back with text the reader
        wrote before it (comments.views), whose minimum fill time is spent already."""
        timestamp = int(time.time()) - seconds
        self.initial.update(
            timestamp=str(timestamp), security_hash=self.initial_security_hash(timestamp)
        )

    def clean_comment(self):
        """The honeypot under the library's name: people never see it, so never fill it."""
        if self.cleaned_data[HONEYPOT_TEXT]:
            raise forms.ValidationError("This field must be left empty.")
        return ""

    def security_errors(self):
        """The library refuses a form with these errors (400), as it does a filled honeypot."""
        errors = super().security_errors()
        if HONEYPOT_TEXT in self.errors:
            errors[HONEYPOT_TEXT] = self.errors[HONEYPOT_TEXT]
        return errors

    def get_comment_create_data(self, site_id=None):
        return {
            **super().get_comment_create_data(site_id),
            "comment": self.cleaned_data[self.text_name],
        }

    def clean_reply_to(self):
        """Replies go to a public comment on this post, or to one's own waiting comment."""
        parent_id = self.cleaned_data["reply_to"]
        if parent_id == 0:
            return 0
        if not 0 < parent_id < 10**18:  # Beyond what the database holds: no such comment.
            raise forms.ValidationError(REPLY_REFUSED)
        # One's own by the browser's session, never by a typed address: anyone could type it,
        # and learn from the answer which waiting comment is whose.
        own_waiting = AWAITING_MODERATION & Q(pk__in=posters_own_comments.get())
        parent = (
            XtdComment.norel_objects.filter(
                PUBLIC | own_waiting,
                pk=parent_id,
                object_pk=str(self.target_object.pk),
                content_type__app_label=self.target_object._meta.app_label,
                content_type__model=self.target_object._meta.model_name,
            )
            .select_related("content_type")
            .first()
        )
        if parent is None or parent.level >= max_thread_level_for_content_type(parent.content_type):
            raise forms.ValidationError(REPLY_REFUSED)
        return parent_id

    def clean(self):
        cleaned_data = super().clean()
        timestamp = cleaned_data.get("timestamp")
        if timestamp and time.time() - timestamp < settings.QUIRE_COMMENTS_MIN_FILL_SECONDS:
            bot_count(defence=BotCheck.TOO_FAST)
            raise forms.ValidationError(
                "That was quick! Please read your comment over once more and send it again."
            )
        if not self.errors and "preview" not in self.data:
            if form_already_used(sent_form(self.data)):
                bot_count(defence=BotCheck.REPLAY)
                raise forms.ValidationError(
                    "This comment has already been sent. Reload the post to see it "
                    "or to write another one."
                )
        return cleaned_data
