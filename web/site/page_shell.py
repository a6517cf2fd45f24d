"""Words before JavaScript: the page's own HTML carries the self-check's title, the clinic's
name, the welcome screen's first paragraph, the emergency line with a tap-to-call link and
"loading", in the person's language (?lang=). On a slow phone connection Streamlit's scripts take
seconds; without this the page is blank until they run, and a person in danger must not wait for
a bundle to find the number. The first paragraph gives them something to read meanwhile (the
same words the welcome screen then shows).

The page's scripts are asked for with fetchpriority="low": the browser fetches the page's
stylesheet first and paints the shell without waiting for them (with Streamlit's default, High,
they count as render-blocking). They are still fetched at once, in parallel, and run as before.

The shell goes inside <div id="root">, where Streamlit's React mounts: its first render replaces
the shell, so the two are never on screen together and nothing is shifted (a removed element is
not a layout shift). No script: its style is one <style> element in <head>, which the policy's
style-src already allows ('unsafe-inline', web/content_policy.py says why), with class names
of its own so it never touches the app.
"""

from __future__ import annotations

import html
from urllib.parse import parse_qs

from screening.outputs.summary import fill, tel_link
from screening.questionnaire.loader import load_questionnaire
from screening.questionnaire.models import Clinic, Questionnaire

from ..common.content import paths
from .server_types import ASGIApp, Message, Receive, Scope, Send

SHELL_PATHS = frozenset({"/"})  # the self-check; the staff page has no emergency line
ROOT_DIV = '<div id="root"></div>'
HTML_LANG = '<html lang="en">'
MODULE_SCRIPT = '<script type="module" '
MODULE_PRELOAD = '<link rel="modulepreload" '
# Laid out like Streamlit's centred column and the theme (.streamlit/config.toml): its text
# colour and width. The phone's own font, not Streamlit's web font: text in a web font stays
# invisible until the font (170 KB) has arrived. The emergency link is a finger-sized button.
STYLE = """<style>
.first-load{box-sizing:border-box;max-width:736px;margin:0 auto;padding:4rem 1rem 2rem;
font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1a1a1a;line-height:1.6}
.first-load h1{font-size:2.25rem;font-weight:700;line-height:1.2;margin:0 0 1rem}
.first-load p{font-size:1rem;margin:0 0 1rem}
.first-load-emergency{background:#fff6d6;border-radius:.5rem;padding:1rem}
.first-load-emergency a{display:inline-block;min-height:48px;line-height:48px;padding:0 1.25rem;
margin-top:.5rem;border-radius:.5rem;background:#0b5cad;color:#fff;font-weight:600;
text-decoration:none}
/* The app's own layout on phones (web/browser.py sends the same rules with its first run):
   here they hold from the first paint, so the welcome screen is not drawn 93 px lower and
   then moved up (a layout shift of 0.10 before). #root: to outweigh Streamlit's own. */
#root [data-testid=stHeader]{display:none}
#root [data-testid=stMainBlockContainer]{padding-top:1.25rem;padding-bottom:4rem}
#root .st-key-page-settings{display:none}
/* The same for the welcome screen's sizes: Streamlit draws the buttons before the app's style
   element has been rendered, and the language switch first as a 40 px placeholder while its
   code arrives; both then grow to 48 px (a shift of 8 px for everything below). */
#root .st-key-ui-lang [data-testid=stSkeleton]{min-height:3rem}
#root [data-testid=stRadioOption]{min-height:3rem;align-items:center}
#root [role=radiogroup][aria-orientation=vertical] [data-testid=stRadioOption]{min-height:2.75rem}
#root [role=radiogroup]{gap:.5rem 1rem}
#root [role=radiogroup] [data-testid=stRadioOption]{margin:0}
#root :is(.stButton,.stLinkButton) :is(button,a){min-height:3rem}
#root :is([data-testid=stRadioOption],.stButton,.stLinkButton) p{font-size:1rem}
#root [data-testid=stMarkdownContainer] :is(p,li){font-size:1rem}
#root :is([data-testid=stCaptionContainer],[data-testid=stCaptionContainer] p){font-size:.9375rem}
</style>"""


def shell(q: Questionnaire, clinic: Clinic, lang: str) -> str:
    """The shell's HTML in `lang` (every text escaped)."""
    ui = q.ui

    def say(text: str) -> str:
        return html.escape(text)

    number = clinic.emergency_number
    return (
        f'<main class="first-load" lang="{lang}">'
        f"<h1>{say(ui.page_title.get(lang))}</h1>"
        f"<p>{say(clinic.name)}</p>"
        f"<p>{say(fill(q, clinic, ui.welcome_body, lang))}</p>"
        f'<p class="first-load-emergency">{say(fill(q, clinic, ui.welcome_not, lang))}<br>'
        f'<a href="{tel_link(number)}">{say(fill(q, clinic, ui.call_emergency, lang))}</a></p>'
        f'<p role="status">{say(ui.loading.get(lang))}</p>'
        "</main>"
    )


def shells(q: Questionnaire, clinic: Clinic) -> dict[str, str]:
    """The shell in each of the clinic's languages, made once at start-up."""
    return {lang: shell(q, clinic, lang) for lang in clinic.languages}


def with_shell(page: bytes, shell_html: str, lang: str) -> bytes:
    """Streamlit's index.html with the shell in #root, its style in <head>, the page's language
    set (Streamlit hard-codes "en") and its scripts at low fetch priority. Unchanged when the
    page is not the one expected."""
    text = page.decode("utf-8")
    if ROOT_DIV not in text or "</head>" not in text:
        return page
    text = text.replace(ROOT_DIV, f'<div id="root">{shell_html}</div>', 1)
    text = text.replace("</head>", STYLE + "\n</head>", 1)
    text = text.replace(HTML_LANG, f'<html lang="{lang}">', 1)
    text = text.replace(MODULE_SCRIPT, MODULE_SCRIPT + 'fetchpriority="low" ')
    text = text.replace(MODULE_PRELOAD, MODULE_PRELOAD + 'fetchpriority="low" ')
    return text.encode("utf-8")


def chosen_language(query_string: bytes, clinic: Clinic) -> str:
    """?lang= when the clinic offers it, else the clinic's default language."""
    wanted = parse_qs(query_string.decode("latin-1")).get("lang", [""])[0]
    return wanted if wanted in clinic.languages else clinic.default_language


def questionnaire() -> Questionnaire | None:
    """The questionnaire the app serves, or None when it cannot load (the app then shows its
    "temporarily unavailable" page, and the HTML has no shell)."""
    try:
        return load_questionnaire(paths()[0])
    except Exception:  # any failure: the server must still start
        return None


class PageShell:
    """Puts the shell into the self-check's HTML page (GET / only)."""

    def __init__(self, app: ASGIApp, q: Questionnaire | None, clinic: Clinic | None) -> None:
        self.app = app
        self.clinic = clinic
        self.shells = shells(q, clinic) if q is not None and clinic is not None else {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] != "GET"
            or scope["path"] not in SHELL_PATHS
            or self.clinic is None
            or not self.shells
        ):
            await self.app(scope, receive, send)
            return
        lang = chosen_language(scope.get("query_string", b""), self.clinic)
        start: Message | None = None
        body: list[bytes] = []

        async def held(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                sent = dict(message.get("headers", []))
                html_page = sent.get(b"content-type", b"").startswith(b"text/html")
                encoded = b"content-encoding" in sent
                if message["status"] == 200 and html_page and not encoded:
                    start = message
                    return
            elif message["type"] == "http.response.body" and start is not None:
                body.append(message.get("body", b""))
                if message.get("more_body", False):
                    return
                payload = with_shell(b"".join(body), self.shells[lang], lang)
                headers = [(k, v) for k, v in start["headers"] if k.lower() != b"content-length"]
                headers.append((b"content-length", str(len(payload)).encode()))
                await send({**start, "headers": headers})
                await send({"type": "http.response.body", "body": payload})
                return
            await send(message)

        await self.app(scope, receive, held)
