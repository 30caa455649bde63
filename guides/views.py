from django.db.models import Count, Prefetch
from django.http import Http404, HttpResponsePermanentRedirect
from django.utils.cache import add_never_cache_headers
from django.views.generic import DetailView, ListView, TemplateView

from . import page_cache
from .models import CareCard, Guide, MovedPage, Question, Step


class GuidePageMixin:
    """Readers see published copy (cached); staff also see drafts, never cached."""

    def dispatch(self, request, *args, **kwargs):
        try:
            response = super().dispatch(request, *args, **kwargs)
        except Http404:
            moved = MovedPage.objects.filter(old_path=request.path).first()
            if moved is None:
                raise
            return HttpResponsePermanentRedirect(moved.new_path)
        if request.user.is_staff:
            add_never_cache_headers(response)
            return response
        return page_cache.mark_cacheable(response)

    def visible(self, queryset):
        return queryset.visible_to(self.request.user)

    def get_guide(self):
        guide = self.visible(Guide.objects).first()
        if guide is None:
            raise Http404("The guide has not been published yet.")
        return guide

    def visible_steps(self):
        steps = self.visible(Step.objects)
        if not self.request.user.is_staff:
            steps = steps.filter(guide__is_published=True)
        return steps.select_related("guide")


class HomeView(GuidePageMixin, TemplateView):
    template_name = "guides/home.html"

    def get_context_data(self, **kwargs):
        guide = self.get_guide()
        return super().get_context_data(
            guide=guide,
            # Meta.ordering does not apply to queries with GROUP BY: order explicitly.
            steps=self.visible(guide.steps).annotate(item_count=Count("items")).order_by("order"),
            emergency_cards=self.visible(guide.care_cards).filter(level=CareCard.Level.EMERGENCY),
            **kwargs,
        )


class StepDetailView(GuidePageMixin, DetailView):
    """One step, with its place in the guide worked out from the ordered list."""

    template_name = "guides/step_detail.html"
    context_object_name = "step"

    def get_object(self, queryset=None):
        self.steps = list(self.visible_steps())
        for position, step in enumerate(self.steps):
            if step.slug == self.kwargs["slug"]:
                self.position = position
                return step
        raise Http404("No step found with that address.")

    def get_context_data(self, **kwargs):
        step, position = self.object, self.position
        return super().get_context_data(
            guide=step.guide,
            steps=self.steps,
            number=position + 1,
            previous_step=self.steps[position - 1] if position > 0 else None,
            next_step=self.steps[position + 1] if position + 1 < len(self.steps) else None,
            items=step.items.all(),
            care_cards=self.visible(step.care_cards),
            draft=not step.is_published,
            **kwargs,
        )


class GuideAllView(GuidePageMixin, TemplateView):
    """The whole guide on one page, for reading straight through and printing."""

    template_name = "guides/guide_all.html"

    def get_context_data(self, **kwargs):
        # The guide comes with its steps (select_related) to keep the page at three queries.
        steps = list(
            self.visible_steps().prefetch_related(
                "items", Prefetch("care_cards", self.visible(CareCard.objects))
            )
        )
        guide = steps[0].guide if steps else self.get_guide()
        return super().get_context_data(guide=guide, steps=steps, **kwargs)


class QuestionListView(GuidePageMixin, ListView):
    template_name = "guides/question_list.html"
    context_object_name = "questions"

    def get_queryset(self):
        self.guide = self.get_guide()
        return self.visible(self.guide.questions)

    def get_context_data(self, **kwargs):
        return super().get_context_data(guide=self.guide, **kwargs)


class QuestionDetailView(GuidePageMixin, DetailView):
    template_name = "guides/question_detail.html"
    context_object_name = "question"

    def get_queryset(self):
        questions = self.visible(Question.objects)
        if not self.request.user.is_staff:
            questions = questions.filter(guide__is_published=True)
        return questions.select_related("guide")

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            guide=self.object.guide, draft=not self.object.is_published, **kwargs
        )


class TipListView(GuidePageMixin, ListView):
    template_name = "guides/tip_list.html"
    context_object_name = "tips"

    def get_queryset(self):
        self.guide = self.get_guide()
        return self.visible(self.guide.tips)

    def get_context_data(self, **kwargs):
        return super().get_context_data(guide=self.guide, **kwargs)
