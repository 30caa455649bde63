from django.urls import path

from . import views

app_name = "guides"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("help/", views.HelpView.as_view(), name="help"),
    path("sources/", views.SourcesView.as_view(), name="sources"),
    path("about/", views.AboutView.as_view(), name="about"),
    path("guide/all/", views.GuideAllView.as_view(), name="all"),
    path("guide/exercises/", views.ExerciseSheetView.as_view(), name="exercises"),
    path("guide/<slug:slug>/", views.StepDetailView.as_view(), name="step"),
    path("faq/", views.GuideItemListView.as_view(relation="questions"), name="faq"),
    path("faq/<slug:slug>/", views.QuestionDetailView.as_view(), name="question"),
    path("my-plan/", views.MyPlanView.as_view(), name="my_plan"),
    path("tips/", views.GuideItemListView.as_view(relation="tips"), name="tips"),
    path("topics/", views.GuideItemListView.as_view(relation="topics"), name="topics"),
    path("topics/<slug:slug>/", views.TopicDetailView.as_view(), name="topic"),
    path("appointment/", views.AppointmentView.as_view(), name="appointment"),
    path("offline/", views.OfflinePageView.as_view(), name="offline"),
    path("sw.js", views.ServiceWorkerView.as_view(), name="service_worker"),
    path("share/<slug:kind>/<slug:name>.png", views.ShareImageView.as_view(), name="share_image"),
]
