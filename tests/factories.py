import datetime

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from blog.models import Page, Post
from comments.services import comment_create
from comments.xtd import XtdComment


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")
    first_name = "Ada"
    last_name = "Winter"
    password = factory.django.Password("correct horse battery staple")


class PostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Post
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Notes from the field, part {n}")
    slug = factory.Sequence(lambda n: f"notes-from-the-field-{n}")
    author = factory.SubFactory(UserFactory, username="author")
    body = factory.Faker("paragraph", nb_sentences=8)
    status = Post.Status.PUBLISHED
    published_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(hours=1))

    class Params:
        draft = factory.Trait(status=Post.Status.DRAFT)
        scheduled = factory.Trait(
            published_at=factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=2))
        )

    @factory.post_generation
    def tags(post, create, extracted, **kwargs):
        if create and extracted:
            post.tags.add(*extracted)


class PageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Page

    title = factory.Sequence(lambda n: f"Page {n}")
    slug = factory.Sequence(lambda n: f"page-{n}")
    body = "A page that stands apart from the posts."


class CommentFactory(factory.django.DjangoModelFactory):
    """Comments made through comments.services.comment_create, the one write path."""

    class Meta:
        model = XtdComment

    post = factory.SubFactory(PostFactory)
    name = "Someone"
    email = "someone@example.com"
    text = "Hello."

    @classmethod
    def _create(cls, model_class, **kwargs):
        return comment_create(**kwargs)
