from django.contrib import admin
from django.db.models import Count, Q

from .models import Answer, Challenge, Evaluation, Skill, Topic


class SkillInline(admin.TabularInline):
    model = Skill
    extra = 0
    fields = ["difficulty"]
    show_change_link = True


class ChallengeInline(admin.TabularInline):
    model = Challenge
    extra = 0
    fields = ["ref", "kind", "is_active"]
    readonly_fields = ["ref", "kind"]
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "competence", "position", "skill_count"]
    list_filter = ["competence"]
    search_fields = ["name", "slug", "competence__code"]
    list_select_related = ["competence"]
    inlines = [SkillInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(skill_total=Count("skills"))

    @admin.display(description="acquis", ordering="skill_total")
    def skill_count(self, topic):
        return topic.skill_total


@admin.register(Skill)
class SkillAdmin(admin.ModelAdmin):
    list_display = ["__str__", "topic", "difficulty", "active_challenges"]
    list_filter = ["difficulty", "topic__competence"]
    search_fields = ["topic__slug", "topic__name"]
    list_select_related = ["topic__competence"]
    autocomplete_fields = ["topic"]
    inlines = [ChallengeInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(active_total=Count("challenges", filter=Q(challenges__is_active=True)))
        )

    @admin.display(description="épreuves actives", ordering="active_total")
    def active_challenges(self, skill):
        return skill.active_total


@admin.register(Challenge)
class ChallengeAdmin(admin.ModelAdmin):
    """The bank's files are its source (manage.py load_bank); here one reads it, fixes a challenge in a
    hurry, and switches a faulty one off."""

    list_display = ["ref", "competence", "skill", "kind", "is_active"]
    list_filter = ["is_active", "kind", "skill__difficulty", "skill__topic__competence"]
    search_fields = ["ref", "statement", "skill__topic__name"]
    list_select_related = ["skill__topic__competence"]
    list_editable = ["is_active"]
    autocomplete_fields = ["skill"]

    @admin.display(description="compétence", ordering="skill__topic__competence__code")
    def competence(self, challenge):
        return challenge.skill.topic.competence.code


class AnswerInline(admin.TabularInline):
    model = Answer
    extra = 0
    fields = ["challenge", "value", "result", "created_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Evaluation)
class EvaluationAdmin(admin.ModelAdmin):
    """An evaluation is the evidence behind a pupil's pix: shown, never edited."""

    list_display = ["user", "competence", "status", "created_at", "completed_at"]
    list_filter = ["status", "competence"]
    search_fields = ["user__username", "user__last_name", "user__first_name"]
    date_hierarchy = "created_at"
    list_select_related = ["user", "competence"]
    raw_id_fields = ["user"]
    inlines = [AnswerInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
