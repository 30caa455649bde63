from django import forms
from django.core import signing
from django.urls import reverse

from guides.models import REVIEWED_MODELS, Guide, is_local_path

from .models import COMMENT_MAX_LENGTH, Feedback

ITEM_MODELS = {model._meta.label_lower: model for model in REVIEWED_MODELS}
COMMENT_SALT = "feedback.comment"
COMMENT_TOKEN_MAX_AGE = 60 * 60  # a comment may follow its "No" for an hour


def pages_showing(item):
    """The addresses whose form is about this item: its own page; for the guide, also the tips
    and help pages (they show the guide's form)."""
    pages = {item.get_absolute_url().split("#")[0]}
    if isinstance(item, Guide):
        pages |= {reverse("guides:tips"), reverse("guides:help")}
    return pages


class HoneypotForm(forms.Form):
    # Hidden from people by the stylesheet; bots that fill every field give themselves away.
    website = forms.CharField(required=False)

    def is_from_a_bot(self):
        return bool(self.cleaned_data.get("website"))


class FeedbackForm(HoneypotForm):
    """The answer to "Was this page helpful?": the item, its version and the page come from hidden fields.

    Items are named by slug, as in exported content, so a page is the same after an export and import."""

    item = forms.ChoiceField(choices=[(label, label) for label in ITEM_MODELS])
    slug = forms.SlugField()
    version = forms.IntegerField(min_value=1)
    page = forms.CharField(max_length=200)
    helpful = forms.ChoiceField(choices=[("yes", "Yes"), ("no", "No")])
    comment = forms.CharField(required=False, max_length=COMMENT_MAX_LENGTH)

    def clean_page(self):
        page = self.cleaned_data["page"]
        if not is_local_path(page):
            raise forms.ValidationError("The page must be an address on this site.")
        return page

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        # Readers' items only: a draft's slug gets the answer an unknown one gets. The page must be
        # one that shows this item's form, so no other address is stored.
        item = ITEM_MODELS[data["item"]].objects.published().filter(slug=data["slug"]).first()
        if item is None or data["version"] > item.version or data["page"] not in pages_showing(item):
            raise forms.ValidationError("That page is not one we know.")
        data["item_object"] = item
        return data

    def save(self):
        data = self.cleaned_data
        return Feedback.objects.create(
            item=data["item_object"],
            item_version=data["version"],
            page=data["page"],
            helpful=data["helpful"] == "yes",
            comment=data["comment"],
        )


class CommentForm(HoneypotForm):
    """The optional "What was wrong or missing?" that follows a "No", tied to it by a signed token."""

    answer = forms.CharField()
    comment = forms.CharField(required=False, max_length=COMMENT_MAX_LENGTH, widget=forms.Textarea)

    @staticmethod
    def token_for(feedback):
        return signing.dumps(feedback.pk, salt=COMMENT_SALT)

    def clean_answer(self):
        try:
            pk = signing.loads(self.cleaned_data["answer"], salt=COMMENT_SALT, max_age=COMMENT_TOKEN_MAX_AGE)
        except signing.BadSignature:
            raise forms.ValidationError("This form is too old. Please answer again from the page.")
        # Only a "No" takes a comment, and only once: a replayed token cannot overwrite it.
        feedback = Feedback.objects.filter(pk=pk, helpful=False, comment="").first()
        if feedback is None:
            raise forms.ValidationError("We already have your comment.")
        return feedback

    def save(self):
        feedback = self.cleaned_data["answer"]
        if self.cleaned_data["comment"]:
            feedback.comment = self.cleaned_data["comment"]
            feedback.save(update_fields=["comment"])
        return feedback
