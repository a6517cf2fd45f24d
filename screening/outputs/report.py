"""The take-away summary: a page a person can print or show a doctor, in their language.

Pure: the questionnaire, the clinic, a Result, the language and the day in; PDF bytes out. No
clock and no files other than the font shipped in assets/fonts/, and the same inputs give the
same bytes. It holds the clinic's contact details, what the person answered (grouped by step,
in plain words; a movement only when it comes sometimes or more), the result's headline and next
steps (for a child, addressed to the parent or guardian first), that this is not a diagnosis,
and a ruled space for the doctor's notes. Never the score. The text is real text (searchable,
readable by a screen reader), in DejaVu Sans, which covers á é í ó ú ü ñ ¿ ¡; only the glyphs
used are embedded, so a summary stays small.

The page is US Letter with margins wide enough that it also prints on A4 at 100%: the text
block, 180 x 253 mm, fits inside both. The answers go in two columns when they fit; a long
answer set goes in one column that breaks onto a second page between rows, never inside one,
and never leaves a step title or a heading alone at the bottom of a page.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.prefs import ViewerPreferences

from ..questionnaire.models import Clinic, Questionnaire, Text, Tier, UiTexts
from ..questionnaire.rules import Result, noticed
from ..records.measurement import Measurement
from ..records.measurement import lines as measured_lines
from .summary import answer_text, describe, fill

MEDIA_TYPE = "application/pdf"
FONT_DIR = Path(__file__).resolve().parent.parent.parent / "assets" / "fonts"
FONTS = {"": FONT_DIR / "DejaVuSans.ttf", "B": FONT_DIR / "DejaVuSans-Bold.ttf"}
FAMILY = "DejaVu"

# Letter is 215.9 x 279.4 mm, A4 210 x 297 mm: this text block fits inside either.
PAGE_FORMAT = "letter"
MARGIN_SIDE = 18.0
MARGIN_TOP = 12.0
MARGIN_BOTTOM = 14.0  # the footer sits in it
QUESTION_SHARE = 0.67  # of a column's width; the answer takes the rest
GUTTER = 6.0  # between the two answer columns
ROW_SIZE = 8.5  # points
ROW_PAD = 1.2  # mm below each answer row
GROUP_GAP = 2.0
ANSWER_INDENT = 4.0  # a long answer under its question
INK = (0, 0, 0)
HEADING = (22, 52, 94)  # dark blue: reads as black on a grey-scale printer
QUIET = (90, 90, 90)
RULE = (170, 170, 170)
SHADE = (238, 243, 248)
NOTE_LINES = 3
# Type sizes in points, largest first; every text of the summary uses one of them.
TITLE_SIZE = 14.0
SECTION_SIZE = 12.0
HEADLINE_SIZE = 11.5  # the result's headline and the person's row
GROUP_SIZE = 10.0  # an answer group's title
BODY_SIZE = 9.5
SMALL_SIZE = 8.5  # the clinic's contact, what this is not, if worse
FOOTER_SIZE = 7.5
ASIDE_SIZE = 9.0  # the date and language beside the clinic's name
NOTES_SIZE = 11.0  # the title over the doctor's lines
MM_PER_POINT = 0.46  # line height: a little over 1.3 x the font size
NOTE_SPACING = 7.0  # mm between the ruled lines for the doctor's notes
# Vertical space in mm below a block, smallest first: every gap of the summary is one of them.
SPACE_HAIR = 0.3  # lines that belong together (the clinic's contact and its note)
SPACE_TIGHT = 0.5  # a label and what it introduces
SPACE_LINE = 1.0  # a title and its text
SPACE_TITLE = 1.2  # an answer group's title and its rows
SPACE_PARAGRAPH = 1.5
SPACE_ITEM = 2.0  # a word to the guardian; a column's end and the notes under it
SPACE_BLOCK = 3.0  # between blocks: after the intro, a rule, the closing lines
# The shaded result box: padding inside (left, right; top, bottom), its bullets, space below.
BOX_PAD_SIDE = 4.0
BOX_PAD_END = 3.0
BULLET_WIDTH = 4.0
BOX_SPACE_BELOW = 4.0
CELL_GAP = 2.0  # mm between two texts side by side (a question and its answer)
FOOTER_RISE = 4.0  # the footer's line: its height, from the top of the bottom margin
RULE_WIDTH = 0.1  # the line under each answer row
NOTE_LINE_WIDTH = 0.2  # the doctor's lines


@dataclass(frozen=True)
class AnswerRow:
    question: str
    answer: str


@dataclass(frozen=True)
class AnswerGroup:
    title: str
    rows: tuple[AnswerRow, ...]


@dataclass(frozen=True)
class Room:
    """A free rectangle on the current page (mm)."""

    x: float
    y: float
    width: float
    height: float


def _split_row(width: float) -> tuple[float, float]:
    """The widths of the question and the answer in a row."""
    return width * QUESTION_SHARE, width * (1 - QUESTION_SHARE)


def offers_summary(tier: Tier) -> bool:
    """True on consult, info and soon; never on a tier that calls for help now or ends early."""
    return not (tier.call_emergency or tier.interrupts or tier.ends_questionnaire)


def file_name(ui: UiTexts, lang: str, today: date) -> str:
    """The download's name, e.g. self-check-summary-2025-01-31.pdf."""
    stem = "".join(
        ch for ch in ui.summary_file.get(lang) if ch.isascii() and (ch.isalnum() or ch == "-")
    )
    return f"{stem or 'summary'}-{today.isoformat()}.pdf"


def answer_groups(q: Questionnaire, clinic: Clinic, result: Result, lang: str) -> list[AnswerGroup]:
    """Every answered question with its answer in words, grouped by step, in asked order; a
    movement only when it comes sometimes or more (never and rarely are not evidence).

    A question is named by its `short` text (written for summaries: "Eye gets smaller when
    smiling"), so a doctor can read the page in a minute and a usual answer set fits one page.
    """
    groups = []
    for step in q.steps:
        rows = tuple(
            AnswerRow(fill(q, clinic, question.short, lang), words)
            for question in step.questions
            if question.id in result.answers
            and noticed(question, result.answers)
            and (words := answer_text(question, result.answers[question.id], lang))
        )
        if rows:
            groups.append(AnswerGroup(fill(q, clinic, step.title, lang), rows))
    return groups


def build_summary(
    q: Questionnaire,
    clinic: Clinic,
    result: Result,
    lang: str,
    today: date,
    measurements: Mapping[str, Measurement] | None = None,
) -> bytes:
    """The summary as PDF bytes: one page for a usual answer set, more only when it must.
    `measurements`: what the person chose to share from the camera aid, by question id."""
    lang = "es" if lang == "es" else "en"
    ui = q.ui
    view = describe(q, clinic, result, lang)

    def t(text: Text) -> str:
        return fill(q, clinic, text, lang)

    pdf = _Page(footer_text=clinic.name)
    pdf.set_title(t(ui.summary_title))
    pdf.set_author(clinic.name)
    pdf.set_subject(view.headline)
    pdf.set_lang(lang)
    pdf.set_creator(t(q.title))
    pdf.set_creation_date(datetime.combine(today, time(), UTC))
    pdf.add_page()

    # Who made it and how to reach them, and when and in which language this was filled in
    pdf.title_line(
        clinic.name,
        f"{t(ui.summary_date)}: {today.isoformat()}   "
        f"{t(ui.summary_language)}: {t(ui.summary_language_name)}",
    )
    contact = [t(ui.call_clinic)]
    if clinic.text_number and clinic.text_number != clinic.phone:
        contact.append(t(ui.text_clinic))
    if clinic.website:
        contact.append(clinic.website.removeprefix("https://").rstrip("/"))
    contact.append(", ".join(clinic.address))
    pdf.text_block("  ·  ".join(contact), size=SMALL_SIZE, gap=SPACE_HAIR)
    pdf.text_block(t(ui.clinic_not_emergency), size=SMALL_SIZE, color=QUIET, gap=SPACE_PARAGRAPH)
    pdf.rule()

    # What this page is
    pdf.text_block(t(ui.summary_title), size=TITLE_SIZE, style="B", color=HEADING, gap=SPACE_LINE)
    pdf.text_block(t(ui.summary_intro), size=BODY_SIZE, gap=SPACE_BLOCK)

    # The result: headline, what it means, what to do next; for a child, first a word to the
    # parent or guardian, as on the result page
    pdf.section(t(ui.summary_result))
    if view.guardian is not None:
        pdf.text_block(view.guardian, size=BODY_SIZE, style="B", gap=SPACE_ITEM)
    pdf.result_box(view.headline, view.summary, t(ui.todo_title), view.actions)

    # The answers, step by step: two columns when they fit, else one that breaks between rows
    spare = pdf.answers(t(ui.summary_answers), answer_groups(q, clinic, result, lang))
    pdf.ln(SPACE_LINE)
    if measurements:
        # Labelled as what it is: a rough measure made on a phone, for the clinician to weigh.
        spare = None
        pdf.section(t(ui.mirror.record_title))
        pdf.text_block(t(ui.mirror.record_note), size=SMALL_SIZE, color=QUIET, gap=SPACE_LINE)
        for qid, m in measurements.items():
            short = t(q.question(qid).short) if qid in {x.id for x in q.questions()} else qid
            line = f"{short}: " + "; ".join(measured_lines(m))
            pdf.text_block(line, size=SMALL_SIZE, gap=SPACE_TIGHT)
        pdf.ln(SPACE_LINE)

    # What this is not, what to do if things get worse, and space for the doctor's notes: under
    # the shorter answer column or below these lines, wherever keeps the summary on one page
    closing = (
        pdf.block_height(view.not_diagnosis, SMALL_SIZE, "B")
        + pdf.block_height(view.if_worse, SMALL_SIZE)
        + SPACE_TIGHT
        + SPACE_BLOCK
    )
    below = pdf.page_break_trigger - pdf.get_y() - closing  # < 0: they go to the next page
    column: Room | None = None
    for lines in (NOTE_LINES, 2):
        if spare is not None and spare.height >= pdf.notes_height(lines):
            column = spare
            break
        if below >= pdf.notes_height(lines):
            break
    else:
        lines = NOTE_LINES  # on the next page
    if column is not None:
        while lines < 2 * NOTE_LINES and column.height >= pdf.notes_height(lines + 1):
            lines += 1
        after = pdf.get_y()
        pdf.set_y(column.y)
        pdf.notes(t(ui.summary_notes), column.x, column.width, lines)
        pdf.set_y(after)
    pdf.keep_together(closing)
    pdf.text_block(view.not_diagnosis, size=SMALL_SIZE, style="B", gap=SPACE_TIGHT)
    pdf.text_block(view.if_worse, size=SMALL_SIZE, gap=SPACE_BLOCK)
    if column is None:
        pdf.notes(t(ui.summary_notes), pdf.l_margin, pdf.epw, lines)
    return bytes(pdf.output())


class _Page(FPDF):
    """fpdf2 with this summary's fonts, margins, footer and keep-together blocks."""

    def __init__(self, footer_text: str) -> None:
        super().__init__(orientation="portrait", unit="mm", format=PAGE_FORMAT)
        self.footer_text = footer_text
        for style, path in FONTS.items():
            self.add_font(FAMILY, style, str(path))
        self.set_margins(MARGIN_SIDE, MARGIN_TOP, MARGIN_SIDE)
        self.set_auto_page_break(True, MARGIN_BOTTOM)
        self.viewer_preferences = ViewerPreferences(display_doc_title=True)
        self.alias_nb_pages()
        self.set_text_color(*INK)
        self.set_font(FAMILY, "", BODY_SIZE)

    def footer(self) -> None:
        self.set_y(-MARGIN_BOTTOM + FOOTER_RISE)
        self.set_font(FAMILY, "", FOOTER_SIZE)
        self.set_text_color(*QUIET)
        self.cell(0, FOOTER_RISE, f"{self.footer_text}  ·  {self.page_no()}/{{nb}}", align="C")
        self.set_text_color(*INK)

    # Measuring -------------------------------------------------------------------------------

    @staticmethod
    def line_height(size: float) -> float:
        return size * MM_PER_POINT  # mm per line: a little over 1.3 x the font size in points

    def block_height(self, text: str, size: float, style: str = "", width: float = 0) -> float:
        self.set_font(FAMILY, style, size)
        lines = self.multi_cell(
            width, self.line_height(size), text, dry_run=True, output="LINES", align="L"
        )
        assert isinstance(lines, list)  # output="LINES" gives the wrapped lines
        return len(lines) * self.line_height(size)

    def stacked(self, row: AnswerRow, width: float) -> bool:
        """Whether an answer is too long for its column and goes under the question instead."""
        self.set_font(FAMILY, "B", ROW_SIZE)
        return self.get_string_width(row.answer) > _split_row(width)[1] - 2 * self.c_margin

    def row_height(self, row: AnswerRow, width: float) -> float:
        question_w, answer_w = _split_row(width)
        if self.stacked(row, width):
            return (
                self.block_height(row.question, ROW_SIZE, width=width)
                + self.block_height(row.answer, ROW_SIZE, "B", width=width - ANSWER_INDENT)
                + ROW_PAD
            )
        return (
            max(
                self.block_height(row.question, ROW_SIZE, width=question_w - CELL_GAP),
                self.block_height(row.answer, ROW_SIZE, "B", width=answer_w),
            )
            + ROW_PAD
        )

    def title_height(self, group: AnswerGroup, width: float) -> float:
        return self.block_height(group.title, GROUP_SIZE, "B", width) + SPACE_TITLE

    def group_height(self, group: AnswerGroup, width: float) -> float:
        rows = sum(self.row_height(row, width) for row in group.rows)
        return self.title_height(group, width) + rows + GROUP_GAP

    def keep_together(self, height: float) -> None:
        if self.will_page_break(height):
            self.add_page()

    # Drawing ---------------------------------------------------------------------------------

    def text_block(
        self,
        text: str,
        *,
        size: float,
        style: str = "",
        color: tuple[int, int, int] = INK,
        gap: float = 0,
    ) -> None:
        self.set_font(FAMILY, style, size)
        self.set_text_color(*color)
        self.multi_cell(
            0, self.line_height(size), text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )
        self.set_text_color(*INK)
        self.ln(gap)

    def title_line(self, title: str, aside: str) -> None:
        """A bold title on the left and a small note on its right, on the same baseline."""
        self.set_font(FAMILY, "", ASIDE_SIZE)
        aside_w = self.get_string_width(aside) + 2 * self.c_margin
        top = self.get_y()
        self.set_font(FAMILY, "B", HEADLINE_SIZE)
        self.set_text_color(*HEADING)
        self.multi_cell(
            self.epw - aside_w - CELL_GAP,
            self.line_height(HEADLINE_SIZE),
            title,
            align="L",
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )
        bottom = self.get_y()
        self.set_text_color(*INK)
        self.set_font(FAMILY, "", ASIDE_SIZE)
        self.set_xy(self.w - self.r_margin - aside_w, top)
        self.cell(aside_w, self.line_height(HEADLINE_SIZE), aside, align="R")
        self.set_xy(self.l_margin, bottom + SPACE_TIGHT)

    def rule(self) -> None:
        self.set_draw_color(*RULE)
        self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
        self.ln(SPACE_BLOCK)

    def section(self, title: str, keep_with: float = 0) -> None:
        self.keep_together(self.line_height(SECTION_SIZE) + SPACE_ITEM + keep_with)
        self.start_section(title)  # a bookmark: screen readers and viewers can jump to it
        self.text_block(title, size=SECTION_SIZE, style="B", color=HEADING, gap=SPACE_PARAGRAPH)

    def result_box(
        self, headline: str, summary: str, todo_title: str, actions: tuple[str, ...]
    ) -> None:
        """The headline, what it means and what to do, in a shaded box kept on one page."""
        inner = self.epw - 2 * BOX_PAD_SIDE
        bullet_w = BULLET_WIDTH
        blocks = (  # text, size, style, space below
            (headline, HEADLINE_SIZE, "B", SPACE_LINE),
            (summary, BODY_SIZE, "", SPACE_PARAGRAPH),
            (todo_title, BODY_SIZE, "B", SPACE_TIGHT),
        )
        height = (
            self.block_height(headline, HEADLINE_SIZE, "B", inner)
            + self.block_height(summary, BODY_SIZE, "", inner)
            + self.block_height(todo_title, BODY_SIZE, "B", inner)
            + sum(self.block_height(a, BODY_SIZE, "", inner - bullet_w) for a in actions)
            + sum(gap for *_, gap in blocks)
            + 2 * BOX_PAD_END
        )
        self.keep_together(height)
        top = self.get_y()
        self.set_fill_color(*SHADE)
        self.set_draw_color(*RULE)
        self.rect(self.l_margin, top, self.epw, height, style="DF")
        self.set_y(top + BOX_PAD_END)
        for text, size, style, gap in blocks:
            self.set_font(FAMILY, style, size)
            self.set_x(self.l_margin + BOX_PAD_SIDE)
            self.multi_cell(
                inner, self.line_height(size), text, align="L", new_x=XPos.LEFT, new_y=YPos.NEXT
            )
            self.ln(gap)
        self.set_font(FAMILY, "", BODY_SIZE)
        for action in actions:
            self.set_x(self.l_margin + BOX_PAD_SIDE)
            self.cell(bullet_w, self.line_height(BODY_SIZE), "•")
            self.multi_cell(
                inner - bullet_w,
                self.line_height(BODY_SIZE),
                action,
                align="L",
                new_x=XPos.LEFT,
                new_y=YPos.NEXT,
            )
        self.set_y(top + height + BOX_SPACE_BELOW)

    def answers(self, title: str, groups: list[AnswerGroup]) -> Room | None:
        """The answer groups under a heading: side by side when they fit on this page (then the
        free space under the shorter column is returned), else in one column."""
        if not groups:
            return None
        column = (self.epw - GUTTER) / 2
        heights = [self.group_height(g, column) for g in groups]
        # Split where the two columns come out most even (the steps stay in reading order).
        cut = min(
            range(1, len(groups) + 1),
            key=lambda k: max(sum(heights[:k]), sum(heights[k:])),
        )
        tallest = max(sum(heights[:cut]), sum(heights[cut:]))
        heading = self.line_height(SECTION_SIZE) + SPACE_PARAGRAPH
        if len(groups) > 1 and not self.will_page_break(heading + tallest):
            self.section(title)
            top = self.get_y()
            ends = []
            for x, part in (
                (self.l_margin, groups[:cut]),
                (self.l_margin + column + GUTTER, groups[cut:]),
            ):
                self.set_y(top)
                for group in part:
                    self.group(group, x, column)
                ends.append((self.get_y(), x))
            bottom = top + tallest
            end, x = min(ends)
            self.set_y(bottom)
            return Room(x, end + SPACE_ITEM, column, bottom - end - SPACE_ITEM)
        first = groups[0]
        self.section(
            title,
            keep_with=self.title_height(first, self.epw) + self.row_height(first.rows[0], self.epw),
        )
        for group in groups:
            self.group(group, self.l_margin, self.epw)
        return None

    def group(self, group: AnswerGroup, x: float, width: float) -> None:
        """A step's title and its rows; a page break comes only between rows."""
        first = self.row_height(group.rows[0], width)
        self.keep_together(self.title_height(group, width) + first)
        self.set_font(FAMILY, "B", GROUP_SIZE)
        self.set_text_color(*HEADING)
        self.set_x(x)
        self.multi_cell(
            width,
            self.line_height(GROUP_SIZE),
            group.title,
            align="L",
            new_x=XPos.LEFT,
            new_y=YPos.NEXT,
        )
        self.set_text_color(*INK)
        self.ln(SPACE_TITLE)
        for row in group.rows:
            self._row(row, x, width)
        self.ln(GROUP_GAP)

    def _row(self, row: AnswerRow, x: float, width: float) -> None:
        height = self.row_height(row, width)
        self.keep_together(height)
        question_w, answer_w = _split_row(width)
        top = self.get_y()
        line = self.line_height(ROW_SIZE)
        stacked = self.stacked(row, width)
        self.set_font(FAMILY, "", ROW_SIZE)
        self.set_xy(x, top)
        if stacked:
            self.multi_cell(width, line, row.question, align="L", new_x=XPos.LEFT, new_y=YPos.NEXT)
            self.set_font(FAMILY, "B", ROW_SIZE)
            self.set_x(x + ANSWER_INDENT)
            self.multi_cell(width - ANSWER_INDENT, line, row.answer, align="L")
        else:
            self.multi_cell(question_w - CELL_GAP, line, row.question, align="L")
            self.set_font(FAMILY, "B", ROW_SIZE)
            self.set_xy(x + question_w, top)
            self.multi_cell(answer_w, line, row.answer, align="L")
        self.set_draw_color(*RULE)
        self.set_line_width(RULE_WIDTH)
        self.line(x, top + height - ROW_PAD / 2, x + width, top + height - ROW_PAD / 2)
        self.set_y(top + height)

    def notes_height(self, lines: int = NOTE_LINES) -> float:
        return self.line_height(NOTES_SIZE) + lines * NOTE_SPACING + SPACE_LINE

    def notes(self, title: str, x: float, width: float, lines: int = NOTE_LINES) -> None:
        """A heading and ruled lines for the doctor to write on."""
        self.keep_together(self.notes_height(lines))
        self.start_section(title)
        self.set_font(FAMILY, "B", NOTES_SIZE)
        self.set_text_color(*HEADING)
        self.set_x(x)
        self.multi_cell(
            width, self.line_height(NOTES_SIZE), title, align="L", new_x=XPos.LEFT, new_y=YPos.NEXT
        )
        self.set_text_color(*INK)
        self.set_draw_color(*QUIET)
        self.set_line_width(NOTE_LINE_WIDTH)
        for _ in range(lines):
            self.ln(NOTE_SPACING)
            self.line(x, self.get_y(), x + width, self.get_y())
