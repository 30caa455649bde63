"""The content admin's widgets: the Markdown box with its reader-style preview, the picture picker,
and the length check that counts a browser's line ends as stored."""

from django import forms
from django.core.validators import MaxLengthValidator
from markdownx.widgets import AdminMarkdownxWidget

from .markdown import stored_text


class MarkdownPreviewWidget(AdminMarkdownxWidget):
    """The Markdown box with its live preview labelled as readers will see it; side by side on a wide screen."""

    template_name = "guides/widgets/markdown.html"
    preview_path = None  # the content-checks form sets it: the preview's address for this field and item

    def add_markdownx_attrs(self, attrs):
        attrs = super().add_markdownx_attrs(attrs)
        if self.preview_path is not None:
            attrs["data-markdownx-urls-path"] = self.preview_path()
        return attrs




class PicturePicker(forms.RadioSelect):
    """The shipped illustrations as pictures to choose from, not a list of file names."""

    option_template_name = "guides/widgets/picture_option.html"

    def __init__(self, attrs=None, choices=()):
        super().__init__({"class": "picture-picker", **(attrs or {})}, choices)


class PicturePickerMixin:
    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "illustration":
            kwargs["widget"] = PicturePicker
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class BrowserTextLength(MaxLengthValidator):
    """Counts a textarea's CRLF line ends (as browsers send them) as one character, as stored."""

    def clean(self, x):
        return len(stored_text(x))


class MarkdownFieldsMixin:
    """The Markdown boxes: each field a model names in `markdown_fields` (a plain TextField) gets the
    editor with its live preview, and is checked against its length limit while the form's fields are
    cleaned, so an over-long text gets that error at once, before the content checks read it."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        is_markdown = db_field.name in getattr(db_field.model, "markdown_fields", ())
        if is_markdown:
            kwargs["widget"] = MarkdownPreviewWidget
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if formfield is not None and is_markdown:
            formfield.validators += [
                BrowserTextLength(validator.limit_value, validator.message)
                for validator in db_field.validators
                if isinstance(validator, MaxLengthValidator)
            ]
        return formfield
