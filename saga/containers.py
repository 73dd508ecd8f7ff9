"""The containers (one per aggregate) and the document field each is partitioned on.

Cosmos creates each container with ``/<field>`` as its partition key path; SQLite keeps the same
names as table rows. Every document stored in a container carries that field, equal to the
``partition`` argument the store is called with.
"""

ORDERS = "orders"
INVENTORY = "inventory"
PAYMENTS = "payments"
SHIPMENTS = "shipments"
SAGAS = "sagas"
# The processed-event ledger, per order (it was `ledger`, per consumer: a container's partition
# key cannot change, so the new key got a new name).
LEDGER = "processed"
DEADLETTERS = "deadletters"
# Failure injection of dev and test runs (SAGA_FAULT_INJECTION): one document per saga.
FAULTS = "faults"

PARTITION_FIELDS: dict[str, str] = {
    ORDERS: "order_id",
    INVENTORY: "sku",
    PAYMENTS: "order_id",
    SHIPMENTS: "order_id",
    SAGAS: "order_id",
    LEDGER: "order_id",
    DEADLETTERS: "order_id",
    FAULTS: "order_id",
}
