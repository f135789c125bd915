from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("connexion/", views.LoginView.as_view(), name="login"),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    path("inscription/", views.signup, name="signup"),
    path("inscription/envoyee/", views.signup_sent, name="signup_sent"),
    path("inscription/activer/<uidb64>/<token>/", views.signup_activation, name="signup_activate"),
    path("orga/organisation/", views.switch_organization, name="switch_organization"),
    # The Équipe page itself is /orga/equipe/ (campaigns:team, beside the other console pages).
    path("orga/equipe/inviter/", views.team_invite, name="team_invite"),
    path("orga/equipe/quitter/", views.team_leave, name="team_leave"),
    path("orga/equipe/membres/<id:pk>/role/", views.membership_role, name="team_member_role"),
    path("orga/equipe/membres/<id:pk>/retirer/", views.membership_remove, name="team_member_remove"),
    path("orga/equipe/invitations/<id:pk>/renvoyer/", views.invitation_resend, name="team_invitation_resend"),
    path("orga/equipe/invitations/<id:pk>/annuler/", views.invitation_cancel, name="team_invitation_cancel"),
    path("invitation/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("compte/jetons/", views.api_tokens, name="api_tokens"),
    path("compte/jetons/<id:pk>/revoquer/", views.api_token_revoke_view, name="api_token_revoke"),
    path("mot-de-passe/oubli/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "mot-de-passe/oubli/envoye/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "mot-de-passe/nouveau/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="accounts/password_reset_confirm.html",
            success_url=reverse_lazy("password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "mot-de-passe/nouveau/termine/",
        auth_views.PasswordResetCompleteView.as_view(template_name="accounts/password_reset_complete.html"),
        name="password_reset_complete",
    ),
]
