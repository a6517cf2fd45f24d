"""What the browser tests check on a screen: axe-core's WCAG A/AA rules, the phone layout, and
a visible keyboard focus."""

from __future__ import annotations

from typing import Any

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

# Every WCAG 2.0, 2.1 and 2.2 level A and AA rule axe-core has (2.2 adds only AA rules).
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": WCAG_TAGS},
    # target-size (2.5.8, AA) is off by default in axe-core; turn it on.
    "rules": {"target-size": {"enabled": True}},
    "resultTypes": ["violations"],
}
_AXE = Axe()

MIN_TARGET_PX = 24  # WCAG 2.2 2.5.8 Target Size (Minimum)
MIN_TEXT_PX = 16  # our own rule for questions and answers on a phone


_PAGE_HEIGHT = """() => {
    const main = document.querySelector('[data-testid=stMain]');
    return Math.ceil(Math.max(main ? main.scrollHeight : 0,
                              document.documentElement.scrollHeight));
}"""
_NEXT_FRAME = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """axe-core's WCAG A/AA violations on the whole page, its frames included.

    axe judges colour contrast and target spacing only for what is in view (the rest comes
    back "incomplete", not as a violation), so the viewport is made as tall as the page for
    the scan, then put back."""
    for frame in page.frames:  # axe checks a frame only when it runs inside it too
        if not frame.evaluate("typeof window.axe === 'object'"):  # once per document
            frame.evaluate(_AXE.axe_script)
    size = page.viewport_size
    assert size is not None
    height = int(page.evaluate(_PAGE_HEIGHT))
    tall = height > size["height"]
    if tall:
        page.set_viewport_size({"width": size["width"], "height": height})
        page.evaluate(_NEXT_FRAME)  # laid out again
    try:
        result = page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)
    finally:
        if tall:
            page.set_viewport_size(size)
            page.evaluate(_NEXT_FRAME)
    violations: list[dict[str, Any]] = result["violations"]
    return violations


def describe(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']}")
        for node in v["nodes"][:5]:
            lines.append(f"    {node['target']}: {node['failureSummary'].splitlines()[-1].strip()}")
    return "\n".join(lines)


_LAYOUT = """([minTarget, minText]) => {
    const problems = [];
    const main = document.querySelector('[data-testid=stMain]');
    for (const [name, el] of [['page', document.documentElement], ['main', main]]) {
        if (el && el.scrollWidth > el.clientWidth + 1)
            problems.push(`${name} scrolls sideways: ${el.scrollWidth} > ${el.clientWidth}`);
    }
    const shown = el => el.checkVisibility({visibilityProperty: true, opacityProperty: true});
    const name = el => (el.innerText || el.getAttribute('aria-label') || el.outerHTML)
        .trim().slice(0, 40);
    // What a finger hits: buttons, links, the label of each answer, inputs that are not hidden.
    const targets = document.querySelectorAll(
        'button, a[href], [data-testid=stRadioOption], [data-testid=stCheckbox] label, '
        + 'input:not([type=radio]):not([type=checkbox]), textarea, [role=combobox]');
    for (const el of targets) {
        if (!shown(el) || el.closest('[aria-hidden=true]')) continue;
        const r = el.getBoundingClientRect();
        if (r.width < 2 && r.height < 2) continue;  // visually hidden (the skip link, say)
        if (r.width < minTarget || r.height < minTarget)
            problems.push(`target ${Math.round(r.width)}x${Math.round(r.height)} px: ${name(el)}`);
    }
    // Questions and answers: the text in each question's box and each answer's label.
    const texts = document.querySelectorAll(
        '[data-testid=stVerticalBlock]:has(> [class*=st-key-q-]) p, '
        + '[data-testid=stRadioOption] p, [data-testid=stMultiSelect] [role=combobox], '
        + '[data-testid=stMultiSelectTagsContainer] span, [role=listbox] [role=option]');
    for (const el of texts) {
        if (!shown(el) || !el.textContent.trim()) continue;
        const size = parseFloat(getComputedStyle(el).fontSize);
        if (size < minText) problems.push(`text ${size} px: ${name(el)}`);
    }
    return problems;
}"""


def layout_problems(page: Page) -> list[str]:
    """Sideways scrolling, targets under 24x24 px, question or answer text under 16 px."""
    problems: list[str] = page.evaluate(_LAYOUT, [MIN_TARGET_PX, MIN_TEXT_PX])
    return problems


TOUCH_TARGET_PX = 44  # our rule for the self-check on a phone (Apple and Android ask 44-48)
TOUCH_GAP_PX = 8  # between two targets, so a finger with a tremor does not hit the neighbour
MIN_NOTE_PX = 15  # the step counter, notes and captions

_TOUCH = """([minHeight, minGap, minText, minNote]) => {
    const problems = [];
    const shown = el => el.checkVisibility({visibilityProperty: true, opacityProperty: true});
    const name = el => (el.innerText || el.getAttribute('aria-label') || el.outerHTML)
        .trim().replace(/\\s+/g, ' ').slice(0, 40);
    // Answers, buttons (link buttons too), fields and the folds a finger opens. Links inside a
    // sentence are exempt (WCAG 2.5.8's inline exception), as are the small icons inside a
    // field (clear, open the list), which sit inside the field's own 48 px.
    const all = document.querySelectorAll(
        '[data-testid=stRadioOption], [data-testid=stCheckbox] label, button, '
        + '[data-testid^=stBaseLinkButton], [data-testid=stExpander] summary, '
        + '[data-testid=stTextInputRootElement], [data-testid=stTextAreaRootElement], '
        + '[data-testid=stMultiSelect] [data-baseweb=select] > div');
    const targets = [...all].filter(el => shown(el) && !el.closest('[aria-hidden=true]')
        && !(el.tagName === 'BUTTON' && el.closest(
            '[data-testid=stMultiSelect], [data-testid=stTextInputRootElement], summary')))
        .map(el => [el, el.getBoundingClientRect()])
        .filter(([, r]) => r.width >= 2 || r.height >= 2);
    for (const [el, r] of targets) {
        if (r.height < minHeight - 0.5)
            problems.push(`target ${Math.round(r.height)} px tall: ${name(el)}`);
    }
    for (let i = 0; i < targets.length; i++) {
        for (let j = i + 1; j < targets.length; j++) {
            const [a, ra] = targets[i], [b, rb] = targets[j];
            if (a.contains(b) || b.contains(a)) continue;
            const dx = Math.max(ra.left - rb.right, rb.left - ra.right);
            const dy = Math.max(ra.top - rb.bottom, rb.top - ra.bottom);
            const gap = Math.max(dx, dy);
            if (gap < minGap - 0.5)
                problems.push(`${Math.round(gap)} px apart: ${name(a)} / ${name(b)}`);
        }
    }
    const size = el => parseFloat(getComputedStyle(el).fontSize);
    const main = document.querySelector('[data-testid=stMain]');
    for (const el of main.querySelectorAll(
            '[data-testid=stMarkdownContainer] :is(p, li), input, textarea, '
            + '[data-testid=stWidgetLabel] p')) {
        if (shown(el) && (el.textContent.trim() || el.tagName !== 'P') && size(el) < minText
            && !el.closest('[data-testid=stCaptionContainer]'))
            problems.push(`text ${size(el)} px: ${name(el)}`);
    }
    for (const el of main.querySelectorAll('[data-testid=stCaptionContainer] p')) {
        if (shown(el) && el.textContent.trim() && size(el) < minNote)
            problems.push(`note ${size(el)} px: ${name(el)}`);
    }
    return problems;
}"""


def touch_problems(page: Page) -> list[str]:
    """Targets under 44 px tall or under 8 px apart, text and fields under 16 px, notes under
    15 px: the self-check's own rules for a phone, stricter than WCAG's 24 px."""
    problems: list[str] = page.evaluate(
        _TOUCH, [TOUCH_TARGET_PX, TOUCH_GAP_PX, MIN_TEXT_PX, MIN_NOTE_PX]
    )
    return problems


REFLOW_WIDTH = 320  # WCAG 1.4.10 Reflow: content fits 320 CSS px without sideways scrolling


def reflow_problems(page: Page) -> list[str]:
    """Sideways scrolling once the viewport is 320 px wide (then the viewport is put back)."""
    size = page.viewport_size
    assert size is not None
    page.set_viewport_size({"width": REFLOW_WIDTH, "height": size["height"]})
    try:
        page.evaluate(_NEXT_FRAME)  # laid out again
        problems = [p for p in layout_problems(page) if "sideways" in p]
    finally:
        page.set_viewport_size(size)
        page.evaluate(_NEXT_FRAME)
    return problems


_FOCUS = """() => {
    const el = document.activeElement;
    if (!el || el === document.body || el === document.documentElement) return null;
    // Hidden inputs (radio, checkbox) and text fields show it on the box around them.
    const shown = el.closest('[data-testid=stRadioOption], [data-testid=stCheckbox] label, '
        + '[data-testid=stTextInputRootElement], [data-testid=stTextAreaRootElement], '
        + '[data-testid=stMultiSelect] [role=group]') || el;
    const style = getComputedStyle(shown);
    const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
    // A ring drawn as a box-shadow counts when its spread is 2 px or more.
    const spread = [...style.boxShadow.matchAll(/(\\d+(?:\\.\\d+)?)px/g)].map(m => +m[1]);
    const ring = style.boxShadow !== 'none' && spread.some(px => px >= 2);
    const r = shown.getBoundingClientRect();
    const inView = r.bottom > 0 && r.top < innerHeight && r.right > 0 && r.left < innerWidth;
    return {
        what: `${el.tagName.toLowerCase()} ${(el.innerText || el.getAttribute('aria-label')
            || el.value || '').trim().slice(0, 30)}`,
        visible: (outline || ring) && inView && r.width > 0 && r.height > 0,
        frame: el.tagName === 'IFRAME',
    };
}"""


def focus(page: Page) -> dict[str, Any] | None:
    """What has the keyboard focus and whether a focus indicator is drawn around it in view."""
    found: dict[str, Any] | None = page.evaluate(_FOCUS)
    return found


# Reports every Content-Security-Policy violation of a frame to window.__cspViolation (an
# exposed function the test defines); given to page.add_init_script.
LISTEN = """() => {
    document.addEventListener('securitypolicyviolation', e => window.__cspViolation({
        directive: e.effectiveDirective, blocked: e.blockedURI, sample: e.sample,
        source: e.sourceFile, line: e.lineNumber, page: document.URL,
    }));
}"""
