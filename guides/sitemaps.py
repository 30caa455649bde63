from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse

from .models import Guide, Question, Step, Topic


class StepSitemap(Sitemap):
    def items(self):
        return Step.objects.published().filter(guide__is_published=True)

    def lastmod(self, step):
        return step.updated_at


class QuestionSitemap(Sitemap):
    def items(self):
        return Question.objects.published().filter(guide__is_published=True)

    def lastmod(self, question):
        return question.updated_at


class TopicSitemap(Sitemap):
    def items(self):
        return Topic.objects.published().filter(guide__is_published=True)

    def lastmod(self, topic):
        return topic.updated_at


class GuidePagesSitemap(Sitemap):
    """The pages that gather many items: dated by their most recent change."""

    sources = {
        "guides:home": ("steps", "care_cards"),
        "guides:all": ("steps", "care_cards"),
        "guides:exercises": ("steps", "care_cards"),
        "guides:help": ("care_cards",),
        "guides:sources": ("care_cards",),
        "guides:about": (),
        "guides:faq": ("questions",),
        "guides:tips": ("tips",),
        "guides:topics": ("topics",),
        "guides:appointment": (),
        "guides:my_plan": ("steps", "care_cards"),
    }

    def items(self):
        self.guide = Guide.objects.published().first()
        return list(self.sources) if self.guide else []

    def location(self, name):
        return reverse(name)

    def lastmod(self, name):
        relations = self.sources[name]
        latest = Guide.objects.filter(pk=self.guide.pk).aggregate(
            *[Max(f"{relation}__updated_at") for relation in relations]
        )
        dates = [self.guide.updated_at, *[value for value in latest.values() if value]]
        return max(dates)


sitemaps = {
    "pages": GuidePagesSitemap, "steps": StepSitemap, "questions": QuestionSitemap, "topics": TopicSitemap,
}


def public_paths():
    """The address of every page readers can see, as the sitemap lists them."""
    paths = []
    for sitemap_class in sitemaps.values():
        sitemap = sitemap_class()
        paths += [sitemap.location(item) for item in sitemap.items()]
    return paths
