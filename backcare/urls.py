from django.contrib import admin
from django.urls import include, path

from backcare import views

from guides import editor_views

urlpatterns = [
    path("admin/markdownx/markdownify/", editor_views.markdownify, name="markdownx_markdownify"),
    path("admin/markdownx/upload/", editor_views.upload, name="markdownx_upload"),
    path("admin/", admin.site.urls),
    path("healthz", views.healthz, name="healthz"),
    path("", include("guides.urls")),
]
