from django.contrib import admin

from .models import Area, Competence, CompetencePix, ProfileSnapshot


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
