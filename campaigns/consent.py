"""What a pupil agrees to by sending his profile, or his results to an assessment. The sending page shows
this text, and each sending records it (campaigns.models.ConsentText), so the school can show what was
consented to and when."""

SENDING_CONSENT = (
    "En cliquant sur « J’envoie mon profil », j’accepte de transmettre à {organization} mon score Pix, "
    "mes niveaux dans les 16 compétences et ma certificabilité, tels qu’ils sont aujourd’hui, pour "
    "qu’elle puisse m’accompagner vers la certification Pix."
)


RESULTS_CONSENT = (
    "En cliquant sur «\u00a0J’envoie mes résultats\u00a0», j’accepte de transmettre à {organization} "
    "mes résultats à cette évaluation, tels qu’ils sont aujourd’hui\u00a0: les acquis que j’ai validés et "
    "mon taux de maîtrise de chaque compétence évaluée, pour qu’elle puisse m’accompagner."
)


def sending_consent_text(campaign):
    text = RESULTS_CONSENT if campaign.is_assessment else SENDING_CONSENT
    return text.format(organization=campaign.organization.name)
