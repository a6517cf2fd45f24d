"""Patient-facing texts: both languages, wording rules, no numbers shown, plain reading level."""

from __future__ import annotations

import re
import string
from collections.abc import Iterator

import pytest
import textstat
from core_spec import RECENT, SIGNS, TIERS, build

from screening.outputs.summary import ResultView, describe, fill
from screening.questionnaire import rules
from screening.questionnaire.models import Clinic, Questionnaire, Text, texts_of

# Texts that are rightly the same word in both languages.
SAME_IN_BOTH = {"No"}

# Phrases that would diagnose, grade severity, show a number or promise an outcome.
FORBIDDEN = {
    "en": [
        r"\byou have synkinesis\b",
        r"\byour synkinesis\b",
        r"\byou (?:may|might|probably|likely|could) have\b",
        r"\bdiagnosed\b",
        r"\bdiagnose\b",
        r"\bseverity\b",
        r"\bsevere(?:ly)?\b",
        r"\bmild(?:ly)?\b",
        r"\bmoderate(?:ly)?\b",
        r"\bgrade\b",
        r"\bscore[sd]?\b",
        r"\bpoints?\b",
        r"\bpercent\b",
        r"\d\s*%",
        r"\bout of 100\b",
        r"\bSAQ\b",
        r"\bprognosis\b",
        r"\bwill (?:get better|recover|improve|go away)\b",
        r"\bcure[sd]?\b",
        r"\byou (?:need|should (?:get|have)) (?:surgery|botox|an operation|injections)\b",
    ],
    "es": [
        r"\btiene sincinesia\b",
        r"\bsu sincinesia\b",
        r"\b(?:puede|podría|probablemente) tener\b",
        r"\bdiagnosticad[oa]s?\b",
        r"\bdiagnosticar\b",
        r"\bgravedad\b",
        r"\bgraves?\b",
        r"\bleves?\b",
        r"\bmoderad[oa]s?\b",
        r"\bsever[oa]s?\b",
        r"\bpuntaje\b",
        r"\bpuntuaci[oó]n\b",
        r"\bpuntos?\b",
        r"\bpor ciento\b",
        r"\d\s*%",
        r"\bde 100\b",
        r"\bpron[oó]stico\b",
        r"\bse (?:va a curar|curará|va a quitar)\b",
        r"\bcura\b",
        r"\bnecesita (?:cirugía|bótox|una operación|inyecciones)\b",
    ],
}

# How long ago or how soon, and the age of a child: the only numbers allowed besides the
# clinic's own.
TIME_SPAN = {
    "en": re.compile(
        r"\b\d+(?: to \d+)? (?:days?|weeks?|months?|years?|minutes?)\b|(?i:under 18)\b"
    ),
    "es": re.compile(r"\b\d+(?: a \d+)? (?:días?|semanas?|mes(?:es)?|años?|minutos?)\b"),
}

# Plain language (clinical reference): English Flesch-Kincaid grade 5 on average and 7 at most
# for any text of 8 words or more; Spanish Fernandez-Huerta 70 or more for every such text, 85
# on average, and 75 for the whole result page of each tier.
FK_GRADE_MEAN_MAX = 5.0
FK_GRADE_MAX = 7.0
FERNANDEZ_HUERTA_MIN = 70.0
FERNANDEZ_HUERTA_MEAN_MIN = 85.0
FERNANDEZ_HUERTA_PAGE_MIN = 75.0
LONG_TEXT_WORDS = 8


def result_texts(q: Questionnaire) -> Iterator[tuple[str, Text]]:
    """Every text a result can show: tiers, reasons, consult topics, the two result notes."""
    for path, text in texts_of(q):
        if path.split(".")[0] in ("tiers", "reasons", "consult_topics"):
            yield path, text
    yield "ui.not_diagnosis", q.ui.not_diagnosis


def view_strings(view: ResultView) -> list[str]:
    """Every string a result view shows."""
    shown = [view.headline, view.summary, *view.why, *view.actions, *view.topics]
    shown += [view.not_diagnosis, view.if_worse]
    shown += [x for x in (view.guardian, view.clinic_intro) if x is not None]
    for line in view.evidence:
        shown += [line.question, line.answer]
    return shown


# One answer set per tier, each with as much evidence as that tier allows.
EXAMPLES = {
    "emergency": build(
        rf_stroke_signs="now",
        rf_new_weakness="yes",
        rf_new_weakness_checked="no",
        rf_breathing="yes",
        rf_lump="yes",
    ),
    "urgent": build(
        hx_age="lt_18",
        hx_onset="3w_3m",
        hx_seen_doctor="no",
        **dict.fromkeys(RECENT, "yes"),
        rf_worsening="yes",
    ),
    "soon": build(
        rf_recurrence="yes",
        rf_lump="unsure",
        rf_cancer="yes",
        hx_recovery="none",
        hx_onset="6_12m",
        hx_eye_closes="no",
        eye_narrows_smile="always",
        chin_dimples="often",
    ),
    "soon-no-palsy": build(hx_palsy="no", nh_twitching="yes", twitching="always"),
    "consult": build(
        hx_onset="3w_3m", **dict.fromkeys(["eye_narrows_smile", "face_tight"], "always")
    ),
    "consult-every-sign-always": build(**dict.fromkeys(SIGNS, "always")),
    "info": build(hx_onset="3w_3m", face_tight="sometimes", twitching="rarely"),
    "info-no-palsy": build(hx_palsy="no", nh_twitching="unsure"),
}


def test_examples_cover_every_tier(questionnaire: Questionnaire) -> None:
    tiers = {rules.evaluate(questionnaire, a).tier for a in EXAMPLES.values()}
    assert tiers == set(TIERS)


# --- both languages -------------------------------------------------------------------------


def test_every_text_has_english_and_spanish(questionnaire: Questionnaire, clinic: Clinic) -> None:
    texts = texts_of(questionnaire) + texts_of(clinic)
    assert len(texts) > 100
    for path, text in texts:
        assert text.en.strip(), path
        assert text.es.strip(), path


def test_no_text_is_left_untranslated(questionnaire: Questionnaire, clinic: Clinic) -> None:
    same = [
        (path, text.en)
        for path, text in texts_of(questionnaire) + texts_of(clinic)
        if text.en.strip().casefold() == text.es.strip().casefold()
        and text.en.strip() not in SAME_IN_BOTH
    ]
    assert same == []


def test_both_languages_use_the_same_placeholders(questionnaire: Questionnaire) -> None:
    def names(text: str) -> set[str]:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name}

    for path, text in texts_of(questionnaire):
        assert names(text.en) == names(text.es), path


# --- wording rules --------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "es"])
def test_result_texts_never_diagnose_grade_or_score(
    questionnaire: Questionnaire, lang: str
) -> None:
    found = [
        (path, pattern)
        for path, text in result_texts(questionnaire)
        for pattern in FORBIDDEN[lang]
        if re.search(pattern, text.get(lang), re.IGNORECASE)
    ]
    assert found == []


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Your answers show you have synkinesis.", "en"),
        ("This looks like a mild case.", "en"),
        ("Your score is 40.", "en"),
        ("About 25% of people", "en"),
        ("You were diagnosed with Bell's palsy.", "en"),
        ("Usted tiene sincinesia.", "es"),
        ("Es un caso leve.", "es"),
        ("Su puntuación es 40.", "es"),
        ("Fue diagnosticado con parálisis de Bell.", "es"),
        ("Una sincinesia grave", "es"),
    ],
)
def test_forbidden_list_catches_diagnostic_phrases(text: str, lang: str) -> None:
    assert any(re.search(p, text, re.IGNORECASE) for p in FORBIDDEN[lang])


def test_consult_wording_follows_the_rules(questionnaire: Questionnaire, clinic: Clinic) -> None:
    reason = questionnaire.reasons["linked_movements"].text
    assert "often seen with synkinesis" in reason.en
    assert "specialist can check what is causing them" in reason.en
    assert "se ven a menudo con la sincinesia" in reason.es
    assert "especialista puede revisar la causa" in reason.es
    result = rules.evaluate(questionnaire, EXAMPLES["consult"])
    assert result.reasons[0] == "linked_movements"
    shown = " ".join(view_strings(describe(questionnaire, clinic, result, "en")))
    assert "often seen with synkinesis" in shown
    assert "specialist can check what is causing them" in shown


def test_emergency_and_urgent_lead_with_what_to_do_now(questionnaire: Questionnaire) -> None:
    emergency = questionnaire.tier("emergency")
    assert "{emergency_number}" in emergency.headline.en
    assert "{emergency_number}" in emergency.headline.es
    assert "{emergency_number}" in emergency.actions[0].en
    for tier in ("emergency", "urgent"):
        t = questionnaire.tier(tier)
        assert t.call_emergency and not t.contact_clinic
        for lang in ("en", "es"):
            first = t.actions[0].get(lang)
            assert "{clinic_name}" not in first
            assert not re.search(r"\bbook\b|\bcita\b|\bconsult", first, re.IGNORECASE)


def test_every_result_says_not_a_diagnosis_and_what_if_worse(
    questionnaire: Questionnaire, clinic: Clinic
) -> None:
    ui = questionnaire.ui
    assert "not a diagnosis" in ui.not_diagnosis.en
    assert "rule anything in or out" in ui.not_diagnosis.en
    assert "no es un diagnóstico" in ui.not_diagnosis.es
    for tier in questionnaire.tiers:
        for lang in ("en", "es"):
            assert "{emergency_number}" in tier.if_worse.get(lang), tier.id
    # Under "call 911 now", what to do if things get worse is never "call your doctor".
    emergency = questionnaire.tier("emergency").if_worse
    assert not re.search(r"doctor", emergency.en, re.IGNORECASE)
    assert not re.search(r"médico", emergency.es, re.IGNORECASE)
    urgent = questionnaire.tier("urgent").if_worse
    assert not re.search(r"your doctor", urgent.en) and "su médico" not in urgent.es
    for answers in EXAMPLES.values():
        result = rules.evaluate(questionnaire, answers)
        for lang in ("en", "es"):
            view = describe(questionnaire, clinic, result, lang)
            assert view.not_diagnosis == fill(questionnaire, clinic, ui.not_diagnosis, lang)
            assert clinic.emergency_number in view.if_worse


# --- no numbers shown -----------------------------------------------------------------------


def _clinic_details(clinic: Clinic) -> list[str]:
    details = [clinic.emergency_number, clinic.phone, *clinic.address]
    details += [x for x in (clinic.text_number, clinic.accessibility_phone) if x]
    return sorted(details, key=len, reverse=True)


@pytest.mark.parametrize("example", list(EXAMPLES))
@pytest.mark.parametrize("lang", ["en", "es"])
def test_result_view_shows_no_number_but_clinic_details(
    questionnaire: Questionnaire, clinic: Clinic, example: str, lang: str
) -> None:
    result = rules.evaluate(questionnaire, EXAMPLES[example])
    shown = view_strings(describe(questionnaire, clinic, result, lang))
    assert all(shown), "every shown text is non-empty"
    for text in shown:
        assert "{" not in text and "}" not in text, text
        rest = text
        for detail in _clinic_details(clinic):
            rest = rest.replace(detail, "")
        rest = TIME_SPAN[lang].sub("", rest)
        assert not re.search(r"\d", rest), text
    if result.score is not None:
        assert not any(re.search(rf"(?<!\d){result.score}(?!\d)", t) for t in shown)


def test_every_sign_always_scores_100_and_it_is_not_shown(
    questionnaire: Questionnaire, clinic: Clinic
) -> None:
    result = rules.evaluate(questionnaire, EXAMPLES["consult-every-sign-always"])
    assert result.score == 100
    for lang in ("en", "es"):
        assert "100" not in " ".join(view_strings(describe(questionnaire, clinic, result, lang)))


# --- reading level --------------------------------------------------------------------------


def patient_texts(q: Questionnaire, clinic: Clinic, lang: str) -> list[str]:
    """Every patient-facing text in one language, placeholders filled, each distinct text once."""
    total = len(q.steps)
    filled = (fill(q, clinic, text, lang, step=1, total=total) for _, text in texts_of(q))
    return list(dict.fromkeys(filled))


def _long(text: str) -> bool:
    return len(text.split()) >= LONG_TEXT_WORDS


def test_english_reads_at_grade_5_on_average(questionnaire: Questionnaire, clinic: Clinic) -> None:
    texts = patient_texts(questionnaire, clinic, "en")
    grades = {text: textstat.flesch_kincaid_grade(text) for text in texts}
    mean = sum(grades.values()) / len(grades)
    hardest = sorted(grades.items(), key=lambda item: -item[1])[:5]
    # On failure: the mean and the five hardest texts, the ones to rewrite first.
    assert mean <= FK_GRADE_MEAN_MAX, (mean, [(round(g, 1), t[:90]) for t, g in hardest])
    assert [(g, t) for t, g in grades.items() if _long(t) and g > FK_GRADE_MAX] == []


def _fernandez_huerta(text: str) -> float:
    textstat.set_lang("es")
    try:
        return float(textstat.fernandez_huerta(text))
    finally:
        textstat.set_lang("en")


def test_spanish_reads_easily(questionnaire: Questionnaire, clinic: Clinic) -> None:
    texts = patient_texts(questionnaire, clinic, "es")
    scores = {text: _fernandez_huerta(text) for text in texts}
    mean = sum(scores.values()) / len(scores)
    hardest = sorted(scores.items(), key=lambda item: item[1])[:5]
    assert mean >= FERNANDEZ_HUERTA_MEAN_MIN, (mean, [(round(v, 1), t[:90]) for t, v in hardest])
    assert [(v, t) for t, v in scores.items() if _long(t) and v < FERNANDEZ_HUERTA_MIN] == []


@pytest.mark.parametrize("example", list(EXAMPLES))
def test_each_spanish_result_page_reads_easily(
    questionnaire: Questionnaire, clinic: Clinic, example: str
) -> None:
    result = rules.evaluate(questionnaire, EXAMPLES[example])
    page = " ".join(
        s if s.rstrip().endswith((".", "?", "!", ":")) else s + "."
        for s in view_strings(describe(questionnaire, clinic, result, "es"))
    )
    assert _fernandez_huerta(page) >= FERNANDEZ_HUERTA_PAGE_MIN


def test_texts_of_finds_every_text_in_the_questionnaire(questionnaire: Questionnaire) -> None:
    """Every {en, es} pair anywhere in the loaded questionnaire, found from its plain data, is
    one that texts_of gives: a new text field (in a model, a mapping or a list) is never
    skipped by the checks on this page."""

    def pairs(value: object) -> int:
        if isinstance(value, dict):
            own = 1 if set(value) == {"en", "es"} else 0
            return own + sum(pairs(v) for v in value.values())
        if isinstance(value, list):
            return sum(pairs(v) for v in value)
        return 0

    data = questionnaire.model_dump(mode="json")
    assert len(texts_of(questionnaire)) == pairs(data)
    assert any(path.startswith("reasons.") for path, _ in texts_of(questionnaire))


def test_readability_measures_tell_plain_from_dense_text() -> None:
    plain = "Call your doctor now. Do not wait."
    dense = (
        "Comprehensive neuromuscular rehabilitation methodologies necessitate individualized "
        "therapeutic considerations regarding aberrant regeneration characteristics."
    )
    assert (
        textstat.flesch_kincaid_grade(plain) <= FK_GRADE_MAX < textstat.flesch_kincaid_grade(dense)
    )
    textstat.set_lang("es")
    try:
        easy = textstat.fernandez_huerta("Llame a su médico ahora. No espere.")
        hard = textstat.fernandez_huerta(
            "Las metodologías de rehabilitación neuromuscular requieren consideraciones "
            "terapéuticas individualizadas respecto de características regenerativas aberrantes."
        )
    finally:
        textstat.set_lang("en")
    assert hard < FERNANDEZ_HUERTA_MIN <= easy
