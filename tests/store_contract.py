"""The one behaviour contract every ``DocumentStore`` passes (SQLite in unit tests, Cosmos in
integration tests), so the adapters cannot drift apart; and the time-to-live contract of the stores
that expire documents. Subclasses provide the ``store`` fixture,
and may override ``peer``: a second handle on the same data, as another process would have."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest

from saga.containers import INVENTORY, LEDGER, ORDERS
from saga.errors import AlreadyExists, BatchFailed, NotFound, PreconditionFailed
from saga.inventory import release_inventory, reserve_inventory
from saga.operations import Condition, Create, Delete, Patch, Read, Replace, Upsert
from saga.payments import charge_payment, refund_payment
from saga.ports import Document, DocumentStore
from saga.seed import ensure_item


def order(order_id: str, **fields: object) -> Document:
    return {"id": order_id, "order_id": order_id, **fields}


def stock(sku: str, doc_id: str, **fields: object) -> Document:
    return {"id": doc_id, "sku": sku, **fields}


def increment(store: DocumentStore, order_id: str, attempts: int = 500) -> None:
    """Add 1 to ``count``: read, replace with the read ETag, re-read when another writer won."""
    for _ in range(attempts):
        doc = store.read(ORDERS, order_id, order_id)
        assert doc is not None
        try:
            store.replace(ORDERS, order_id, {**doc, "count": doc["count"] + 1}, doc["_etag"])
            return
        except PreconditionFailed:
            continue
    raise AssertionError(f"increment lost {attempts} races in a row")


class StoreContract:
    """Mix into a ``Test...`` class that defines a ``store`` fixture."""

    race_threads = 6
    race_increments = 5

    @pytest.fixture
    def store(self) -> DocumentStore:
        raise NotImplementedError("the subclass provides the store under test")

    @pytest.fixture
    def peer(self, store: DocumentStore) -> DocumentStore:
        return store

    def test_created_document_reads_back_equal_with_its_etag(self, store: DocumentStore) -> None:
        created = store.create(ORDERS, "o1", order("o1", status="new", total_minor=1250))
        assert created == {**order("o1", status="new", total_minor=1250), "_etag": created["_etag"]}
        assert store.read(ORDERS, "o1", "o1") == created

    def test_reading_a_missing_document_returns_none(self, store: DocumentStore) -> None:
        store.create(ORDERS, "o1", order("o1"))
        assert store.read(ORDERS, "o2", "o2") is None
        assert store.read(ORDERS, "o1", "other-id") is None

    def test_every_write_gives_the_document_a_new_etag(self, store: DocumentStore) -> None:
        first = store.create(ORDERS, "o1", order("o1", step=1))
        second = store.replace(ORDERS, "o1", {**first, "step": 2}, first["_etag"])
        third = store.replace(ORDERS, "o1", {**second, "step": 3}, second["_etag"])
        assert len({first["_etag"], second["_etag"], third["_etag"]}) == 3
        assert store.read(ORDERS, "o1", "o1") == third

    def test_an_etag_passed_in_the_document_is_ignored(self, store: DocumentStore) -> None:
        created = store.create(ORDERS, "o1", {**order("o1"), "_etag": "forged"})
        assert created["_etag"] != "forged"
        assert store.read(ORDERS, "o1", "o1") == created

    def test_creating_an_existing_id_raises_already_exists_and_keeps_the_first(
        self, store: DocumentStore
    ) -> None:
        first = store.create(ORDERS, "o1", order("o1", status="first"))
        with pytest.raises(AlreadyExists):
            store.create(ORDERS, "o1", order("o1", status="second"))
        assert store.read(ORDERS, "o1", "o1") == first

    def test_replacing_with_a_stale_etag_fails_and_keeps_the_newer_version(
        self, store: DocumentStore, peer: DocumentStore
    ) -> None:
        stale = store.create(ORDERS, "o1", order("o1", status="new"))
        newer = peer.replace(ORDERS, "o1", {**stale, "status": "paid"}, stale["_etag"])
        with pytest.raises(PreconditionFailed):
            store.replace(ORDERS, "o1", {**stale, "status": "cancelled"}, stale["_etag"])
        assert store.read(ORDERS, "o1", "o1") == newer

    def test_replacing_a_missing_document_raises_precondition_failed(
        self, store: DocumentStore
    ) -> None:
        elsewhere = store.create(ORDERS, "o1", order("o1"))
        with pytest.raises(PreconditionFailed):
            store.replace(ORDERS, "o2", order("o2"), elsewhere["_etag"])
        assert store.read(ORDERS, "o2", "o2") is None

    def test_the_same_id_in_two_partitions_is_two_documents(self, store: DocumentStore) -> None:
        red = store.create(INVENTORY, "sku-red", stock("sku-red", "reservation:o1", qty=1))
        blue = store.create(INVENTORY, "sku-blue", stock("sku-blue", "reservation:o1", qty=2))
        assert store.read(INVENTORY, "sku-red", "reservation:o1") == red
        assert store.read(INVENTORY, "sku-blue", "reservation:o1") == blue

    def test_a_write_through_one_handle_is_visible_through_another(
        self, store: DocumentStore, peer: DocumentStore
    ) -> None:
        created = store.create(ORDERS, "o1", order("o1", status="new"))
        assert peer.read(ORDERS, "o1", "o1") == created
        with pytest.raises(AlreadyExists):
            peer.create(ORDERS, "o1", order("o1"))

    def test_a_partition_query_sees_only_that_partition(self, store: DocumentStore) -> None:
        mine = store.create(INVENTORY, "sku-1", stock("sku-1", "r:a", kind="reservation"))
        store.create(INVENTORY, "sku-1", stock("sku-1", "r:b", kind="release"))
        store.create(INVENTORY, "sku-2", stock("sku-2", "r:a", kind="reservation"))
        assert store.query(INVENTORY, {"kind": "reservation"}, partition="sku-1") == [mine]

    def test_a_cross_partition_query_finds_matches_in_every_partition(
        self, store: DocumentStore
    ) -> None:
        stuck = [store.create(ORDERS, f"o{i}", order(f"o{i}", status="running")) for i in (1, 2)]
        store.create(ORDERS, "o3", order("o3", status="done"))
        found = store.query(ORDERS, {"status": "running"})
        assert sorted(found, key=lambda d: d["id"]) == stuck

    def test_a_query_without_filters_lists_the_partition(self, store: DocumentStore) -> None:
        docs = [store.create(INVENTORY, "sku-1", stock("sku-1", f"r:{i}")) for i in (1, 2)]
        store.create(INVENTORY, "sku-2", stock("sku-2", "r:1"))
        assert sorted(store.query(INVENTORY, {}, partition="sku-1"), key=lambda d: d["id"]) == docs

    def test_a_query_matches_every_field_with_its_json_type(self, store: DocumentStore) -> None:
        wanted = store.create(ORDERS, "o1", order("o1", paid=True, items=2, code="7"))
        store.create(ORDERS, "o2", order("o2", paid=1, items=2, code=7))
        store.create(ORDERS, "o3", order("o3", paid=True, items=3, code="7"))
        assert store.query(ORDERS, {"paid": True, "items": 2, "code": "7"}) == [wanted]
        assert store.query(ORDERS, {"paid": False}) == []

    def test_unicode_and_nested_json_round_trip(self, store: DocumentStore) -> None:
        doc = order(
            "ö-1 ☃",
            customer={"name": "Zoë 山田", "tags": ["vip", None, 3, 2.5, True]},
            lines=[{"sku": "a", "qty": 1}, {"sku": "b", "qty": 2}],
            note="quotes ' \" and \\ backslash",
        )
        created = store.create(ORDERS, "ö-1 ☃", doc)
        assert store.read(ORDERS, "ö-1 ☃", "ö-1 ☃") == created == {**doc, "_etag": created["_etag"]}
        assert store.query(ORDERS, {"note": doc["note"]}, partition="ö-1 ☃") == [created]

    def test_a_document_outside_its_partition_is_rejected(self, store: DocumentStore) -> None:
        with pytest.raises(ValueError, match="order_id"):
            store.create(ORDERS, "o1", order("o2"))
        assert store.read(ORDERS, "o1", "o2") is None

    def test_unknown_containers_and_unsafe_query_fields_are_rejected(
        self, store: DocumentStore
    ) -> None:
        with pytest.raises(ValueError, match="unknown container"):
            store.read("nope", "p", "id")
        with pytest.raises(ValueError, match="plain field name"):
            store.query(ORDERS, {"status = 1 OR 1": "x"})
        with pytest.raises(TypeError, match="scalar"):
            store.query(ORDERS, {"lines": ["a"]})

    def test_concurrent_increments_with_re_reads_all_land(
        self, store: DocumentStore, peer: DocumentStore
    ) -> None:
        store.create(ORDERS, "o1", order("o1", count=0))
        start = threading.Barrier(self.race_threads)

        def worker(index: int) -> None:
            handle = peer if index % 2 else store
            start.wait()
            for _ in range(self.race_increments):
                increment(handle, "o1")

        with ThreadPoolExecutor(self.race_threads) as pool:
            list(pool.map(worker, range(self.race_threads)))
        final = store.read(ORDERS, "o1", "o1")
        assert final is not None
        assert final["count"] == self.race_threads * self.race_increments

    def test_a_batch_runs_every_operation_in_one_partition(self, store: DocumentStore) -> None:
        shelf = store.create(INVENTORY, "s", stock("s", "shelf", available=3))
        store.create(INVENTORY, "s", stock("s", "old"))
        results = store.batch(
            INVENTORY,
            "s",
            [
                Create(stock("s", "hold", quantity=2)),
                Patch("shelf", incr={"available": -2}, where=(Condition("available", ">=", 2),)),
                Read("hold"),
                Replace({**shelf, "label": "x", "available": 1}, etag=None),
                Upsert(stock("s", "new", n=1)),
                Delete("old"),
            ],
        )
        assert [r["id"] if r else None for r in results] == [
            "hold",
            "shelf",
            "hold",
            "shelf",
            "new",
            None,
        ]
        assert results[1] is not None and results[1]["available"] == 1
        assert sorted(d["id"] for d in store.query(INVENTORY, {}, partition="s")) == [
            "hold",
            "new",
            "shelf",
        ]
        assert store.read(INVENTORY, "s", "shelf") == results[3]

    def test_a_failed_batch_leaves_no_trace_of_its_other_operations(
        self, store: DocumentStore
    ) -> None:
        shelf = store.create(INVENTORY, "s", stock("s", "shelf", available=3))
        with pytest.raises(BatchFailed) as failed:
            store.batch(
                INVENTORY,
                "s",
                [
                    Create(stock("s", "hold")),
                    Patch("shelf", incr={"available": -1}),
                    Create(stock("s", "shelf")),
                ],
            )
        assert (failed.value.index, type(failed.value.cause)) == (2, AlreadyExists)
        assert store.query(INVENTORY, {}, partition="s") == [shelf]

    def test_a_batch_refused_by_a_predicate_or_a_missing_document_says_which_operation(
        self, store: DocumentStore
    ) -> None:
        shelf = store.create(INVENTORY, "s", stock("s", "shelf", available=1))
        take_two = Patch("shelf", incr={"available": -2}, where=(Condition("available", ">=", 2),))
        with pytest.raises(BatchFailed) as refused:
            store.batch(INVENTORY, "s", [Create(stock("s", "hold")), take_two])
        assert (refused.value.index, type(refused.value.cause)) == (1, PreconditionFailed)
        with pytest.raises(BatchFailed) as missing:
            store.batch(INVENTORY, "s", [Patch("nothing", incr={"n": 1})])
        assert (missing.value.index, type(missing.value.cause)) == (0, NotFound)
        assert store.query(INVENTORY, {}, partition="s") == [shelf]

    def test_a_conditional_patch_refused_by_its_predicate_changes_nothing(
        self, store: DocumentStore
    ) -> None:
        hold = store.create(INVENTORY, "s", stock("s", "hold", state="Reserved", quantity=2))
        commit = Patch(
            "hold",
            assign={"state": "committed"},
            where=(Condition("state", "=", "Reserved"), Condition("quantity", "=", 2)),
        )
        committed = store.patch(INVENTORY, "s", commit)
        assert {**committed, "_etag": None} == {**hold, "state": "committed", "_etag": None}
        assert committed["_etag"] != hold["_etag"]
        with pytest.raises(PreconditionFailed):
            store.patch(INVENTORY, "s", commit)
        with pytest.raises(PreconditionFailed):  # another JSON type never compares equal
            store.patch(
                INVENTORY,
                "s",
                Patch("hold", incr={"n": 1}, where=(Condition("quantity", "=", "2"),)),
            )
        with pytest.raises(NotFound):
            store.patch(INVENTORY, "s", Patch("absent", incr={"n": 1}))
        assert store.read(INVENTORY, "s", "hold") == committed

    @pytest.mark.parametrize(
        "patch",
        [
            Patch("d", incr={"a b": 1}),
            Patch("d", incr={"sku": 1}),
            Patch("d", assign={"id": "other"}),
            Patch("d", assign={"_etag": "x"}),
            Patch("d", incr={"n": True}),  # type: ignore[dict-item]
            Patch("d", incr={}),
            Patch("d", incr={f"f{i}": 1 for i in range(11)}),
            Patch("d", incr={"n": 1}, where=(Condition("n", "LIKE", 1),)),  # type: ignore[arg-type]
            Patch("d", incr={"n": 1}, where=(Condition("c.n", ">=", 1),)),
            Patch("d", incr={"n": 1}, where=(Condition("s", "=", "x' OR '1'='1"),)),
            Patch("d", incr={"n": 1}, where=(Condition("s", "=", True),)),
        ],
    )
    def test_patches_outside_the_predicate_language_are_refused_before_any_write(
        self, store: DocumentStore, patch: Patch
    ) -> None:
        doc = store.create(INVENTORY, "s", stock("s", "d", n=0, s="x"))
        with pytest.raises((ValueError, TypeError)):
            store.patch(INVENTORY, "s", patch)
        with pytest.raises((ValueError, TypeError)):
            store.batch(INVENTORY, "s", [Create(stock("s", "e")), patch])
        assert store.query(INVENTORY, {}, partition="s") == [doc]

    def test_a_batch_takes_at_most_100_operations(self, store: DocumentStore) -> None:
        with pytest.raises(ValueError, match="100"):
            store.batch(INVENTORY, "s", [Create(stock("s", f"d{i}")) for i in range(101)])
        with pytest.raises(ValueError):
            store.batch(INVENTORY, "s", [])
        assert store.query(INVENTORY, {}, partition="s") == []

    def test_conditional_patches_from_many_threads_take_only_what_is_there(
        self, store: DocumentStore, peer: DocumentStore
    ) -> None:
        store.create(INVENTORY, "s", stock("s", "shelf", available=self.race_threads // 2))
        take = Patch("shelf", incr={"available": -1}, where=(Condition("available", ">=", 1),))
        start = threading.Barrier(self.race_threads)

        def taker(index: int) -> bool:
            handle = peer if index % 2 else store
            start.wait()
            try:
                handle.batch(INVENTORY, "s", [Create(stock("s", f"hold-{index}")), take])
            except BatchFailed:
                return False
            return True

        with ThreadPoolExecutor(self.race_threads) as pool:
            taken = sum(pool.map(taker, range(self.race_threads)))
        shelf = store.read(INVENTORY, "s", "shelf")
        assert taken == self.race_threads // 2
        assert shelf is not None and shelf["available"] == 0
        assert len(store.query(INVENTORY, {}, partition="s")) == 1 + taken

    # The saga rules each adapter must uphold, through the real services.

    def test_reserving_the_last_units_from_many_threads_never_oversells(
        self, store: DocumentStore, peer: DocumentStore
    ) -> None:
        ensure_item(store, "last", stock=self.race_threads // 2, price_minor=1)
        start = threading.Barrier(self.race_threads)

        def buyer(index: int) -> bool:
            handle = peer if index % 2 else store
            start.wait()
            line = [{"sku": "last", "quantity": 1}]
            return bool(reserve_inventory(handle, f"buyer-{index}", line)["ok"])

        with ThreadPoolExecutor(self.race_threads) as pool:
            sold = sum(pool.map(buyer, range(self.race_threads)))
        item = store.read(INVENTORY, "last", "last")
        assert item is not None
        assert sold == self.race_threads // 2
        assert (item["available"], item["reserved"]) == (0, sold)

    def test_a_compensation_before_its_forward_step_refuses_the_late_step(
        self, store: DocumentStore
    ) -> None:
        ensure_item(store, "late", stock=5, price_minor=1)
        release_inventory(store, "o-late", [{"sku": "late", "quantity": 2}])
        refund_payment(store, "o-late")
        late_reserve = reserve_inventory(store, "o-late", [{"sku": "late", "quantity": 2}])
        late_charge = charge_payment(store, "o-late", "c", 100, limit_minor=1_000)
        assert (late_reserve["ok"], late_reserve["code"]) == (False, "compensated")
        assert (late_charge["ok"], late_charge["code"]) == (False, "compensated")
        item = store.read(INVENTORY, "late", "late")
        assert item is not None and (item["available"], item["reserved"]) == (5, 0)


# A store whose ledger has a default TTL of ``TTL`` seconds, and how to let time pass for it.
Expiring = tuple[DocumentStore, Callable[[float], None]]
TTL = 2


class SettableClock:
    """Seconds that pass only when told, for the stores that keep time themselves."""

    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now

    def wait(self, seconds: float) -> None:
        self.now += seconds


def processed(doc_id: str, **fields: object) -> Document:
    return {"id": doc_id, "order_id": "o1", **fields}


class ExpiryContract:
    """Time to live as Cosmos applies it; mix in beside ``StoreContract`` with an ``expiring``
    fixture (the ledger container created with a default TTL of ``TTL`` seconds)."""

    @pytest.fixture
    def expiring(self) -> Expiring:
        raise NotImplementedError("the subclass provides a store with a TTL on the ledger")

    def test_a_document_past_its_ttl_is_gone_from_reads_and_queries(
        self, expiring: Expiring
    ) -> None:
        store, wait = expiring
        store.create(LEDGER, "o1", processed("default"))
        store.create(LEDGER, "o1", processed("never", ttl=-1))
        store.create(LEDGER, "o1", processed("later", ttl=60))
        store.create(ORDERS, "o1", order("o1", ttl=1))  # no TTL on the container: ignored
        wait(TTL + 1.5)
        assert store.read(LEDGER, "o1", "default") is None
        assert {d["id"] for d in store.query(LEDGER, {}, partition="o1")} == {"never", "later"}
        assert {d["id"] for d in store.query(LEDGER, {"order_id": "o1"})} == {"never", "later"}
        assert store.read(ORDERS, "o1", "o1") is not None

    def test_an_expired_id_can_be_created_again_and_a_write_restarts_the_ttl(
        self, expiring: Expiring
    ) -> None:
        store, wait = expiring
        store.create(LEDGER, "o1", processed("gone"))
        kept = store.create(LEDGER, "o1", processed("kept", ttl=2 * TTL))
        wait(TTL)  # Cosmos keeps _ts in whole seconds, hence the margins
        store.replace(LEDGER, "o1", {**kept, "n": 1}, kept["_etag"])  # 2 * TTL from now again
        wait(TTL + 0.3)
        assert store.read(LEDGER, "o1", "gone") is None
        assert store.read(LEDGER, "o1", "kept") is not None
        with pytest.raises(PreconditionFailed):  # a missing document, as on Cosmos
            store.replace(LEDGER, "o1", processed("gone"), "any")
        assert store.create(LEDGER, "o1", processed("gone", again=True))["again"] is True
