"""The feedback form's fields as a page gives them (no request needed)."""


def answer_fields(item, helpful="no"):
    return {
        "item": item._meta.label_lower, "slug": item.slug, "version": item.version,
        "page": item.get_absolute_url().split("#")[0], "helpful": helpful,
    }
