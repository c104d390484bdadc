from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from simple_history.admin import SimpleHistoryAdmin

from chronicle.accounts.models import Agency, Invitation, Membership, Partnership, User


@admin.register(User)
class ChronicleUserAdmin(UserAdmin):
    list_display = ["email", "first_name", "last_name", "is_active", "is_superuser"]


@admin.register(Partnership)
class PartnershipAdmin(SimpleHistoryAdmin):
    list_display = ["name", "request_due_working_days", "rapid_review_clock_start"]


@admin.register(Agency)
class AgencyAdmin(SimpleHistoryAdmin):
    list_display = ["name", "partnership", "agency_type", "is_statutory_partner", "active"]
    list_filter = ["partnership", "agency_type"]


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["user", "partnership", "agency", "role"]
    list_filter = ["partnership", "role"]


@admin.register(Invitation)
class InvitationAdmin(SimpleHistoryAdmin):
    list_display = ["email", "partnership", "role", "created_at", "accepted_at"]
