"""Outcomes: Results & Resources, Strategic Plan Contributions and the outcome page."""
