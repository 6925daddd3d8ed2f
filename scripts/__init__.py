"""Development scripts run from the checkout (`python -m scripts.…`); not part of the wheel."""
