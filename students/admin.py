from django.contrib import admin

from .models import GeneratedAccount, LearnerClaim, OrganizationLearner, RosterImport


@admin.register(OrganizationLearner)
class OrganizationLearnerAdmin(admin.ModelAdmin):
    list_display = [
        "last_name",
        "first_name",
        "division",
        "birthdate",
        "organization",
        "user",
        "certificability",
        "is_disabled",
    ]
    list_filter = ["organization", "is_disabled", "certificability", "division"]
    search_fields = ["last_name", "first_name", "national_student_id", "user__username"]
    autocomplete_fields = ["organization", "user"]
    list_select_related = ["organization", "user"]
    # Written by the sendings and the recomputations, never by hand.
    readonly_fields = [
        "certificability",
        "certifiable_competences_count",
        "certificability_at",
        "certificability_source",
    ]


@admin.register(RosterImport)
class RosterImportAdmin(admin.ModelAdmin):
    """What each import did, for support: the history is read, never edited."""

    list_display = ["created_at", "organization", "created_by", "file_name", "format", "status"]
    list_filter = ["status", "format"]
    search_fields = ["organization__name", "organization__external_id", "file_name"]
    date_hierarchy = "created_at"
    list_select_related = ["organization", "created_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(GeneratedAccount)
class GeneratedAccountAdmin(admin.ModelAdmin):
    list_display = ["user", "must_change_password", "password_generated_at", "password_generated_by"]
    list_filter = ["must_change_password"]
    search_fields = ["user__username", "user__last_name", "user__first_name"]
    autocomplete_fields = ["user"]
    raw_id_fields = ["password_generated_by"]
    list_select_related = ["user", "password_generated_by"]


@admin.register(LearnerClaim)
class LearnerClaimAdmin(admin.ModelAdmin):
    list_display = ["claimed_at", "learner", "user"]
    list_filter = ["learner__organization"]
    search_fields = ["learner__last_name", "learner__first_name", "user__username"]
    raw_id_fields = ["learner", "user"]
    list_select_related = ["learner", "user"]
    readonly_fields = ["learner", "user", "claimed_at"]
