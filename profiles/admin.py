from django.contrib import admin

from .models import Area, Competence, CompetencePix, EvaluationGain, ProfileSnapshot


class CompetenceInline(admin.TabularInline):
    model = Competence
    extra = 0


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ["code", "title"]
    inlines = [CompetenceInline]


@admin.register(Competence)
class CompetenceAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "area"]
    list_filter = ["area"]
    search_fields = ["code", "name"]


@admin.register(CompetencePix)
class CompetencePixAdmin(admin.ModelAdmin):
    list_display = ["user", "competence", "pix", "updated_at"]
    list_filter = ["competence"]
    search_fields = ["user__username", "user__last_name", "user__first_name"]
    autocomplete_fields = ["user"]
    list_select_related = ["user", "competence"]


@admin.register(ProfileSnapshot)
class ProfileSnapshotAdmin(admin.ModelAdmin):
    """Sent profiles are evidence of what the pupil sent: they are shown, never edited."""

    list_display = ["user", "taken_at", "pix_score", "certifiable_competences_count", "is_certifiable"]
    list_filter = ["is_certifiable", "taken_at"]
    search_fields = ["user__username", "user__last_name", "user__first_name"]
    date_hierarchy = "taken_at"
    list_select_related = ["user"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(EvaluationGain)
class EvaluationGainAdmin(admin.ModelAdmin):
    """Derived from the pupil's answers when they raised his live pix: shown, never edited."""

    list_display = ["evaluation", "pix_before", "pix_after"]
    search_fields = ["evaluation__user__username", "evaluation__user__last_name"]
    list_select_related = ["evaluation__user", "evaluation__competence"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
