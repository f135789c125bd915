from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from .models import ApiToken, Invitation, Membership, Organization, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "email", "first_name", "last_name", "is_staff", "last_login"]
    list_filter = ["is_staff", "is_superuser", "is_active", "memberships__role"]


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "type", "external_id", "created_at"]
    list_filter = ["type"]
    search_fields = ["name", "external_id"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organization", "role", "created_at"]
    list_filter = ["role", "organization"]
    search_fields = ["user__username", "user__email", "user__last_name", "organization__name"]
    autocomplete_fields = ["user", "organization"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "organization", "role", "status", "sent_at", "send_count", "created_at"]
    list_filter = ["status", "role"]
    search_fields = ["email", "organization__name", "organization__external_id"]
    autocomplete_fields = ["organization"]
    raw_id_fields = ["invited_by", "accepted_by"]
    list_select_related = ["organization"]
    # The key signs the e-mail's link: shown nowhere, changed only by « Renvoyer ».
    exclude = ["key"]
    readonly_fields = ["created_at", "sent_at", "send_count", "last_error", "accepted_at", "accepted_by"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Staff see and revoke (delete) tokens; only their owners create them, from their account page."""

    list_display = ["name", "user", "prefix", "read_only", "created_at", "last_used_at"]
    list_filter = ["read_only"]
    search_fields = ["name", "prefix", "user__username", "user__email", "user__last_name"]
    readonly_fields = ["user", "name", "prefix", "read_only", "created_at", "last_used_at"]
    exclude = ["key_hash"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
