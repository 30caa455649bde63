import json

from django.apps import apps
from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.functional import cached_property
from django.views.generic import DetailView, ListView, TemplateView, View

from . import offline, page_cache, share_cards, share_images
from .models import CareCard, Guide, PageReview, Question, Source, Step, Topic, WarningSign


class GuidePageMixin:
    """Readers see published copy (cached); staff also see drafts, never cached."""

    def dispatch(self, request, *args, **kwargs):
        response = super().dispatch(request, *args, **kwargs)
        if request.user.is_staff:
            add_never_cache_headers(response)
            return response
        return page_cache.mark_cacheable(response)

    @cached_property
    def preview(self):
        """Staff may preview a proposed change on the real page (?proposal=N), with a banner: the
        app that keeps proposals answers (AppConfig.preview(), looked up as review_flags() is)."""
        proposal_id = self.request.GET.get("proposal", "") if self.request.user.is_staff else ""
        if not (proposal_id.isascii() and proposal_id.isdigit() and len(proposal_id) < 16):
            return None
        configs = (config for config in apps.get_app_configs() if hasattr(config, "preview"))
        return next(filter(None, (config.preview(int(proposal_id)) for config in configs)), None)

    def previewed(self, obj):
        """The page's own object, as proposed when staff preview a change to it."""
        return self.preview.item(obj) if self.preview else obj

    def render_to_response(self, context, **response_kwargs):
        if self.preview:
            context = self.preview.context(context)
            context["previewing"] = self.preview.proposal
        return super().render_to_response(context, **response_kwargs)

    def visible(self, queryset, **kwargs):
        return queryset.visible_to(self.request.user, **kwargs)

    @staticmethod
    def signs_of(cards):
        """The warning signs of these cards (already fetched with them by cards()), in their order."""
        return [sign for card in cards for sign in card.signs.all()]

    def steps_with_items(self):
        """(the guide, its steps that have exercises or positions, each with them fetched)."""
        steps = self.visible(Step.objects, through_guide=True).select_related("guide").prefetch_related("items")
        steps = [step for step in steps if step.items.all()]
        return (steps[0].guide if steps else self.get_guide()), steps

    def cards(self, queryset):
        """Care cards most urgent first, each with its warning signs (the records, never a copy)."""
        signs = Prefetch("signs", self.visible(WarningSign.objects).order_by("order", "pk"))
        return self.visible(queryset).by_urgency().prefetch_related(signs)

    def get_guide(self):
        guide = self.visible(Guide.objects).first()
        if guide is None:
            raise Http404("The guide has not been published yet.")
        return guide


class HomeView(GuidePageMixin, TemplateView):
    template_name = "guides/home.html"

    def get_context_data(self, **kwargs):
        guide = self.get_guide()
        # Meta.ordering does not apply to queries with GROUP BY: order explicitly.
        steps = list(self.visible(guide.steps).annotate(item_count=Count("items")).order_by("order"))
        return super().get_context_data(
            guide=guide, steps=steps, review=PageReview.of([guide], steps),
            share_card=share_cards.for_home(guide), **kwargs
        )


class HelpView(GuidePageMixin, TemplateView):
    """When to get help: every care card, the most urgent first, each under its own anchor."""

    template_name = "guides/help.html"

    def get_context_data(self, **kwargs):
        guide = self.get_guide()
        cards = list(self.cards(guide.care_cards))
        signs = self.signs_of(cards)
        return super().get_context_data(
            guide=guide, cards=cards, review=PageReview.of([guide], cards, signs),
            share_card=share_cards.for_help(cards), **kwargs
        )


class SourcesView(GuidePageMixin, TemplateView):
    """Where the information comes from: every source the guide, its warning signs and its topics
    cite (the records), with the date we last checked each and what it was used for. Every page
    links here instead of repeating the list."""

    template_name = "guides/sources.html"

    def get_context_data(self, **kwargs):
        guide = self.get_guide()
        signs = self.visible(WarningSign.objects).filter(card__in=self.visible(CareCard.objects))
        topics = self.visible(Topic.objects)
        cites_guide = Guide.sources.through.objects.filter(guide=guide, source=OuterRef("pk"))
        sources = list(
            Source.objects.filter(Q(guides=guide) | Q(signs__in=signs) | Q(topics__in=topics))
            .distinct()
            .annotate(cites_guide=Exists(cites_guide))
            .prefetch_related(
                Prefetch("signs", signs.order_by("card__order", "order", "pk")),
                Prefetch("topics", topics.order_by("order", "pk")),
            )
        )
        cited = {item.pk: item for source in sources for item in source.signs.all()}
        return super().get_context_data(
            guide=guide, sources=sources, review=PageReview.of([guide], cited.values()), **kwargs
        )


class AboutView(GuidePageMixin, TemplateView):
    """About this information, to the PIF TICK criteria: who writes and who checks the guide, how a
    change is approved, how often pages are checked, funding, conflicts of interest, privacy."""

    template_name = "guides/about.html"

    def get_context_data(self, **kwargs):
        guide = self.get_guide()
        # The clinical reviewers named are the ones who have approved a change (the sign-off records,
        # kept by the app that signs changes off: AppConfig.clinical_reviewers()).
        configs = (config for config in apps.get_app_configs() if hasattr(config, "clinical_reviewers"))
        reviewers = [reviewer for config in configs for reviewer in config.clinical_reviewers()]
        review_days = (guide.next_review_due - guide.last_reviewed).days
        return super().get_context_data(
            guide=guide, reviewers=reviewers, review=PageReview.of([guide]),
            review_months=max(1, round(review_days / 30.44)),
            rate_window_minutes=settings.FEEDBACK_RATE_WINDOW // 60, **kwargs
        )


class StepDetailView(GuidePageMixin, DetailView):
    """One step, with its place in the guide worked out from the ordered list."""

    template_name = "guides/step_detail.html"
    context_object_name = "step"

    def get_object(self, queryset=None):
        self.steps = list(self.visible(Step.objects, through_guide=True).select_related("guide"))
        for position, step in enumerate(self.steps):
            if step.slug == self.kwargs["slug"]:
                self.position = position
                return self.previewed(step)
        raise Http404("No step found with that address.")

    def get_context_data(self, **kwargs):
        step, position = self.object, self.position
        cards = list(self.cards(step.care_cards))
        return super().get_context_data(
            guide=step.guide,
            steps=self.steps,
            number=position + 1,
            previous_step=self.steps[position - 1] if position > 0 else None,
            next_step=self.steps[position + 1] if position + 1 < len(self.steps) else None,
            items=step.items.all(),
            care_cards=cards,
            draft=not step.is_published,
            review=PageReview.of([step], cards, self.signs_of(cards)),
            share_card=share_cards.for_step(step),
            **kwargs,
        )


class GuideAllView(GuidePageMixin, TemplateView):
    """The whole guide on one page, for reading straight through and printing."""

    template_name = "guides/guide_all.html"

    def get_context_data(self, **kwargs):
        # The guide comes with its steps (select_related) to keep the page at three queries.
        steps = list(
            self.visible(Step.objects, through_guide=True)
            .select_related("guide")
            .prefetch_related("items", Prefetch("care_cards", self.cards(CareCard.objects)))
        )
        guide = steps[0].guide if steps else self.get_guide()
        # The cards the steps show, each once and in full at the top, most urgent first (so a printed
        # copy has every sign on its first page); the steps that show them point up to them.
        ranks = {level: rank for rank, level in enumerate(CareCard.Level.values)}
        unique = {card.pk: card for step in steps for card in step.care_cards.all()}
        cards = sorted(unique.values(), key=lambda card: (ranks.get(card.level, len(ranks)), card.order, card.pk))
        signs = self.signs_of(cards)
        return super().get_context_data(
            guide=guide, steps=steps, cards=cards, review=PageReview.of([guide], steps, cards, signs), **kwargs
        )


class ExerciseSheetView(GuidePageMixin, TemplateView):
    """The warm-ups and positions with their doses and the emergency signs: two pages to print."""

    template_name = "guides/exercise_sheet.html"

    def get_context_data(self, **kwargs):
        guide, steps = self.steps_with_items()
        cards = list(self.cards(guide.care_cards.filter(level__in=CareCard.EMERGENCY_LEVELS)))
        signs = self.signs_of(cards)
        return super().get_context_data(
            guide=guide, steps=steps, emergency_cards=cards, review=PageReview.of([guide], steps, cards, signs),
            **kwargs,
        )


class MyPlanView(GuidePageMixin, TemplateView):
    """The reader's own plan. The page is the same for everyone (every exercise and position, ready
    to be shown, and every care card); the reader's choices stay in their browser's storage."""

    template_name = "guides/my_plan.html"

    def get_context_data(self, **kwargs):
        guide, steps = self.steps_with_items()
        cards = list(self.cards(guide.care_cards))
        signs = self.signs_of(cards)
        return super().get_context_data(
            guide=guide, steps=steps, cards=cards, review=PageReview.of([guide], steps, cards, signs), **kwargs
        )


class GuideItemListView(GuidePageMixin, ListView):
    """One kind of the guide's items on one page: its questions (the FAQ), its tips or its topics.

    The template follows from the model: guides/question_list.html, guides/tip_list.html, guides/topic_list.html.
    """

    relation = None  # the guide's related name for the items: "questions", "tips" or "topics"

    def get_queryset(self):
        self.guide = self.get_guide()
        return self.visible(getattr(self.guide, self.relation))

    def get_context_object_name(self, object_list):
        return self.relation

    def get_context_data(self, **kwargs):
        # object_list keeps its results, so the template's loop runs no second query.
        review = PageReview.of(self.object_list or [self.guide])
        return super().get_context_data(guide=self.guide, review=review, **kwargs)


class QuestionDetailView(GuidePageMixin, DetailView):
    template_name = "guides/question_detail.html"
    context_object_name = "question"

    def get_queryset(self):
        return self.visible(Question.objects, through_guide=True).select_related("guide")

    def get_object(self, queryset=None):
        return self.previewed(super().get_object(queryset))

    def get_context_data(self, **kwargs):
        question = self.object
        return super().get_context_data(
            guide=question.guide,
            draft=not question.is_published,
            review=PageReview.of([question]),
            share_card=share_cards.for_question(question),
            **kwargs,
        )


class TopicDetailView(GuidePageMixin, DetailView):
    """A topic page: its words, then its care cards with their signs (from the records)."""

    template_name = "guides/topic_detail.html"
    context_object_name = "topic"

    def get_queryset(self):
        return self.visible(Topic.objects, through_guide=True).select_related("guide").prefetch_related("sources")

    def get_object(self, queryset=None):
        return self.previewed(super().get_object(queryset))

    def get_context_data(self, **kwargs):
        topic = self.object
        cards = list(self.cards(topic.care_cards))
        return super().get_context_data(
            guide=topic.guide,
            care_cards=cards,
            draft=not topic.is_published,
            review=PageReview.of([topic], cards, self.signs_of(cards)),
            share_card=share_cards.for_topic(topic),
            **kwargs,
        )


class AppointmentView(GuidePageMixin, TemplateView):
    """"Take this to your appointment": boxes a reader fills in and prints. What they type stays in
    their browser (static/js/appointment.js); the page itself is the same for everyone, so it is cached."""

    template_name = "guides/appointment.html"
    fields = [
        {"name": "started", "label": "When did the pain start?"},
        {"name": "how", "label": "How did it start?", "hint": "For example, lifting something, a fall, or no clear reason."},
        {"name": "where", "label": "Where is the pain?", "hint": "Does it spread down one leg or both?"},
        {"name": "better", "label": "What makes it better?"},
        {"name": "worse", "label": "What makes it worse?"},
        {"name": "tried", "label": "What have you tried so far?", "hint": "Medicines, exercises, heat, rest."},
        {"name": "life", "label": "How does it affect your sleep, work or daily life?"},
        {"name": "worries", "label": "What worries you most?"},
        {"name": "hopes", "label": "What would you like from this appointment?"},
    ]

    def get_context_data(self, **kwargs):
        guide = self.get_guide()
        return super().get_context_data(guide=guide, fields=self.fields, review=PageReview.of([guide]), **kwargs)


class ShareImageView(GuidePageMixin, View):
    """A page's link-preview picture. An address with out-of-date words leads to the current picture."""

    def get(self, request, kind, name):
        slug, _, digest = name.rpartition("-")
        card = share_cards.find(kind, slug, request.user)
        if card is None:
            raise Http404("No page has a picture at that address.")
        if digest != card.digest:
            return redirect(card)
        picture = share_images.render_png(card.title, card.line, share_cards.SITE_NAME)
        return HttpResponse(picture, content_type="image/png")


class OfflinePageView(GuidePageMixin, TemplateView):
    """What the service worker shows offline for an address it has not kept: how to get help now."""

    template_name = "guides/offline.html"

    def get_context_data(self, **kwargs):
        # The worker keeps this page even when no guide is published: then it gives the numbers alone.
        guide = self.visible(Guide.objects).first()
        cards = list(self.cards(guide.care_cards.filter(level__in=CareCard.EMERGENCY_LEVELS))) if guide else []
        return super().get_context_data(guide=guide, emergency_cards=cards, **kwargs)


class ServiceWorkerView(View):
    """/sw.js: the script that keeps the guide on a reader's phone, with the list of what it keeps.

    The same for everyone (it lists reader pages only), so it is page-cached until the content
    changes; browsers must ask for it afresh each time, to learn of a new version at once."""

    def get(self, request):
        manifest = json.dumps(offline.manifest(), indent=1)
        response = render(request, "guides/service_worker.js", {"manifest": manifest},
                          content_type="text/javascript; charset=utf-8")
        return page_cache.mark_cacheable(response, browser_max_age=0)
