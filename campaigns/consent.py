"""What a pupil agrees to by sending his profile. The sending page shows this text, and each sending
records it (campaigns.models.ConsentText), so the school can show what was consented to and when."""

SENDING_CONSENT = (
    "En cliquant sur « J’envoie mon profil », j’accepte de transmettre à {organization} mon score Pix, "
    "mes niveaux dans les 16 compétences et ma certificabilité, tels qu’ils sont aujourd’hui, pour "
    "qu’elle puisse m’accompagner vers la certification Pix."
)


def sending_consent_text(campaign):
    return SENDING_CONSENT.format(organization=campaign.organization.name)
