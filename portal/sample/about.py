"""/<lang>/about-the-sample/: what the bundled sample data is, and the mistakes it makes on
purpose so that the data-quality checks have something to find (linked from the sample
banner; only while the sample is what the portal shows)."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, abort, render_template, url_for
from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

from portal.caching import cached_page
from portal.extensions import db
from portal.iati.queries import dataset_is_sample
from portal.quality import kinds

blueprint = Blueprint("sample", __name__, url_prefix="/<lang>/about-the-sample")

PUBLISHER = "XM-EXAMPLE-ORG"


@dataclass(frozen=True)
class DeliberateError:
    """A mistake the sample generator writes on purpose, where it shows and what the portal's
    check of `kind` says about it (a test checks the portal does find each one)."""

    kind: str
    what: LazyString
    outcome: str | None = None  # the IATI identifier of the activity where it shows
    country: str | None = None  # the ISO3 code of the country whose facts hold it

    @property
    def about(self) -> kinds.Kind:
        return kinds.KINDS[self.kind]

    @property
    def url(self) -> str:
        if self.outcome is not None:
            return url_for("outcomes.outcome", identifier=self.outcome)
        return url_for("countries.overview", iso3=self.country)


DELIBERATE_ERRORS = (
    DeliberateError(
        kinds.PLACEHOLDER_TEXT,
        _l(
            "The second output of a Senegal outcome has “Lorem ipsum dolor sit amet.” "
            "as its description."
        ),
        outcome=f"{PUBLISHER}-SEN_D_2.1",
    ),
    DeliberateError(
        kinds.INDICATOR_WITHOUT_VALUES,
        _l(
            "A Mali indicator, “Time-use study published”, has no baseline, target or actual value."
        ),
        outcome=f"{PUBLISHER}-MLI_O_2.1",
    ),
    DeliberateError(
        kinds.POPULATION_PARTS_NOT_TOTAL,
        _l(
            "Senegal's invented numbers of women and men add up to more than its real total "
            "population."
        ),
        country="SEN",
    ),
)


@blueprint.get("/")
@cached_page
def page():
    if not dataset_is_sample(db.session):
        abort(404)
    return render_template("sample/about.html", deliberate_errors=DELIBERATE_ERRORS)
