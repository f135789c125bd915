"""Playing an evaluation through the pupil's pages, as a browser would."""

import re

from django.urls import reverse

from evaluation.factories import ChallengeFactory, SkillFactory, TopicFactory
from evaluation.models import Challenge
from evaluation.selectors import Competence

CHALLENGE_KINDS = {
    Challenge.Kind.SINGLE: {"proposals": ["Oui", "Non", "Peut-être"], "solution": [1], "accepted": []},
    Challenge.Kind.MULTIPLE: {
        "statement": "Lesquelles ? (plusieurs réponses possibles)",
        "proposals": ["Rouge", "Vert", "Bleu", "Jaune"],
        "solution": [1, 3],
        "accepted": [],
    },
    Challenge.Kind.SHORT: {"proposals": [], "solution": [], "accepted": ["mot de passe", "mdp"]},
}


def make_bank(code="1.1", kinds=(Challenge.Kind.SINGLE,), topics=2, difficulties=(1, 2, 3)):
    """A bank of our own on one competence: `topics` topics, two challenges per (topic, difficulty), of the
    given kinds in turn. The real bank's challenges are switched off so that only these are served."""
    return make_banks([code], kinds=kinds, topics=topics, difficulties=difficulties)


def make_banks(codes, kinds=(Challenge.Kind.SINGLE,), topics=2, difficulties=(1, 2, 3)):
    """make_bank on each of the competences `codes`."""
    Challenge.objects.update(is_active=False)
    challenges = []
    for code in codes:
        for t in range(topics):
            topic = TopicFactory(
                competence=Competence.objects.get(code=code), slug=f"sujet-{code.replace('.', '-')}-{t}"
            )
            for difficulty in difficulties:
                skill = SkillFactory(topic=topic, difficulty=difficulty)
                for letter in "ab":
                    kind = kinds[len(challenges) % len(kinds)]
                    challenges.append(
                        ChallengeFactory(
                            skill=skill,
                            ref=f"{code}-{topic.slug}-{difficulty}{letter}",
                            kind=kind,
                            **CHALLENGE_KINDS[kind],
                        )
                    )
    return challenges


_CHALLENGE_FIELD = re.compile(r'name="epreuve" value="(\d+)"')


def current_challenge(client, evaluation):
    """The challenge the question page shows now."""
    html = client.get(reverse("evaluation:question", args=[evaluation.pk])).content.decode()
    return Challenge.objects.get(pk=int(_CHALLENGE_FIELD.search(html).group(1)))


def right_answer(challenge):
    if challenge.kind == Challenge.Kind.SHORT:
        return {"reponse": challenge.accepted[0].upper()}
    return {"reponse": [str(number) for number in challenge.solution]}


def wrong_answer(challenge):
    if challenge.kind == Challenge.Kind.SHORT:
        return {"reponse": "je ne sais pas"}
    wrong = next(n for n in range(1, len(challenge.proposals) + 1) if n not in challenge.solution)
    return {"reponse": [str(wrong)]}


def answer(client, evaluation, challenge, data):
    return client.post(
        reverse("evaluation:answer", args=[evaluation.pk]),
        {"epreuve": challenge.pk, "action": "valider", **data},
    )


def skip(client, evaluation, challenge):
    return client.post(
        reverse("evaluation:answer", args=[evaluation.pk]), {"epreuve": challenge.pk, "action": "passer"}
    )


def play_to_the_end(client, evaluation, *, right):
    """Answer every question, right or wrong, and return how many were asked."""
    count = 0
    evaluation.refresh_from_db()
    while not evaluation.is_completed:
        challenge = current_challenge(client, evaluation)
        answer(client, evaluation, challenge, right_answer(challenge) if right else wrong_answer(challenge))
        evaluation.refresh_from_db()
        count += 1
    return count
