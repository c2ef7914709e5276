"""What we rely on in the comment libraries: these fail when an upgrade moves or renames it."""

import inspect

import pytest
from django.contrib import admin
from django.db.models.signals import pre_save
from django.urls import reverse

from blog.models import Post
from comments import signals, xtd
from comments.moderation import PostCommentModerator


def live_receivers(signal, sender):
    sync, asynchronous = signal._live_receivers(sender)
    return [*sync, *asynchronous]


def test_every_name_of_the_seam_exists():
    assert xtd.__all__
    for name in xtd.__all__:
        assert getattr(xtd, name) is not None, name


def test_only_the_seam_imports_the_libraries():
    from pathlib import Path

    import comments

    root = Path(comments.__file__).parent
    for path in root.rglob("*.py"):
        # library_app.py: the library's AppConfig, which must load before xtd.py can.
        if path.name in ("xtd.py", "library_app.py") or "migrations" in path.parts:
            continue
        source = path.read_text()
        assert "import django_comments" not in source, path
        assert "from django_comments" not in source, path


@pytest.mark.parametrize(
    ("function", "parameters"),
    [
        (xtd.max_thread_level_for_content_type, ["content_type"]),
        (xtd.publish_or_unpublish_on_pre_save, ["sender", "instance", "raw", "using"]),
        (xtd.on_comment_was_posted, ["sender", "comment", "request"]),
        (xtd.notify_comment_followers, ["comment"]),
        (xtd.post_comment_view, ["request"]),
        (xtd.confirm_view, ["request", "key"]),
        (xtd.mute_view, ["request", "key"]),
        (xtd.reply_view, ["request", "cid"]),
        (xtd.moderator.register, ["model_or_iterable", "moderation_class"]),
        (xtd.SpamModerator.allow, ["self", "comment", "content_object", "request"]),
        (xtd.SpamModerator.moderate, ["self", "comment", "content_object", "request"]),
        (xtd.SpamModerator.email, ["self", "comment", "content_object", "request"]),
    ],
)
def test_callables_keep_the_parameters_we_pass(function, parameters):
    assert list(inspect.signature(function).parameters)[: len(parameters)] == parameters


def test_the_comment_model_keeps_the_fields_and_managers_we_use():
    field_names = {field.name for field in xtd.XtdComment._meta.get_fields()}
    assert {
        "thread_id", "parent_id", "level", "order", "followup", "is_public", "is_removed",
        "content_type", "object_pk", "site", "user_name", "user_email", "user_url", "comment",
        "submit_date", "ip_address",
    } <= field_names  # fmt: skip
    assert xtd.XtdComment.norel_objects.model is xtd.XtdComment
    assert xtd.XtdComment.objects.model is xtd.XtdComment
    assert not xtd.XtdComment.norel_objects.all().query.select_related


def test_the_form_keeps_the_fields_we_read():
    assert {
        "name", "email", "url", "comment", "honeypot", "timestamp", "security_hash", "reply_to",
        "followup",
    } <= set(xtd.XtdCommentForm.base_fields)  # fmt: skip


def test_the_library_app_keeps_its_label_under_our_name():
    from django.apps import apps

    config = apps.get_app_config("django_comments_xtd")
    assert type(config).__name__ == "CommentsLibraryConfig"
    assert config.verbose_name == "Comments"
    assert config.models_module is not None


def test_the_security_form_checks_only_the_signed_fields():
    assert set(xtd.CommentSecurityForm.base_fields) == {
        "content_type", "object_pk", "timestamp", "security_hash",
    }  # fmt: skip
    assert issubclass(xtd.XtdCommentForm, xtd.CommentSecurityForm)
    assert callable(xtd.CommentSecurityForm.security_errors)


def test_flags_the_moderation_decisions_use_exist():
    assert xtd.CommentFlag.MODERATOR_APPROVAL
    assert xtd.CommentFlag.MODERATOR_DELETION
    assert xtd.CAN_MODERATE == "django_comments.can_moderate"
    assert xtd.CommentFlag._meta.app_label == "django_comments"


@pytest.mark.django_db
def test_the_permission_we_check_exists():
    from django.contrib.auth.models import Permission

    app_label, codename = xtd.CAN_MODERATE.split(".")
    assert Permission.objects.filter(content_type__app_label=app_label, codename=codename).exists()


def test_the_tmp_comment_reads_its_data_as_attributes():
    tmp = xtd.TmpXtdComment(is_public=True, is_removed=False)
    assert tmp.is_public is True and tmp.xtd_comment is None


def test_the_library_pre_save_receiver_is_disconnected_after_ready():
    receivers = live_receivers(pre_save, xtd.XtdComment)
    assert xtd.publish_or_unpublish_on_pre_save not in receivers


def test_the_comment_was_posted_receiver_is_replaced_by_ours():
    receivers = live_receivers(xtd.comment_was_posted, xtd.TmpXtdComment)
    assert xtd.on_comment_was_posted not in receivers
    assert signals.comment_posted in receivers


def test_our_receivers_hear_the_library_signals():
    assert signals.comment_saved in live_receivers(xtd.confirmation_received, xtd.TmpXtdComment)


def test_the_moderator_is_registered_for_posts():
    assert isinstance(xtd.moderator._registry[Post], PostCommentModerator)


def test_the_admin_queue_replaces_the_library_registration():
    model_admin = admin.site._registry[xtd.XtdComment]
    assert isinstance(model_admin, xtd.XtdCommentsAdmin)
    assert type(model_admin) is not xtd.XtdCommentsAdmin
    assert reverse("admin:django_comments_xtd_xtdcomment_changelist")


def test_the_url_names_the_library_reverses_are_ours():
    for name in ("comments-post-comment", "comments-comment-done", "comments-xtd-sent"):
        assert reverse(name).startswith("/comments/")
