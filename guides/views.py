from django.http import Http404
from django.db.models import Count, Prefetch
from django.views.generic import DetailView, ListView, TemplateView

from .models import CareCard, Guide, Question, Step, Tip


def published_guide():
    guide = Guide.objects.published().first()
    if guide is None:
        raise Http404("The guide has not been published yet.")
    return guide


class HomeView(TemplateView):
    template_name = "guides/home.html"

    def get_context_data(self, **kwargs):
        guide = published_guide()
        return super().get_context_data(
            guide=guide,
            steps=guide.steps.published().annotate(item_count=Count("items")),
            emergency_cards=guide.care_cards.published().filter(level=CareCard.Level.EMERGENCY),
            **kwargs,
        )


class StepDetailView(DetailView):
    """One step, with its place in the guide worked out from the ordered list."""

    template_name = "guides/step_detail.html"
    context_object_name = "step"

    def get_object(self, queryset=None):
        self.steps = list(Step.objects.published().filter(guide__is_published=True).select_related("guide"))
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
            care_cards=step.care_cards.published(),
            **kwargs,
        )


class GuideAllView(TemplateView):
    """The whole guide on one page, for reading straight through and printing."""

    template_name = "guides/guide_all.html"

    def get_context_data(self, **kwargs):
        # The guide comes with its steps (select_related) to keep the page at three queries.
        steps = list(
            Step.objects.published()
            .filter(guide__is_published=True)
            .select_related("guide")
            .prefetch_related("items", Prefetch("care_cards", CareCard.objects.published()))
        )
        guide = steps[0].guide if steps else published_guide()
        return super().get_context_data(guide=guide, steps=steps, **kwargs)


class QuestionListView(ListView):
    template_name = "guides/question_list.html"
    context_object_name = "questions"

    def get_queryset(self):
        self.guide = published_guide()
        return self.guide.questions.published()

    def get_context_data(self, **kwargs):
        return super().get_context_data(guide=self.guide, **kwargs)


class QuestionDetailView(DetailView):
    template_name = "guides/question_detail.html"
    context_object_name = "question"

    def get_queryset(self):
        return Question.objects.published().filter(guide__is_published=True).select_related("guide")

    def get_context_data(self, **kwargs):
        return super().get_context_data(guide=self.object.guide, **kwargs)


class TipListView(ListView):
    template_name = "guides/tip_list.html"
    context_object_name = "tips"

    def get_queryset(self):
        self.guide = published_guide()
        return self.guide.tips.published()

    def get_context_data(self, **kwargs):
        return super().get_context_data(guide=self.guide, **kwargs)
