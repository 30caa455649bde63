from django.contrib import admin
from markdownx.admin import MarkdownxModelAdmin

from .models import CareCard, Guide, Question, Step, StepItem, Tip


class StepItemInline(admin.StackedInline):
    model = StepItem
    extra = 0
    prepopulated_fields = {"slug": ("title",)}


@admin.register(Guide)
class GuideAdmin(MarkdownxModelAdmin):
    list_display = ("title", "is_published", "last_reviewed", "next_review_due")
    prepopulated_fields = {"slug": ("title",)}


@admin.register(Step)
class StepAdmin(MarkdownxModelAdmin):
    list_display = ("title", "order", "is_published", "last_reviewed", "next_review_due")
    prepopulated_fields = {"slug": ("title",)}
    inlines = [StepItemInline]


@admin.register(Question)
class QuestionAdmin(MarkdownxModelAdmin):
    list_display = ("question", "order", "is_published", "last_reviewed", "next_review_due")
    prepopulated_fields = {"slug": ("question",)}


@admin.register(Tip)
class TipAdmin(MarkdownxModelAdmin):
    list_display = ("title", "order", "is_published", "last_reviewed", "next_review_due")
    prepopulated_fields = {"slug": ("title",)}


@admin.register(CareCard)
class CareCardAdmin(MarkdownxModelAdmin):
    list_display = ("heading", "level", "order", "is_published", "last_reviewed", "next_review_due")
    prepopulated_fields = {"slug": ("heading",)}
