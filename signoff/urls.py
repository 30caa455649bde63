from django.urls import path

from . import fact_check_views

app_name = "signoff"

urlpatterns = [
    path("fact-check/<str:token>/", fact_check_views.fact_check_page, name="fact_check"),
    path("fact-check/<str:token>/page/", fact_check_views.proposed_page, name="fact_check_page"),
]
