from django import forms

from .fact_check import LONGEST_DAYS


class FactCheckSendForm(forms.Form):
    """What an editor gives to send a fact-check link from a waiting change."""

    fact_check_email = forms.EmailField(label="Expert's email address")
    fact_check_days = forms.IntegerField(
        label="Days the link works", min_value=1, max_value=LONGEST_DAYS, initial=LONGEST_DAYS, required=False
    )


class FactCheckCommentForm(forms.Form):
    """The outside expert's comments: one message, sent once."""

    comment = forms.CharField(
        label="Your comments",
        max_length=5000,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 8, "cols": 60}),
        help_text="Say which sentence you mean. Your comments go to the editors and the clinical reviewer.",
    )
