from django.apps import AppConfig


class SignoffConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "signoff"
    verbose_name = "Clinical sign-off"

    def preview(self, pk):
        """The open proposal `pk` as guides' reader pages show it to staff, or None. Guides looks
        this method up in the app registry (as review_flags()), so it never imports signoff."""
        from .preview import Preview

        return Preview.of(pk)

    def clinical_reviewers(self):
        """The reviewers who have approved a change, as readers see them (the About page names them).
        Looked up in the app registry like preview(), so guides never imports signoff."""
        from .models import Proposal, ReviewerProfile

        approvers = Proposal.objects.filter(status=Proposal.Status.APPROVED).values("reviewer")
        return list(ReviewerProfile.objects.filter(user__in=approvers))

    def under_review(self, obj):
        """Whether a change waiting for sign-off, or approved to publish on a later date, links `obj`
        (a source an item is to cite): what the reviewer read of it must be what goes live, so it
        may not change meanwhile. Looked up in the app registry like preview()."""
        from .models import Proposal

        open_changes = Proposal.objects.filter(
            status__in=(Proposal.Status.WAITING, Proposal.Status.SCHEDULED)
        ).select_related("content_type")
        for proposal in open_changes:
            model = proposal.content_type.model_class()
            if model is None:
                continue
            for field in model._meta.many_to_many:
                if field.related_model is type(obj) and obj.pk in (proposal.proposed.get(field.name) or ()):
                    return True
        return False
