"""Every place's ledger read at once is each place's ledger read alone (the six files)."""

from portal import ledger


def _figures(year_ledger):
    return [
        (publisher.ref, publisher.money, publisher.funding, [r.activity.id for r in publisher.rows])
        for publisher in year_ledger.publishers
    ]


def test_every_place_ledger_is_each_place_ledger(six_files):
    every = ledger.every_place_ledger(six_files)
    assert set(every) == set(ledger.every_place(six_files))
    compared = 0
    for scope, whole in every.items():
        alone = ledger.place_ledger(six_files, scope)
        assert [a.id for a in whole.activities] == [a.id for a in alone.activities]
        assert [a.share for a in whole.activities] == [a.share for a in alone.activities]
        for year in alone.years:
            assert _figures(whole.year(year)) == _figures(alone.year(year))
            compared += 1
    assert compared > 500
