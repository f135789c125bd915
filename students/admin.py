from django.contrib import admin

from .models import OrganizationLearner


@admin.register(OrganizationLearner)
class OrganizationLearnerAdmin(admin.ModelAdmin):
    list_display = ["last_name", "first_name", "division", "birthdate", "organization", "user", "is_disabled"]
    list_filter = ["organization", "is_disabled", "division"]
    search_fields = ["last_name", "first_name", "national_student_id", "user__username"]
    autocomplete_fields = ["organization", "user"]
    list_select_related = ["organization", "user"]
