from django.contrib import admin

from .models import LearnerClaim, OrganizationLearner


@admin.register(OrganizationLearner)
class OrganizationLearnerAdmin(admin.ModelAdmin):
    list_display = ["last_name", "first_name", "division", "birthdate", "organization", "user", "is_disabled"]
    list_filter = ["organization", "is_disabled", "division"]
    search_fields = ["last_name", "first_name", "national_student_id", "user__username"]
    autocomplete_fields = ["organization", "user"]
    list_select_related = ["organization", "user"]


@admin.register(LearnerClaim)
class LearnerClaimAdmin(admin.ModelAdmin):
    list_display = ["claimed_at", "learner", "user"]
    list_filter = ["learner__organization"]
    search_fields = ["learner__last_name", "learner__first_name", "user__username"]
    raw_id_fields = ["learner", "user"]
    list_select_related = ["learner", "user"]
    readonly_fields = ["learner", "user", "claimed_at"]
