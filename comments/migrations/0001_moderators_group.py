from django.db import migrations

MODERATOR_PERMISSIONS = [
    ("django_comments", "can_moderate"),
    ("django_comments_xtd", "view_xtdcomment"),
    ("django_comments_xtd", "change_xtdcomment"),
    ("django_comments_xtd", "view_blacklisteddomain"),
    ("django_comments_xtd", "add_blacklisteddomain"),
    ("django_comments_xtd", "change_blacklisteddomain"),
    ("django_comments_xtd", "delete_blacklisteddomain"),
]


def create_moderators_group(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally made after all migrations have run; the group needs them now.
    for label in ("django_comments", "django_comments_xtd"):
        app_config = apps.get_app_config(label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Moderators")
    for app_label, codename in MODERATOR_PERMISSIONS:
        group.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )


def remove_moderators_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Moderators").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("django_comments", "0004_add_object_pk_is_removed_index"),
        ("django_comments_xtd", "0008_auto_20200920_2037"),
    ]

    operations = [migrations.RunPython(create_moderators_group, remove_moderators_group)]
