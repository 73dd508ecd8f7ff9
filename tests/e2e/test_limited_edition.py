"""Issue 11's acceptance run on the embedded store: 60 buyers at once for the 5 units of
``limited-edition`` on the dev host (SQLite), all three saga kinds competing and each kind alone:
exactly 5 complete, 55 are compensated as out of stock, and the stock ends 0 available, 5 shipped.
"""

from __future__ import annotations

from collections import Counter

import pytest

from adapters.sqlite import SqliteStore
from tests.buyers import BUYERS, KINDS, buy_all_at_once, stock_and_reservations, totals
from tests.e2e.conftest import HostFactory

ENV = {"EVENTHUB_NAME": "saga-events"}


@pytest.mark.parametrize("kinds", [KINDS, *((kind,) for kind in KINDS)], ids="+".join)
def test_sixty_buyers_at_once_get_the_five_units_and_the_rest_are_out_of_stock(
    devhost_factory: HostFactory, kinds: tuple[str, ...]
) -> None:
    host = devhost_factory(env=ENV)
    outcomes = buy_all_at_once(host.base_url, 90, kinds)
    print(f"60 buyers on SQLite: {dict(outcomes)}")  # shown with -s: the split per saga kind
    assert totals(outcomes, kinds) == Counter(
        {("completed", None): 5, ("compensated", "out_of_stock"): BUYERS - 5}
    ), outcomes
    counters, held = stock_and_reservations(SqliteStore(str(host.store_path)))
    assert counters == (0, 0, 5)
    assert held["committed"] == 5 and held["reserved"] == 0
