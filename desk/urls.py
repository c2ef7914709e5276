from django.urls import path

from . import views

app_name = "desk"

urlpatterns = [
    path("<str:token>/", views.preview_link, name="preview_link"),
]
