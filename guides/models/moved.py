"""Pages that moved: an old address of a published page sends readers on to the new one."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.http import url_has_allowed_host_and_scheme

LOCAL_PATH_HELP = "Give a path on this site, starting with a single '/', for example /faq/old-slug/."


def is_local_path(path):
    """True for an address on this site ("/tips/"), never for one a browser would take elsewhere
    ("//x", "/\\x", "javascript:…"), nor for one with spaces or unprintable characters."""
    return (
        path.startswith("/")
        and path.isprintable()
        and " " not in path
        and url_has_allowed_host_and_scheme(path, allowed_hosts=set())
    )


class MovedPage(models.Model):
    """An address a published page used to have. Readers following an old link are sent on (301)."""

    old_path = models.CharField(max_length=200, unique=True, help_text="For example /faq/old-slug/")
    new_path = models.CharField(max_length=200, help_text="Where the page lives now.")
    moved_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("old_path",)
        verbose_name = "old address"
        verbose_name_plural = "old addresses (sent on to the new ones)"

    def __str__(self):
        return f"{self.old_path} → {self.new_path}"

    def clean(self):
        # Both ends are paths on this site: a redirect to anywhere else would be an open redirect.
        problems = {name: LOCAL_PATH_HELP for name in ("old_path", "new_path") if not is_local_path(getattr(self, name))}
        if not problems and self.old_path == self.new_path:
            problems["new_path"] = "A page cannot be moved to the address it moved from."
        if problems:
            raise ValidationError(problems)

    @classmethod
    def record_move(cls, old, new):
        """Send `old` on to `new` for good, keeping every earlier address one hop from the page.

        Moving back to an address removes the redirect away from it, so no chain or loop is left.
        """
        if old == new:
            return
        cls.objects.filter(old_path=new).delete()
        cls.objects.filter(new_path=old).update(new_path=new)
        cls.objects.update_or_create(old_path=old, defaults={"new_path": new})
