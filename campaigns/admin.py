from django.contrib import admin

from .models import Campaign, Participation


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "organization", "type", "owner", "created_at", "archived_at"]
    list_filter = ["type", "multiple_sendings", ("archived_at", admin.EmptyFieldListFilter), "organization"]
    search_fields = ["name", "code", "organization__name", "owner__last_name"]
    autocomplete_fields = ["organization", "owner", "creator", "archived_by"]
    readonly_fields = ["code", "created_at"]
    list_select_related = ["organization", "owner"]
    date_hierarchy = "created_at"


@admin.register(Participation)
class ParticipationAdmin(admin.ModelAdmin):
    list_display = ["learner", "campaign", "status", "shared_at", "is_improved"]
    list_filter = ["status", "is_improved"]
    search_fields = ["learner__last_name", "learner__first_name", "user__username", "campaign__code"]
    autocomplete_fields = ["campaign", "user", "learner"]
    readonly_fields = ["snapshot", "created_at", "shared_at"]
    list_select_related = ["learner", "campaign"]
