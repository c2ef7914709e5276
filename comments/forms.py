import time

from django import forms
from django.conf import settings
from django.core.validators import URLValidator
from django.db.models import Q

from .models import BotCheck
from .selectors import AWAITING_MODERATION, PUBLIC
from .services import bot_count
from .spam import form_already_used
from .xtd import XtdComment, XtdCommentForm, max_thread_level_for_content_type

NAME_MAX_LENGTH = XtdComment._meta.get_field("user_name").max_length
URL_MAX_LENGTH = XtdComment._meta.get_field("user_url").max_length
EMAIL_MAX_LENGTH = XtdComment._meta.get_field("user_email").max_length
REPLY_REFUSED = "You can only reply to a published comment on this post."
# What the reader wrote: carried into a fresh form whenever theirs had to be renewed.
READER_FIELDS = ("name", "email", "url", "comment", "reply_to")


class PostCommentForm(XtdCommentForm):
    """The library's form with plain widgets, our limits, and the checks spam cannot pass."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"] = forms.CharField(
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
        self.fields["url"] = forms.URLField(
            label="Website (optional)",
            required=False,
            max_length=URL_MAX_LENGTH,
            assume_scheme="https",
            validators=[URLValidator(schemes=["http", "https"])],
            widget=forms.URLInput(attrs={"autocomplete": "url"}),
        )
        self.fields["comment"] = forms.CharField(
            label="Comment",
            max_length=settings.COMMENT_MAX_LENGTH,
            help_text="Plain text. Links become clickable.",
            widget=forms.Textarea(attrs={"rows": 6}),
        )
        followup = self.fields["followup"]
        followup.label = "Notify me of replies by email"
        followup.widget.attrs.pop("class", None)
        self.fields["honeypot"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})

    def clean_reply_to(self):
        """Replies go to a public comment on this post, or to one's own waiting comment."""
        parent_id = self.cleaned_data["reply_to"]
        if parent_id == 0:
            return 0
        if not 0 < parent_id < 10**18:  # Beyond what the database holds: no such comment.
            raise forms.ValidationError(REPLY_REFUSED)
        own_waiting = AWAITING_MODERATION & Q(user_email__iexact=self.cleaned_data.get("email", ""))
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
            if form_already_used(self.data):
                bot_count(defence=BotCheck.REPLAY)
                raise forms.ValidationError(
                    "This comment has already been sent. Reload the post to see it "
                    "or to write another one."
                )
        return cleaned_data
