from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone

from . import fact_check
from .forms import FactCheckSendForm
from .models import FactCheckRequest, Proposal, ReviewerProfile
from .rules import SignOffRefused


@admin.register(ReviewerProfile)
class ReviewerProfileAdmin(admin.ModelAdmin):
    """How each clinical reviewer signs their approvals, as readers see it."""

    list_display = ("public_name", "role", "user")
    search_fields = ("public_name", "role", "user__username")


@admin.register(FactCheckRequest)
class FactCheckRequestAdmin(admin.ModelAdmin):
    """Fact-check links sent to outside experts. They are made from a waiting change (the "Ask an
    outside expert" link on its page), never here; here they are read and cancelled."""

    list_display = ("proposal", "expert_email", "sent_by", "created_at", "expires_at", "state")
    list_select_related = ("proposal", "sent_by")
    search_fields = ("expert_email",)
    readonly_fields = [field.name for field in FactCheckRequest._meta.fields if field.name != "secret_hash"] + ["state"]
    exclude = ("secret_hash",)  # only a hash of the link's secret is kept, and even that is not shown
    actions = ["revoke_links"]

    def has_add_permission(self, request):
        return False

    @admin.display(description="state")
    def state(self, obj):
        return fact_check.state(obj)

    @admin.action(description="Cancel the selected links now", permissions=["view"])
    def revoke_links(self, request, queryset):
        cancelled = 0
        for check in queryset.select_related("proposal"):
            was_open = fact_check.state(check) == "open"
            try:
                fact_check.revoke(check, request.user)
                cancelled += was_open
            except SignOffRefused as refusal:
                self.message_user(request, str(refusal), messages.ERROR)
        self.message_user(request, f"{cancelled} link(s) cancelled: they stop working at once.", messages.SUCCESS)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("send/<int:proposal_id>/", view(self.send_view), name="signoff_factcheckrequest_send"),
            path("<int:pk>/revoke/", view(self.revoke_view), name="signoff_factcheckrequest_revoke"),
            *super().get_urls(),
        ]

    def send_view(self, request, proposal_id):
        """The small form on a waiting change: the expert's address and how many days the link works."""
        proposal = get_object_or_404(Proposal, pk=proposal_id)
        if not fact_check.may_send(request.user, proposal.item):
            raise PermissionDenied
        form = FactCheckSendForm(request.POST if request.method == "POST" else None)
        if form.is_valid():
            days = form.cleaned_data["fact_check_days"] or fact_check.LONGEST_DAYS
            try:
                with transaction.atomic():
                    check, _ = fact_check.send(proposal, request.user, form.cleaned_data["fact_check_email"], days)
            except SignOffRefused as refusal:
                self.message_user(request, str(refusal), messages.ERROR)
            else:
                until = timezone.localtime(check.expires_at).strftime("%-d %B %Y")
                self.message_user(request, f"A fact-check link is on its way to {check.expert_email}. It works once, "
                                  f"until {until}. Their comments will show here.", messages.SUCCESS)
            return HttpResponseRedirect(proposal.get_absolute_url())
        return self.page(request, "signoff/fact_check/send.html", proposal, form=form)

    def revoke_view(self, request, pk):
        check = get_object_or_404(FactCheckRequest.objects.select_related("proposal"), pk=pk)
        if not fact_check.may_send(request.user, check.proposal.item):
            raise PermissionDenied
        if request.method == "POST":
            fact_check.revoke(check, request.user)
            self.message_user(request, f"The link sent to {check.expert_email} is cancelled: it works no more.",
                              messages.SUCCESS)
            return HttpResponseRedirect(check.proposal.get_absolute_url())
        return self.page(request, "signoff/fact_check/revoke.html", check.proposal, check=check)

    def page(self, request, template, proposal, **context):
        context = {
            **self.admin_site.each_context(request), "opts": self.opts, "proposal": proposal,
            "item": proposal.item, "title": "Fact check by an outside expert", **context,
        }
        return TemplateResponse(request, template, context)
