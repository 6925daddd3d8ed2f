"""Fail when the translation catalogues are not ready to ship (`make check-translations`).

Checks that `translations/messages.pot` holds exactly the messages the code and templates use
now, that every language's catalogue translates all of them (nothing missing, untranslated,
fuzzy or obsolete), and that every translation keeps the placeholders of its source text.

Run as `python -m portal.i18n.check_catalogues [--root DIR]`; exit status 1 on any problem.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po

from portal.config import DEFAULT_LANGUAGE, PROJECT_ROOT, SUPPORTED_LANGUAGES

# The Makefile's extract-translations target passes exactly these (a test keeps them equal).
EXTRACT_KEYWORDS = (
    "_l",
    "N_",
    "lazy_gettext",
    "lazy_ngettext:1,2",
    "lazy_pgettext:1c,2",
    "lazy_npgettext:1c,2,3",
)
EXTRACT_OPTIONS = (
    "--no-location",
    "--omit-header",
    "--sort-by-file",
    "--add-comments=Translators:",
    # Babel skips directories starting with "_" unless told which to skip: templates/_macros.
    "--ignore-dirs=.* _build node_modules",
)
MAPPING_FILE = "babel.cfg"
TEMPLATE = Path("translations") / "messages.pot"

# %(name)s, %s, %.1f … and the literal %% ; then str.format-style {name}.
PERCENT_PLACEHOLDER = re.compile(
    r"%(?:\((?P<name>[^)]*)\))?[-#0+]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?"
    r"(?P<type>[diouxXeEfFgGcrsa%])"
)
BRACE_PLACEHOLDER = re.compile(r"(?<!\{)\{(?P<field>[A-Za-z_][\w.]*|\d*)(?:![rsa])?(?::[^{}]*)?\}")

MessageKey = tuple[str | None, str, str | None]  # (context, msgid, msgid_plural)


@dataclass(frozen=True)
class Problem:
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


def extract_command(root: Path, output: Path) -> list[str]:
    """The pybabel arguments of `make extract-translations` for the project at `root`."""
    keywords = [argument for keyword in EXTRACT_KEYWORDS for argument in ("-k", keyword)]
    return [
        "pybabel",
        "--quiet",
        "extract",
        *EXTRACT_OPTIONS,
        "-F",
        str(root / MAPPING_FILE),
        *keywords,
        "-o",
        str(output),
        str(root),
    ]


def extract_messages(root: Path) -> Catalog:
    """What the code and templates under `root` translate today, as a fresh template."""
    with tempfile.TemporaryDirectory() as tmp:
        output = Path(tmp) / "messages.pot"
        status = CommandLineInterface().run(extract_command(root, output))
        if status:
            raise RuntimeError(f"pybabel extract failed with status {status}")
        with output.open("rb") as file:
            return read_po(file)


def _key(message: Message) -> MessageKey:
    if isinstance(message.id, tuple | list):
        return (message.context, message.id[0], message.id[1])
    return (message.context, message.id, None)


def _messages(catalog: Catalog) -> dict[MessageKey, Message]:
    return {_key(message): message for message in catalog if message.id}


def _describe(key: MessageKey) -> str:
    context, msgid, _plural = key
    text = msgid if len(msgid) <= 70 else msgid[:67] + "..."
    return f"[{context}] {text!r}" if context else repr(text)


def check_template_is_current(committed: Catalog, fresh: Catalog, where: str) -> list[Problem]:
    """The committed .pot has exactly the messages a fresh extraction finds."""
    committed_keys = set(_messages(committed))
    fresh_keys = set(_messages(fresh))
    problems = [
        Problem(
            where, f"missing {_describe(key)} (used in the code; run make extract-translations)"
        )
        for key in sorted(fresh_keys - committed_keys, key=_sort_key)
    ]
    problems += [
        Problem(where, f"stale {_describe(key)} (no longer used; run make extract-translations)")
        for key in sorted(committed_keys - fresh_keys, key=_sort_key)
    ]
    return problems


def _sort_key(key: MessageKey) -> tuple[str, str, str]:
    return (key[0] or "", key[1], key[2] or "")


def check_catalogue(catalog: Catalog, template: Catalog, lang: str, where: str) -> list[Problem]:
    """One language: in step with the template, fully translated, nothing fuzzy or obsolete."""
    problems: list[Problem] = []
    if str(catalog.locale or "") != lang:
        problems.append(Problem(where, f"header says Language {catalog.locale!s}, not {lang}"))
    if catalog.fuzzy:
        problems.append(Problem(where, "the header is marked fuzzy (pybabel compile skips it)"))
    template_keys = set(_messages(template))
    messages = _messages(catalog)
    for key in sorted(template_keys - set(messages), key=_sort_key):
        problems.append(Problem(where, f"missing {_describe(key)} (run make update-translations)"))
    for key in sorted(set(messages) - template_keys, key=_sort_key):
        problems.append(
            Problem(where, f"not in messages.pot: {_describe(key)} (run make update-translations)")
        )
    for message in catalog.obsolete.values():
        problems.append(
            Problem(
                where, f"obsolete entry {_describe(_key(message))} (run make update-translations)"
            )
        )
    for key, message in messages.items():
        if message.fuzzy:
            problems.append(Problem(where, f"fuzzy {_describe(key)}"))
        if not _is_translated(message, catalog.num_plurals):
            problems.append(Problem(where, f"untranslated {_describe(key)}"))
            continue
        problems += [Problem(where, text) for text in placeholder_problems(message)]
    return problems


def _is_translated(message: Message, num_plurals: int) -> bool:
    if message.pluralizable:
        forms = list(message.string or ())
        return len(forms) == num_plurals and all(form.strip() for form in forms)
    return bool(message.string and message.string.strip())


def placeholders(text: str) -> Counter[str]:
    """The %- and {}-placeholders of a text, with how often each appears (%% excluded)."""
    found: Counter[str] = Counter()
    for match in PERCENT_PLACEHOLDER.finditer(text):
        if match["type"] != "%":
            found[match[0]] += 1
    for match in BRACE_PLACEHOLDER.finditer(text.replace("{{", "").replace("}}", "")):
        found["{" + match["field"] + "}"] += 1
    return found


def _stray_percent(text: str) -> bool:
    """A % that is neither a placeholder nor %%: formatting the text would fail."""
    return "%" in PERCENT_PLACEHOLDER.sub("", text)


def placeholder_problems(message: Message) -> list[str]:
    """Every form of the translation keeps the placeholders of the text it translates."""
    if message.pluralizable:
        singular, plural = message.id[0], message.id[1]
        pairs = [
            (index, singular if index == 0 else plural, form)
            for index, form in enumerate(message.string)
        ]
    else:
        pairs = [(None, message.id, message.string)]
    problems = []
    for index, source, translation in pairs:
        label = _describe(_key(message)) + ("" if index is None else f" msgstr[{index}]")
        expected, found = placeholders(source), placeholders(translation)
        if expected != found:
            problems.append(
                f"placeholders differ in {label}: msgid has {_show(expected)}, "
                f"msgstr has {_show(found)}"
            )
        elif "%" in source and _stray_percent(translation) and not _stray_percent(source):
            problems.append(f"a lone % in {label}: write %% for a percent sign")
        elif "%" not in source and "%" in translation:
            problems.append(
                f"% in {label} whose msgid has none: templates %-format every string, "
                "so this would fail; put the % in a placeholder's value"
            )
    return problems


def _show(found: Counter[str]) -> str:
    if not found:
        return "none"
    return ", ".join(
        f"{placeholder}×{count}" if count > 1 else placeholder
        for placeholder, count in sorted(found.items())
    )


def check(root: Path, languages: Sequence[str]) -> list[Problem]:
    """Every problem of the catalogues under `root` (the project directory)."""
    template_path = root / TEMPLATE
    if not template_path.is_file():
        return [Problem(str(TEMPLATE), "missing (run make extract-translations)")]
    with template_path.open("rb") as file:
        template = read_po(file)
    problems = check_template_is_current(template, extract_messages(root), str(TEMPLATE))
    for lang in languages:
        relative = Path("translations") / lang / "LC_MESSAGES" / "messages.po"
        path = root / relative
        if not path.is_file():
            problems.append(Problem(str(relative), "missing (run make update-translations)"))
            continue
        with path.open("rb") as file:
            catalog = read_po(file, locale=None)
        problems += check_catalogue(catalog, template, lang, str(relative))
    return problems


def summary(root: Path, languages: Iterable[str]) -> list[str]:
    """How many messages each catalogue translates, for the success line."""
    lines = []
    for lang in languages:
        path = root / "translations" / lang / "LC_MESSAGES" / "messages.po"
        with path.open("rb") as file:
            catalog = read_po(file)
        count = sum(1 for message in catalog if message.id)
        lines.append(f"{lang}: {count} messages translated")
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=PROJECT_ROOT, help="project directory")
    parser.add_argument(
        "--languages",
        nargs="+",
        default=[lang for lang in SUPPORTED_LANGUAGES if lang != DEFAULT_LANGUAGE],
    )
    arguments = parser.parse_args(argv)
    root = arguments.root.resolve()
    problems = check(root, arguments.languages)
    if problems:
        for problem in problems:
            print(problem, file=sys.stderr)
        print(f"{len(problems)} translation problem(s).", file=sys.stderr)
        return 1
    print("Translation catalogues are complete: " + "; ".join(summary(root, arguments.languages)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
