"""The one rule for text a spreadsheet would run as a formula, on cases no download can hold."""

from __future__ import annotations

import pytest

from portal.spreadsheet_safety import neutralise_formula


@pytest.mark.parametrize("text", ["\x00=1+1", "\x00plain", "\u200b\tplain", "\u200b\rplain", "-"])
def test_a_leading_nul_tab_carriage_return_or_lone_trigger_is_guarded(text):
    assert neutralise_formula(text) == "'" + text


@pytest.mark.parametrize("text", ["", "   ", "\u200b", "'=1+1", "1-2", "Women + girls"])
def test_text_without_a_leading_trigger_is_unchanged(text):
    assert neutralise_formula(text) == text
