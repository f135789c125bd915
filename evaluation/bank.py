"""The question bank's files (`evaluation/content/<code>.toml`, format in bank-format.md): reading them, and
the rules every file follows. Pure: the caller gives the competence codes that exist; services.bank_load
writes.

Every violation is reported with its file and challenge ref, all at once, so that a content writer fixes a
file in one pass.
"""

import re
import textwrap
import tomllib
from dataclasses import dataclass
from pathlib import Path

from .checking import normalize_short_answer

CONTENT_DIR = Path(__file__).resolve().parent / "content"
MIN_TOPICS = 2
REQUIRED_DIFFICULTIES = (1, 2, 3)
MAX_DIFFICULTY = 8
MIN_CHALLENGES_IN_BANK = 200
MULTIPLE_ANSWERS_NOTICE = "plusieurs réponses possibles"
SHORT_ANSWER_MAX_WORDS = 3

SINGLE, MULTIPLE, SHORT = "single", "multiple", "short"
PROPOSAL_COUNTS = {SINGLE: (3, 4), MULTIPLE: (4, 5)}

_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_CODE_SPAN = re.compile(r"`[^`]*`")
# « A » opening a sentence before the words « À » introduces is « À » without its accent, and « Ca » before
# a word is « Ça ». Narrow on purpose: « colonne A », « A et B » or « A1 » are left alone.
_UNACCENTED_CAPITAL = re.compile(
    r"(?:^|[.!?…]\s+|\n\s*(?:[-*]\s+)?)(A)\s+(?=(?:quoi|qui|quel|quelle|quels|quelles|partir|la|le|les|l’|"
    r"chaque|votre|vos|ton|ta|tes|son|sa|ses|cause|propos|part|noter|combien|nouveau|titre|travers|présent)\b)"
    r"|\b(Ca)\s+(?=[a-zàâçéèêëîïôûùüÿ])"
)

FILE_KEYS = {"competence", "topics"}
TOPIC_KEYS = {"slug", "name", "challenges"}
CHALLENGE_KEYS = {"ref", "difficulty", "kind", "statement", "proposals", "answer", "accepted"} | {
    "explanation",
    "learn_more",
}


class BankError(Exception):
    """The bank breaks its rules; `problems` lists every one as « file: ref: what is wrong »."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__(
            f"{len(self.problems)} problème(s) dans la banque de questions :\n"
            + "\n".join(f"- {problem}" for problem in self.problems)
        )


@dataclass(frozen=True)
class ChallengeSpec:
    ref: str
    difficulty: int
    kind: str
    statement: str
    proposals: tuple
    solution: tuple  # 1-based indexes of the right proposals (single, multiple)
    accepted: tuple  # every accepted answer (short)
    explanation: str
    learn_more: str


@dataclass(frozen=True)
class TopicSpec:
    slug: str
    name: str
    challenges: tuple


@dataclass(frozen=True)
class CompetenceSpec:
    code: str
    path: Path
    topics: tuple

    @property
    def challenges(self):
        return [challenge for topic in self.topics for challenge in topic.challenges]


def _text(value):
    """A TOML string as written in a file: the indentation of a multi-line string and outer blanks go."""
    return textwrap.dedent(value).strip() if isinstance(value, str) else value


def _typography_problems(field, text):
    problems = []
    prose = _CODE_SPAN.sub("", text)
    if "'" in prose:
        problems.append(f"{field} : apostrophe droite ' hors code ; écrivez l'apostrophe typographique ’")
    for match in _UNACCENTED_CAPITAL.finditer(prose):
        word = match.group(1) or match.group(2)
        problems.append(f"{field} : « {word} » sans accent ; écrivez « {'À' if word == 'A' else 'Ça'} »")
    return problems


def _is_index_list(value):
    return isinstance(value, list) and all(
        isinstance(item, int) and not isinstance(item, bool) for item in value
    )


def challenge_problems(*, kind, statement, proposals, solution, accepted, explanation, learn_more):
    """What is wrong with one challenge's content, whoever wrote it (a file or the admin)."""
    problems = []
    for field, value in (("statement", statement), ("explanation", explanation), ("learn_more", learn_more)):
        if not isinstance(value, str) or not value.strip():
            problems.append(f"{field} manquant ou vide")
        else:
            problems += _typography_problems(field, value)
    if kind not in (SINGLE, MULTIPLE, SHORT):
        return [*problems, f"kind « {kind} » inconnu : single, multiple ou short"]
    statement_says_several = isinstance(statement, str) and MULTIPLE_ANSWERS_NOTICE in (
        " ".join(statement.lower().split())
    )
    if kind == SHORT:
        if proposals or solution:
            problems.append("une réponse courte n'a ni proposals ni answer")
        if not isinstance(accepted, list) or not accepted:
            problems.append("accepted manquant : la liste de toutes les réponses acceptées")
        else:
            for answer in accepted:
                if not isinstance(answer, str) or not normalize_short_answer(answer):
                    problems.append(f"réponse acceptée vide ou invalide : {answer!r}")
            # The first one is the expected answer shown in the correction; the others are its spellings,
            # with an article or spaces (« la bulle de filtres », « = A3 * B3 »).
            first = accepted[0]
            if isinstance(first, str) and len(first.split()) > SHORT_ANSWER_MAX_WORDS:
                problems.append(f"réponse attendue (la première) de plus de 3 mots : « {first} »")
        return problems
    if accepted:
        problems.append("accepted est réservé aux réponses courtes (short)")
    low, high = PROPOSAL_COUNTS[kind]
    if not isinstance(proposals, list) or not all(isinstance(p, str) and p.strip() for p in proposals):
        return [*problems, "proposals doit être une liste de textes non vides"]
    if not low <= len(proposals) <= high:
        problems.append(f"{kind} : {low} ou {high} propositions attendues, {len(proposals)} trouvées")
    if len({" ".join(p.split()).lower() for p in proposals}) != len(proposals):
        problems.append("deux propositions identiques")
    for index, proposal in enumerate(proposals, start=1):
        problems += _typography_problems(f"proposition {index}", proposal)
    if not _is_index_list(solution):
        return [*problems, "answer doit être une liste d'indices (à partir de 1)"]
    if any(not 1 <= index <= len(proposals) for index in solution):
        problems.append(f"answer {solution} désigne une proposition qui n'existe pas")
    if len(set(solution)) != len(solution):
        problems.append(f"answer {solution} répète un indice")
    if kind == SINGLE:
        if len(solution) != 1:
            problems.append(f"single : exactement une bonne réponse attendue, answer = {solution}")
        if statement_says_several:
            problems.append(f"single : l'énoncé ne doit pas dire « {MULTIPLE_ANSWERS_NOTICE} »")
    else:
        if len(set(solution)) < 2:
            problems.append(f"multiple : au moins deux bonnes réponses attendues, answer = {solution}")
        if not statement_says_several:
            problems.append(f"multiple : l'énoncé doit dire « {MULTIPLE_ANSWERS_NOTICE} »")
    return problems


def _unknown_keys(data, allowed):
    return sorted(set(data) - allowed)


def _read_challenge(data, *, code, topic_slug, where):
    """A ChallengeSpec, or the list of its problems."""
    if not isinstance(data, dict):
        return [f"{where} : chaque [[topics.challenges]] doit être une table"]
    ref = data.get("ref")
    where = f"{where}: {ref}" if isinstance(ref, str) and ref else f"{where}: (ref manquante)"
    problems = [f"clé inconnue « {key} »" for key in _unknown_keys(data, CHALLENGE_KEYS)]
    difficulty = data.get("difficulty")
    if (
        not isinstance(difficulty, int)
        or isinstance(difficulty, bool)
        or not 1 <= difficulty <= MAX_DIFFICULTY
    ):
        problems.append(f"difficulty doit être un entier de 1 à {MAX_DIFFICULTY}, trouvé {difficulty!r}")
    elif isinstance(ref, str):
        prefix = f"{code}-{topic_slug}-{difficulty}"
        if not (
            ref.startswith(prefix) and len(ref) == len(prefix) + 1 and ref[-1] in "abcdefghijklmnopqrstuvwxyz"
        ):
            problems.append(f"ref doit s'écrire {prefix}<lettre> (compétence-sujet-difficulté puis a, b…)")
    if not isinstance(ref, str) or not ref:
        problems.append("ref manquante")
    kind = data.get("kind")
    proposals = data.get("proposals", [])
    solution = data.get("answer", [])
    accepted = data.get("accepted", [])
    statement, explanation, learn_more = (
        _text(data.get(key)) for key in ("statement", "explanation", "learn_more")
    )
    problems += challenge_problems(
        kind=kind,
        statement=statement,
        proposals=[_text(p) for p in proposals] if isinstance(proposals, list) else proposals,
        solution=solution,
        accepted=[_text(a) for a in accepted] if isinstance(accepted, list) else accepted,
        explanation=explanation,
        learn_more=learn_more,
    )
    if problems:
        return [f"{where}: {problem}" for problem in problems]
    return ChallengeSpec(
        ref=ref,
        difficulty=difficulty,
        kind=kind,
        statement=statement,
        proposals=tuple(_text(p) for p in proposals),
        solution=tuple(solution),
        accepted=tuple(_text(a) for a in accepted),
        explanation=explanation,
        learn_more=learn_more,
    )


def _read_topic(data, *, code, where):
    """A TopicSpec and the problems found in it (the spec is None when the topic cannot be read)."""
    if not isinstance(data, dict):
        return None, [f"{where}: chaque [[topics]] doit être une table"]
    slug = data.get("slug")
    where = f"{where}: sujet {slug!r}"
    problems = [f"{where}: clé inconnue « {key} »" for key in _unknown_keys(data, TOPIC_KEYS)]
    if not isinstance(slug, str) or not _SLUG.fullmatch(slug):
        return None, [*problems, f"{where}: slug en minuscules, chiffres et tirets attendu"]
    name = _text(data.get("name"))
    if not isinstance(name, str) or not name:
        problems.append(f"{where}: name manquant")
    else:
        problems += [f"{where}: {problem}" for problem in _typography_problems("name", name)]
    challenges = []
    raw_challenges = data.get("challenges", [])
    for raw in raw_challenges if isinstance(raw_challenges, list) else []:
        result = _read_challenge(raw, code=code, topic_slug=slug, where=where.split(": ")[0])
        if isinstance(result, ChallengeSpec):
            challenges.append(result)
        else:
            problems += result
    difficulties = (
        {raw.get("difficulty") for raw in raw_challenges if isinstance(raw, dict)}
        if isinstance(raw_challenges, list)
        else set()
    )
    missing = [str(d) for d in REQUIRED_DIFFICULTIES if d not in difficulties]
    if missing:
        problems.append(f"{where}: il manque des épreuves de difficulté {', '.join(missing)}")
    return TopicSpec(slug=slug, name=name or "", challenges=tuple(challenges)), problems


def read_competence_file(path, *, competence_codes):
    """The CompetenceSpec of one file, and the problems found in it."""
    path = Path(path)
    where = path.name
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        return None, [f"{where}: TOML illisible : {error}"]
    problems = [f"{where}: clé inconnue « {key} »" for key in _unknown_keys(data, FILE_KEYS)]
    code = data.get("competence")
    if code not in competence_codes:
        return None, [*problems, f"{where}: competence {code!r} n'est pas un code du référentiel"]
    if path.stem != code:
        problems.append(f"{where}: le fichier de la compétence {code} doit s'appeler {code}.toml")
    topics, slugs = [], set()
    raw_topics = data.get("topics", [])
    for raw in raw_topics if isinstance(raw_topics, list) else []:
        topic, topic_problems = _read_topic(raw, code=code, where=where)
        problems += topic_problems
        if topic is None:
            continue
        if topic.slug in slugs:
            problems.append(f"{where}: sujet {topic.slug!r} en double")
        slugs.add(topic.slug)
        topics.append(topic)
    if len(topics) < MIN_TOPICS:
        problems.append(f"{where}: au moins {MIN_TOPICS} sujets attendus, {len(topics)} trouvé(s)")
    return CompetenceSpec(code=code, path=path, topics=tuple(topics)), problems


def read_bank(directory=CONTENT_DIR, *, competence_codes):
    """Every competence file of `directory`, checked; raises BankError listing every problem."""
    competences, problems, refs, codes = [], [], {}, set()
    for path in sorted(Path(directory).glob("*.toml")):
        competence, file_problems = read_competence_file(path, competence_codes=competence_codes)
        problems += file_problems
        if competence is None:
            continue
        if competence.code in codes:
            problems.append(f"{path.name}: la compétence {competence.code} a déjà son fichier")
        codes.add(competence.code)
        for challenge in competence.challenges:
            if challenge.ref in refs:
                problems.append(f"{path.name}: {challenge.ref}: ref déjà utilisée dans {refs[challenge.ref]}")
            refs[challenge.ref] = path.name
        competences.append(competence)
    if problems:
        raise BankError(problems)
    return competences


def coverage_problems(competences, *, competence_codes, minimum=MIN_CHALLENGES_IN_BANK):
    """What the whole bank still lacks: every competence, and at least `minimum` challenges."""
    problems = []
    missing = sorted(set(competence_codes) - {competence.code for competence in competences})
    if missing:
        problems.append(f"compétences sans fichier : {', '.join(missing)}")
    total = sum(len(competence.challenges) for competence in competences)
    if total < minimum:
        problems.append(f"{total} épreuves dans la banque, au moins {minimum} attendues")
    return problems


def single_challenge_skills(competences):
    """The (topic, difficulty) pairs with one challenge only: a retry will serve the same one again."""
    thin = []
    for competence in competences:
        for topic in competence.topics:
            counts = {}
            for challenge in topic.challenges:
                counts[challenge.difficulty] = counts.get(challenge.difficulty, 0) + 1
            thin += [f"{competence.code}-{topic.slug}-{d}" for d, n in sorted(counts.items()) if n == 1]
    return thin
