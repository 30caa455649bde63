from django.urls import path

from . import views

app_name = "feedback"

urlpatterns = [
    path("feedback/", views.send, name="send"),
    path("feedback/comment/", views.comment, name="comment"),
]
