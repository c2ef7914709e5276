import datetime as dt

from django import forms
from django.db import models
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import slugify
from taggit.models import Tag

from blog.models import Post

from .publication import blog_time, blog_zone, blog_zone_name, draft_notice


class Publication(models.TextChoices):
    """The author's one choice, mapped onto Post.status and Post.published_at on save."""

    DRAFT = "draft", "Draft"
    NOW = "now", "Publish now"
    SCHEDULE = "schedule", "Schedule for the date and time below"
    DATED = "dated", "Publish back-dated to the date and time below"


# The same four choices, said as they read for a post already scheduled or published.
LABELS = {
    "draft": dict(Publication.choices),
    "scheduled": {
        **dict(Publication.choices),
        Publication.DRAFT: "Unschedule (back to draft)",
        Publication.NOW: "Publish now instead",
        Publication.SCHEDULE: "Scheduled for the date and time below",
    },
    "published": {
        **dict(Publication.choices),
        Publication.DRAFT: "Unpublish (back to draft)",
        Publication.NOW: "Publish again as of now",
        Publication.SCHEDULE: "Schedule again for the time below (off the blog until then)",
        Publication.DATED: "Published on the date and time below",
    },
}


class BlogTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self):
        super().__init__(attrs={"step": 60}, format="%Y-%m-%dT%H:%M")


class BlogTimeField(forms.DateTimeField):
    """A wall-clock time in the blog's zone, whatever zone the request has activated.

    A time the clocks skip or repeat that night is refused with why, not guessed at.
    """

    widget = BlogTimeInput

    def prepare_value(self, value):
        if isinstance(value, dt.datetime) and timezone.is_aware(value):
            return timezone.localtime(value, blog_zone()).replace(tzinfo=None)
        return value

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip()
        if value in self.empty_values:
            return None
        if not isinstance(value, dt.datetime):
            try:
                value = dt.datetime.fromisoformat(value).replace(second=0, microsecond=0)
            except ValueError:
                raise forms.ValidationError(
                    "Enter a date and time, such as 2024-10-23 09:00.", code="invalid"
                ) from None
        if timezone.is_aware(value):  # An instant already (the stored time, say): keep it.
            return value
        return self._in_blog_zone(value)

    def _in_blog_zone(self, naive):
        zone = blog_zone()
        earlier, later = naive.replace(tzinfo=zone, fold=0), naive.replace(tzinfo=zone, fold=1)
        if earlier.utcoffset() == later.utcoffset():
            return earlier
        params = {"time": f"{naive:%H:%M}", "date": f"{naive:%B} {naive.day}", "zone": zone}
        if earlier.astimezone(dt.UTC).astimezone(zone).replace(tzinfo=None) != naive:
            raise forms.ValidationError(
                "There is no %(time)s on %(date)s in %(zone)s: the clocks go forward then. "
                "Choose a time after the change.",
                code="skipped",
                params=params,
            )
        raise forms.ValidationError(
            "%(time)s comes twice on %(date)s in %(zone)s: the clocks go back then. "
            "Choose a time outside that hour.",
            code="repeated",
            params=params,
        )


def same_minute(one, other):
    return one.replace(second=0, microsecond=0) == other.replace(second=0, microsecond=0)


class PostAdminForm(forms.ModelForm):
    """PostAdmin's form; the admin supplies the model and fields.

    `publication` and `publication_time` stand in for the model's status and published_at,
    which stay as they are: "scheduled" is published with a time to come.
    """

    publication = forms.ChoiceField(choices=Publication.choices, widget=forms.RadioSelect)
    publication_time = BlogTimeField(required=False)

    class Media:
        css = {"all": ["desk/publication.css"]}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        post = self.instance
        self.stored_state = self._state_of(post)
        if "publication" not in self.fields:
            return
        labels = LABELS[self.stored_state]
        self.fields["publication"].choices = [(value, labels[value]) for value in Publication]
        self.fields["publication"].help_text = self._standing(post)
        self.fields["publication"].initial = {
            "draft": Publication.DRAFT,
            "scheduled": Publication.SCHEDULE,
            "published": Publication.DATED,
        }[self.stored_state]
        if "publication_time" in self.fields:
            time_field = self.fields["publication_time"]
            time_field.label = f"Date and time ({blog_zone_name()})"
            time_field.help_text = format_html(  # The admin does not escape help texts.
                "Times are in {}, the blog’s time zone. "
                "Needed to schedule or back-date; a draft may keep a planned date here.",
                blog_zone_name(),
            )
            # A draft's stored date is only when it was last saved, unless it is a plan.
            if self.stored_state != "draft" or post.published_at > timezone.now():
                time_field.initial = post.published_at

    def _post_clean(self):
        super()._post_clean()
        # A browser cannot keep a chosen file when the form comes back with an error: say so
        # by the field, or the author saves again and has a post without its cover.
        chosen = self.files.get("cover")
        if self.errors and chosen and "cover" not in self.errors:
            self.add_error(
                "cover",
                f"Choose “{chosen.name}” again: a file picked for a form that came back "
                "with an error is not kept.",
            )

    @staticmethod
    def _state_of(post):
        if post._state.adding or post.status == Post.Status.DRAFT:
            return "draft"
        return "scheduled" if post.is_scheduled else "published"

    def _standing(self, post):
        zone = blog_zone_name()
        if post._state.adding:
            return ""
        if self.stored_state == "scheduled":
            return format_html(
                "<strong>Scheduled for {} ({})</strong>: it appears on the blog by itself then.",
                blog_time(post.published_at),
                zone,
            )
        if self.stored_state == "published":
            return format_html(
                "<strong>Published on {} ({})</strong>.", blog_time(post.published_at), zone
            )
        notice = draft_notice(post)
        if notice:
            return format_html('<strong class="publication-warning">{}</strong>', notice)
        return "A draft: not on the blog."

    def clean_tags(self):
        tags = self.cleaned_data["tags"]
        # A label such as "🙂" slugifies to "": it would get no address and break every page.
        unusable = [name for name in tags if not slugify(name, allow_unicode=True)]
        if unusable:
            raise forms.ValidationError(
                "Each label needs at least one letter or digit: %(labels)s.",
                params={"labels": ", ".join(unusable)},
            )
        # taggit keeps names in 100 characters; PostgreSQL would refuse a longer one with a 500.
        limit = Tag._meta.get_field("name").max_length
        if any(len(name) > limit for name in tags):
            raise forms.ValidationError(
                "Labels can be at most %(limit)s characters long.", params={"limit": limit}
            )
        return tags

    def clean(self):
        cleaned = super().clean()
        if "publication" in self.fields and "publication" in cleaned:
            publication = self._publication(cleaned["publication"], cleaned.get("publication_time"))
            if publication is not None:
                # Set before the model's own clean(), whose slug check reads the month.
                self.instance.status, self.instance.published_at = publication
        return cleaned

    def _publication(self, choice, when):
        """(status, published_at) for the author's choice, or None with the error added."""
        now = timezone.now()
        stored = self.instance.published_at
        unchanged = (
            when is not None and not self.instance._state.adding and same_minute(when, stored)
        )
        if unchanged:
            when = stored  # The input has no seconds: keep the stored time to the microsecond.
        if choice == Publication.DRAFT:
            return Post.Status.DRAFT, when or now
        if choice == Publication.NOW:
            return Post.Status.PUBLISHED, now
        if when is None:
            message = (
                "Choose a date and time to schedule for."
                if choice == Publication.SCHEDULE
                else "Choose the date and time the post should be published on."
            )
            self.add_error("publication_time", message)
            return None
        if choice == Publication.SCHEDULE and when <= now:
            # A scheduled post whose time came while the form was open is simply published.
            if unchanged and self.stored_state != "draft":
                return Post.Status.PUBLISHED, when
            self.add_error(
                "publication_time",
                forms.ValidationError(
                    "That time has passed (it is now %(now)s in %(zone)s). Choose a later time "
                    "to schedule the post, or “%(dated)s” to publish it as of then.",
                    params={
                        "now": f"{timezone.localtime(now, blog_zone()):%H:%M}",
                        "zone": blog_zone_name(),
                        "dated": LABELS[self.stored_state][Publication.DATED],
                    },
                ),
            )
            return None
        if choice == Publication.DATED and when > now:
            self.add_error(
                "publication_time",
                forms.ValidationError(
                    "That time is still to come: choose “%(schedule)s” to publish the post then.",
                    params={"schedule": LABELS[self.stored_state][Publication.SCHEDULE]},
                ),
            )
            return None
        return Post.Status.PUBLISHED, when
