from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.views.generic import TemplateView

from backcare import views
from guides import admin_checks, editor_views
from guides.sitemaps import sitemaps

urlpatterns = [
    path("admin/markdownx/markdownify/", editor_views.markdownify, name="markdownx_markdownify"),
    path("admin/markdownx/upload/", editor_views.upload, name="markdownx_upload"),
    path("admin/content-checks/", admin.site.admin_view(admin_checks.content_checks_view), name="content_checks"),
    path("admin/", admin.site.urls),
    path("healthz", views.healthz, name="healthz"),
    path("sitemap.xml", sitemap, {"sitemaps": sitemaps}, name="sitemap"),
    path("robots.txt", TemplateView.as_view(template_name="robots.txt", content_type="text/plain"), name="robots"),
    path("", include("signoff.urls")),  # the outside expert's fact-check link
    path("", include("feedback.urls")),
    path("", include("guides.urls")),
]

handler500 = views.server_error
