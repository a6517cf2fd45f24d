"""The take-away summary PDF: what it says, in which language, and how it is laid out.

The text is read back with pypdf, as a screen reader or a search would read it.
"""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path

import pytest
from core_spec import LEVELS, SIGNS, build
from pypdf import PdfReader

from screening.outputs import report
from screening.outputs.summary import answer_text, describe, fill
from screening.questionnaire.models import Clinic, Questionnaire, Text
from screening.questionnaire.rules import Result, evaluate, noticed

ROOT = Path(__file__).resolve().parent.parent
TODAY = date(2025, 1, 31)
# A score of 13 (6 of 48 points); rarely and never movements are not listed.
CONSULT = build(eye_narrows_smile="often", face_tight="sometimes", cheek_crease="rarely")
# Half the movements noticed, the rest rare: many answers, as a usual consult looks.
MANY = build(
    **dict.fromkeys(SIGNS[::2], "often"),
    **dict.fromkeys(SIGNS[1::2], "rarely"),
    hx_treatment=["therapy", "botox", "surgery", "other"],
)
EXAMPLES = {
    "consult": CONSULT,
    "many-movements": MANY,
    "info": build(),
    "soon": build(rf_lump="yes", rf_recurrence="yes"),
    "soon-no-palsy": build(hx_palsy="no", nh_twitching="yes"),
    "recent-palsy": build(hx_onset="lt_3w", hx_seen_doctor="yes"),
    "weeks-old-palsy": build(hx_onset="3w_3m", neck_tightens="sometimes"),
    "minor": build(hx_age="lt_18", chin_dimples="always"),
    # The longest answers: a palsy weeks old (the recent-palsy step too), every option of the
    # multi-select, every movement always.
    "longest": build(
        hx_palsy="unsure",
        hx_onset="3w_3m",
        hx_side="unsure",
        hx_treatment=["therapy", "botox", "surgery", "other"],
        **dict.fromkeys(SIGNS, "always"),
    ),
}
USUAL = [name for name in EXAMPLES if name != "longest"]


def pages(pdf: bytes) -> list[str]:
    """The text of each page, whitespace made single spaces (a wrapped line reads on)."""
    reader = PdfReader(io.BytesIO(pdf))
    return [" ".join(page.extract_text().split()) for page in reader.pages]


def words(text: str) -> str:
    return " ".join(text.split())


def summary(q: Questionnaire, clinic: Clinic, answers: dict[str, object], lang: str) -> bytes:
    return report.build_summary(q, clinic, evaluate(q, answers), lang, TODAY)  # type: ignore[arg-type]


@pytest.mark.parametrize("example", list(EXAMPLES))
@pytest.mark.parametrize("lang", ["en", "es"])
def test_every_answer_is_there_in_the_chosen_language(
    questionnaire: Questionnaire, clinic: Clinic, example: str, lang: str
) -> None:
    result = evaluate(questionnaire, EXAMPLES[example])
    text = " ".join(pages(report.build_summary(questionnaire, clinic, result, lang, TODAY)))
    for qid, value in result.answers.items():
        question = questionnaire.question(qid)
        short = words(fill(questionnaire, clinic, question.short, lang))
        if not noticed(question, result.answers):  # a movement never or rarely: not evidence
            assert short not in text, qid
            continue
        assert short in text, qid
        if answer_text(question, value, lang):
            assert words(answer_text(question, value, lang)) in text, qid
    view = describe(questionnaire, clinic, result, lang)
    for shown in (view.headline, view.summary, *view.actions, view.not_diagnosis, view.if_worse):
        assert words(shown) in text
    ui = questionnaire.ui
    for label in (ui.summary_title, ui.summary_answers, ui.summary_notes, ui.summary_result):
        assert words(label.get(lang)) in text
    assert f"{ui.summary_language.get(lang)}: {ui.summary_language_name.get(lang)}" in text
    assert TODAY.isoformat() in text
    assert clinic.name in text and clinic.phone in text
    other = "es" if lang == "en" else "en"
    assert words(view.headline) != words(describe(questionnaire, clinic, result, other).headline)
    assert words(ui.summary_title.get(other)) not in text


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_score_is_never_in_the_pdf(
    questionnaire: Questionnaire, clinic: Clinic, lang: str
) -> None:
    scored = 0
    for answers in EXAMPLES.values():
        result = evaluate(questionnaire, answers)
        text = " ".join(pages(report.build_summary(questionnaire, clinic, result, lang, TODAY)))
        assert not re.search(r"score|puntuaci|puntaje|points|puntos|%", text, re.IGNORECASE)
        if result.score is None:  # the movement steps were not asked: there is no score
            continue
        rest = text
        for known in (TODAY.isoformat(), clinic.phone, *clinic.address):
            rest = rest.replace(known, "")
        assert not re.search(rf"(?<!\d){result.score}(?!\d)", rest), result.score
        scored += 1
    assert scored >= 5
    consult = evaluate(questionnaire, CONSULT)
    assert consult.score == 13
    assert evaluate(questionnaire, EXAMPLES["soon-no-palsy"]).score is None


def test_spanish_characters_survive(questionnaire: Questionnaire, clinic: Clinic) -> None:
    odd = clinic.model_copy(update={"name": "Clínica Peña ¿Sí? ¡Claro! Ñandú Güera"})
    answers = build(hx_onset="1_5y", hx_palsy="unsure")
    text = " ".join(pages(summary(questionnaire, odd, answers, "es")))
    assert text.count("Clínica Peña ¿Sí? ¡Claro! Ñandú Güera") >= 2  # the header and the footer
    for expected in ("Hace de 1 a 5 años", "No sé", "Qué hacer ahora", "médico"):
        assert expected in text


@pytest.mark.parametrize("lang", ["en", "es"])
def test_a_usual_answer_set_fits_one_page(
    questionnaire: Questionnaire, clinic: Clinic, lang: str
) -> None:
    for name in USUAL:
        assert len(pages(summary(questionnaire, clinic, EXAMPLES[name], lang))) == 1, name


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_longest_answer_set_breaks_cleanly_onto_a_second_page(
    questionnaire: Questionnaire, clinic: Clinic, lang: str
) -> None:
    # Contract 2 asks up to 35 questions on one path; with every movement "always" they are all
    # listed, and the summary goes on a second page between rows, never inside one.
    result = evaluate(questionnaire, EXAMPLES["longest"])
    found = pages(report.build_summary(questionnaire, clinic, result, lang, TODAY))
    assert len(found) == 2
    for group in report.answer_groups(questionnaire, clinic, result, lang):
        assert any(words(group.title) in page for page in found), group.title
        for row in group.rows:
            assert any(words(f"{row.question} {row.answer}") in page for page in found), row
    assert questionnaire.ui.summary_notes.get(lang) in " ".join(found)


@pytest.mark.parametrize("lang", ["en", "es"])
def test_only_movements_noticed_sometimes_or_more_are_listed(
    questionnaire: Questionnaire, clinic: Clinic, lang: str
) -> None:
    def short(qid: str) -> str:
        return words(fill(questionnaire, clinic, questionnaire.question(qid).short, lang))

    for level in LEVELS:
        answers = build(eye_narrows_smile=level, chin_dimples="often")
        text = " ".join(pages(summary(questionnaire, clinic, answers, lang)))
        listed = short("eye_narrows_smile") in text
        assert listed is (level in ("sometimes", "often", "always")), level
        assert short("chin_dimples") in text
        for other in SIGNS:  # never: not listed
            if other not in ("eye_narrows_smile", "chin_dimples"):
                assert short(other) not in text, other
    rare = build(**dict.fromkeys(SIGNS, "rarely"))
    result = evaluate(questionnaire, rare)
    assert result.score == 25 and result.tier == "consult"  # 12 of 48 points
    text = " ".join(pages(report.build_summary(questionnaire, clinic, result, lang, TODAY)))
    assert not any(short(sign) in text for sign in SIGNS)
    titles = {g.title for g in report.answer_groups(questionnaire, clinic, result, lang)}
    movement_steps = {questionnaire.step_of(sign).title.get(lang) for sign in SIGNS}
    assert not titles & movement_steps  # a step with nothing noticed has no heading either


@pytest.mark.parametrize("lang", ["en", "es"])
def test_a_childs_summary_speaks_to_the_parent_or_guardian(
    questionnaire: Questionnaire, clinic: Clinic, lang: str
) -> None:
    recent = build(hx_age="lt_18", hx_onset="3w_3m", chin_dimples="always")  # soon: minor
    for answers in (EXAMPLES["minor"], build(hx_age="lt_18"), recent):
        result = evaluate(questionnaire, answers)
        assert "minor" in result.reasons
        view = describe(questionnaire, clinic, result, lang)
        assert view.guardian is not None
        found = pages(report.build_summary(questionnaire, clinic, result, lang, TODAY))
        # With the recent-palsy step as well, the closing lines may go onto a second page.
        assert len(found) <= (2 if answers is recent else 1)
        text = found[0]
        age = questionnaire.question("hx_age")
        assert words(f"{fill(questionnaire, clinic, age.short, lang)} "
                     f"{answer_text(age, 'lt_18', lang)}") in text
        # Said before the result's headline, as on the result page.
        assert words(view.guardian) in text
        assert text.index(words(view.guardian)) < text.index(words(view.headline))
    adult = describe(questionnaire, clinic, evaluate(questionnaire, build()), lang)
    assert adult.guardian is None


def _wordy(q: Questionnaire, times: int) -> Questionnaire:
    """The questionnaire with every question's short name said `times` over."""

    def longer(text: Text) -> Text:
        return Text(en=" ".join([text.en] * times), es=" ".join([text.es] * times))

    steps = tuple(
        step.model_copy(
            update={
                "questions": tuple(
                    x.model_copy(update={"short": longer(x.short)}) for x in step.questions
                )
            }
        )
        for step in q.steps
    )
    return q.model_copy(update={"steps": steps})


@pytest.mark.parametrize("lang", ["en", "es"])
def test_a_long_answer_set_breaks_cleanly_onto_a_second_page(
    questionnaire: Questionnaire, clinic: Clinic, lang: str
) -> None:
    wordy = _wordy(questionnaire, 3)
    result = evaluate(wordy, EXAMPLES["longest"])
    found = pages(report.build_summary(wordy, clinic, result, lang, TODAY))
    assert len(found) >= 2
    for number, page in enumerate(found, start=1):
        assert page.endswith(f"{clinic.name} · {number}/{len(found)}")
    for group in report.answer_groups(wordy, clinic, result, lang):
        first = words(f"{group.rows[0].question} {group.rows[0].answer}")
        # A step title is on the page of its first row, and no row is cut by the page break.
        assert any(words(group.title) in page and first in page for page in found), group.title
        for row in group.rows:
            assert any(words(f"{row.question} {row.answer}") in page for page in found), row
    notes = questionnaire.ui.summary_notes.get(lang)
    assert notes in found[-1] and questionnaire.ui.summary_answers.get(lang) in found[0]


def test_it_is_real_text_with_the_font_embedded_and_small(
    questionnaire: Questionnaire, clinic: Clinic
) -> None:
    pdf = summary(questionnaire, clinic, EXAMPLES["longest"], "es")
    assert pdf.startswith(b"%PDF-") and len(pdf) < 60_000
    reader = PdfReader(io.BytesIO(pdf))
    page = reader.pages[0]
    assert not page.images  # text, not a picture of text
    fonts = [font.get_object() for font in page["/Resources"]["/Font"].values()]
    names = {str(font["/BaseFont"]) for font in fonts}
    assert all(re.fullmatch(r"/[A-Z]{6}\+DejaVuSans\w*", name) for name in names), names  # subset
    assert all("/ToUnicode" in font for font in fonts)  # copy, search and screen readers
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "es"
    assert root["/ViewerPreferences"]["/DisplayDocTitle"]
    assert reader.metadata is not None
    assert reader.metadata.title == questionnaire.ui.summary_title.es
    assert [item.title for item in reader.outline] == [  # type: ignore[union-attr]
        questionnaire.ui.summary_result.es,
        questionnaire.ui.summary_answers.es,
        questionnaire.ui.summary_notes.es,
    ]


def test_a_letter_page_whose_text_block_also_fits_a4() -> None:
    letter_w, letter_h, a4_w = 215.9, 279.4, 210.0
    block_w = letter_w - 2 * report.MARGIN_SIDE
    block_h = letter_h - report.MARGIN_TOP - report.MARGIN_BOTTOM
    assert block_w <= a4_w - 2 * 12  # at least 12 mm either side on A4 at 100%
    assert block_h <= letter_h - 2 * 10
    assert report.PAGE_FORMAT == "letter"


def test_same_inputs_give_the_same_bytes(questionnaire: Questionnaire, clinic: Clinic) -> None:
    one = summary(questionnaire, clinic, CONSULT, "en")
    assert one == summary(questionnaire, clinic, CONSULT, "en")
    later = report.build_summary(
        questionnaire, clinic, evaluate(questionnaire, CONSULT), "en", date(2025, 2, 1)
    )
    assert later != one and "2025-02-01" in pages(later)[0]


def test_the_font_ships_with_the_project() -> None:
    for path in report.FONTS.values():
        assert path.is_file() and path.resolve().is_relative_to(ROOT)
    assert (report.FONT_DIR / "LICENSE").is_file()


@pytest.mark.parametrize(
    ("tier", "offered"),
    [("emergency", False), ("urgent", False), ("soon", True), ("consult", True), ("info", True)],
)
def test_offered_on_consult_info_and_soon_only(
    questionnaire: Questionnaire, tier: str, offered: bool
) -> None:
    assert report.offers_summary(questionnaire.tier(tier)) is offered


def test_file_names(questionnaire: Questionnaire) -> None:
    ui = questionnaire.ui
    assert report.file_name(ui, "en", TODAY) == "self-check-summary-2025-01-31.pdf"
    assert report.file_name(ui, "es", TODAY) == "resumen-autoevaluacion-2025-01-31.pdf"
    odd = ui.model_copy(update={"summary_file": Text(en="a b/../ñ", es="x")})
    assert report.file_name(odd, "en", TODAY) == "ab-2025-01-31.pdf"


def test_an_early_stop_result_still_builds(questionnaire: Questionnaire, clinic: Clinic) -> None:
    # The page never offers it on emergency, but the builder itself must not fail on any result.
    result = Result("emergency", ("stroke_signs",), None, (), ("emergency",),
                    questionnaire.version, {"rf_stroke_signs": "now"})  # fmt: skip
    text = pages(report.build_summary(questionnaire, clinic, result, "en", TODAY))[0]
    assert "Call 911 now" in text
