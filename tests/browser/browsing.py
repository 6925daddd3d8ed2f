"""What the browser tests do inside a page: run axe-core, walk the Tab order, measure reflow,
and notice console errors and failed requests."""

from __future__ import annotations

from dataclasses import dataclass, field

from playwright.sync_api import ConsoleMessage, Page, Request, Response

from portal.config import PROJECT_ROOT

AXE_SCRIPT = PROJECT_ROOT / "node_modules" / "axe-core" / "axe.min.js"
# WCAG 2.2 A and AA (2.2 adds AA rules only) and axe's best practices (landmarks, headings…).
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
MOST_TAB_PRESSES = 200
FAVICON = "/static/images/favicon.svg"
NARROWEST_VIEWPORT = 320


def axe_source() -> str:
    """axe-core from the npm lock file; `make` installs it (npm ci)."""
    if not AXE_SCRIPT.is_file():
        raise FileNotFoundError(
            f"{AXE_SCRIPT} is missing: run `make setup` (npm ci installs axe-core from "
            "package-lock.json) before the browser tests."
        )
    return AXE_SCRIPT.read_text(encoding="utf-8")


_RUN_AXE = """async (tags) => {
  const results = await axe.run(document, {
    runOnly: {type: 'tag', values: tags},
    resultTypes: ['violations'],
  });
  return results.violations.map((violation) => ({
    id: violation.id,
    impact: violation.impact,
    help: violation.help,
    nodes: violation.nodes.map((node) => ({
      target: node.target.join(' '),
      summary: node.failureSummary,
    })),
  }));
}"""


def axe_violations(page: Page) -> list[str]:
    """Run axe-core's WCAG 2.2 A and AA rules and best practices on the page; one line per
    violation."""
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.evaluate(axe_source())
    lines = []
    for violation in page.evaluate(_RUN_AXE, WCAG_TAGS):
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        lines += [
            f"    at {node['target']}: {' '.join(node['summary'].split())}"
            for node in violation["nodes"]
        ]
    return lines


def wait_until_settled(page: Page) -> None:
    """Wait until HTMX has finished every request, swap and settle on the page (it marks the
    elements concerned with these classes meanwhile): a swap's end, not a time."""
    page.wait_for_function(
        "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')"
    )


@dataclass
class PageErrors:
    """Console errors, uncaught exceptions and failed requests seen while using a page.

    A Content-Security-Policy violation is a console error, so this also catches those.
    """

    messages: list[str] = field(default_factory=list)

    def watch(self, page: Page) -> PageErrors:
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.messages.append(f"uncaught exception: {error}"))
        page.on("requestfailed", self._request_failed)
        page.on("response", self._response)
        return self

    def take(self) -> list[str]:
        """The errors seen since the last call."""
        taken, self.messages = self.messages, []
        return taken

    def _console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.messages.append(f"console error: {message.text} ({message.location})")

    def _request_failed(self, request: Request) -> None:
        if request.failure == "net::ERR_ABORTED" and FAVICON in request.url:
            return  # Chromium fetches the icon last and drops it when the page is left
        self.messages.append(f"request failed: {request.url} ({request.failure})")

    def _response(self, response: Response) -> None:
        if response.status >= 400:
            self.messages.append(
                f"{response.status} for {response.request.resource_type} {response.url}"
            )


_ACTIVE_ELEMENT = """() => {
  const element = document.activeElement;
  if (!element || element === document.body || element === document.documentElement) {
    return null;
  }
  const rect = element.getBoundingClientRect();
  return {
    tag: element.tagName.toLowerCase(),
    href: element.getAttribute('href'),
    html: element.outerHTML.slice(0, 160),
    inMain: element.closest('main#main') !== null,
    onScreen: rect.width >= 1 && rect.height >= 1 && rect.top >= 0 && rect.left >= 0
      && rect.bottom <= window.innerHeight && rect.right <= window.innerWidth,
  };
}"""


def active_element(page: Page) -> dict | None:
    """The focused element, or None when focus is on the document itself."""
    return page.evaluate(_ACTIVE_ELEMENT)


# Compare the focused element's look with its look once blurred, then give focus back so the
# next Tab continues from it. Focus came from the keyboard, so :focus-visible styles apply.
_TAB_STOP = r"""() => {
  const element = document.activeElement;
  if (!element || element === document.body || element === document.documentElement) {
    return null;
  }
  const look = (target) => {
    const style = getComputedStyle(target);
    const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0
      ? `${style.outlineStyle} ${style.outlineWidth} ${style.outlineColor}` : 'none';
    return [outline, style.boxShadow, style.backgroundColor, style.color,
            style.borderTopColor, style.borderBottomColor, style.borderBottomWidth,
            style.textDecorationLine, style.textDecorationThickness].join(' | ');
  };
  const html = element.outerHTML.slice(0, 160);
  if (!element.dataset.tabStop) {
    window.__tabStops = (window.__tabStops || 0) + 1;
    element.dataset.tabStop = String(window.__tabStops);
  }
  const focused = look(element);
  const rect = element.getBoundingClientRect();
  element.blur();
  const unfocused = look(element);
  element.focus();
  return {
    stop: element.dataset.tabStop,
    html: html.replace(/ data-tab-stop="\d+"/, ''),
    indicated: focused !== unfocused,
    onScreen: rect.width >= 1 && rect.height >= 1 && rect.bottom > 0 && rect.right > 0
      && rect.top < window.innerHeight && rect.left < window.innerWidth,
  };
}"""


def keyboard_walk_problems(page: Page) -> list[str]:
    """Tab through the page: every stop must be visible and show focus; nothing may trap it.

    The walk ends when focus leaves the last element or comes back to the first one; coming
    back to any other element, or staying put, is a keyboard trap.
    """
    problems: list[str] = []
    visited: list[str] = []
    for _ in range(MOST_TAB_PRESSES):
        page.keyboard.press("Tab")
        stop = page.evaluate(_TAB_STOP)
        if stop is None:
            if visited:
                return problems
            problems.append("Tab does not reach any element")
            return problems
        if visited and stop["stop"] == visited[0]:
            return problems
        if stop["stop"] in visited:
            problems.append(f"keyboard trap: Tab comes back to {stop['html']}")
            return problems
        visited.append(stop["stop"])
        if not stop["indicated"]:
            problems.append(f"no visible focus indicator on {stop['html']}")
        if not stop["onScreen"]:
            problems.append(f"focused element is not on screen: {stop['html']}")
    return problems


# The culprits are the innermost elements that stick out: by their box, or by content (a long
# word, say) overflowing a box that fits.
_WIDER_THAN_VIEWPORT = """() => {
  const width = document.documentElement.clientWidth + 0.5;
  const sticksOut = (element) => {
    const rect = element.getBoundingClientRect();
    const visibleOverflow = getComputedStyle(element).overflowX === 'visible';
    return rect.right > width || (visibleOverflow && rect.left + element.scrollWidth > width);
  };
  const culprits = [...document.body.querySelectorAll('*')].filter(
    (element) => sticksOut(element) && ![...element.children].some(sticksOut));
  return {
    scrollWidth: document.documentElement.scrollWidth,
    culprits: culprits.slice(0, 5).map((element) => element.outerHTML.slice(0, 120)),
  };
}"""


def reflow_problem(page: Page) -> str | None:
    """At 320 CSS px the page must not scroll sideways (WCAG 1.4.10)."""
    measured = page.evaluate(_WIDER_THAN_VIEWPORT)
    if measured["scrollWidth"] <= NARROWEST_VIEWPORT:
        return None
    culprits = "; ".join(measured["culprits"]) or "(no single element found)"
    return f"{measured['scrollWidth']} px wide at {NARROWEST_VIEWPORT} px, because of: {culprits}"
