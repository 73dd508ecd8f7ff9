"""Issue 11's acceptance run on Cosmos: the dev host with the Cosmos store settings, against the
Cosmos-protocol test server; 60 buyers at once, through all three saga kinds, for the 5 units of
``limited-edition``: exactly 5 complete and 55 are compensated as out of stock."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from adapters.cosmos import CosmosStore
from devhost.testing.process import DevHostProcess
from tests.buyers import BUYERS, buy_all_at_once, stock_and_reservations, totals
from tools.cosmos.server import EMULATOR_KEY


def test_sixty_buyers_at_once_on_cosmos_get_five_units_and_the_rest_are_out_of_stock(
    cosmos_endpoint: str, cosmos_database: str, tmp_path: Path
) -> None:
    env = {
        "SAGA_STORE": "cosmos",
        "COSMOS_ENDPOINT": cosmos_endpoint,
        "COSMOS_KEY": EMULATOR_KEY,
        "COSMOS_DATABASE": cosmos_database,
        "COSMOS_VERIFY_TLS": "false",
    }
    host = DevHostProcess(tmp_path, env=env).start()
    try:
        outcomes = buy_all_at_once(host.base_url, timeout=180)
    finally:
        host.stop()
    print(f"60 buyers on Cosmos: {dict(outcomes)}")  # shown with -s: the split per saga kind
    assert totals(outcomes) == Counter(
        {("completed", None): 5, ("compensated", "out_of_stock"): BUYERS - 5}
    ), outcomes
    store = CosmosStore(cosmos_endpoint, cosmos_database, EMULATOR_KEY, verify_tls=False)
    counters, held = stock_and_reservations(store)
    assert counters == (0, 0, 5)
    assert held["committed"] == 5 and held["reserved"] == 0
