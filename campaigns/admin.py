from django.contrib import admin

from .models import Campaign, CampaignActivityDay, Participation, ParticipationEvaluation
from .services import campaign_code_new


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "code",
        "organization",
        "type",
        "owner",
        "participants_count",
        "received_count",
        "created_at",
        "archived_at",
    ]
    list_filter = ["type", "multiple_sendings", ("archived_at", admin.EmptyFieldListFilter), "organization"]
    search_fields = ["name", "code", "organization__name", "owner__last_name"]
    autocomplete_fields = ["organization", "owner", "creator", "archived_by", "target_topics"]
    readonly_fields = ["code", "created_at", "participants_count", "received_count", "certifiable_count"]
    list_select_related = ["organization", "owner"]
    date_hierarchy = "created_at"

    def save_model(self, request, obj, form, change):
        # A campaign made here gets a code like any other: generated, unique, in Pix's format.
        if not obj.code:
            obj.code = campaign_code_new()
        super().save_model(request, obj, form, change)


class ParticipationEvaluationInline(admin.TabularInline):
    """An assessment's evaluations, one per target competence: the answers are in the evaluation app."""

    model = ParticipationEvaluation
    extra = 0
    fields = ["competence", "evaluation"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Participation)
class ParticipationAdmin(admin.ModelAdmin):
    list_display = [
        "learner",
        "campaign",
        "status",
        "shared_at",
        "pix_score",
        "is_latest_sending",
        "deleted_at",
    ]
    list_filter = ["status", "is_improved", "is_latest_sending", ("deleted_at", admin.EmptyFieldListFilter)]
    search_fields = ["learner__last_name", "learner__first_name", "user__username", "campaign__code"]
    autocomplete_fields = ["campaign", "user", "learner", "deleted_by"]
    # A sending is evidence of what the pupil sent: its content is shown, never edited here.
    readonly_fields = [
        "snapshot",
        "created_at",
        "shared_at",
        "pix_score",
        "is_certifiable",
        "certifiable_competences_count",
        "sending_number",
        "previous_pix_score",
        "is_latest_sending",
        "assessment_result",
        "mastery_rate",
    ]
    list_select_related = ["learner", "campaign"]
    inlines = [ParticipationEvaluationInline]


@admin.register(CampaignActivityDay)
class CampaignActivityDayAdmin(admin.ModelAdmin):
    list_display = ["campaign", "day", "joined", "received"]
    list_select_related = ["campaign"]
    raw_id_fields = ["campaign"]
