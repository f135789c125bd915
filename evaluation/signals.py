"""What the evaluation app tells the others, so that it never imports them (profiles listens)."""

from django.dispatch import Signal

# Sent inside the transaction of every answer, with `evaluation` and `pix`: the pix that the skills the
# pupil has validated so far on the evaluation's competence are worth (capped).
knowledge_changed = Signal()
