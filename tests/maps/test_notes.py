"""The UN map disclaimer and the Kosovo note: one partial, the same words as portal.maps."""

from __future__ import annotations

from flask import render_template
from lxml import html

from portal.maps import MAP_NOTES


def test_partial_renders_both_notes_in_one_paragraph(app):
    with app.test_request_context("/en/"):
        fragment = html.fragment_fromstring(render_template("maps/_notes.html"))
        notes = [str(note) for note in MAP_NOTES]
    assert fragment.tag == "p"
    assert fragment.get("class") == "map-notes"
    assert " ".join(fragment.text_content().split()) == " ".join(notes)
