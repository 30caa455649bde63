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
