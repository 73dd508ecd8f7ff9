"""What one benchmark run measures, as a list of jobs, each run in a child process of its own.

Throughput jobs are split into rounds, and within a round the three engines run one after the
other for each (saga, concurrency): figures compared with each other are measured side by side,
minutes apart at most, which is what a shared, noisy machine allows."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tools.bench.versions import Version

ENGINES = ("devhost", "durabletask", "floor")
SAGAS = ("sequential", "parallel")
CONCURRENCY = (1, 8)
SCALING_ENGINES = ("devhost", "durabletask")
PARTS = ("throughput", "roundtrips", "scaling", "hot-sku")


@dataclass(frozen=True)
class Options:
    n: int = 1000  # sagas per (engine, saga, concurrency), over all rounds
    rounds: int = 3
    widths: tuple[int, ...] = (10, 100, 1000)
    scaling_repeats: int = 3
    roundtrip_sagas: int = 5  # per (store, saga, path)
    cosmos: bool = True
    parts: tuple[str, ...] = PARTS
    hot_sqlite: int = 20_000  # hot-SKU orders on SQLite (issue 11)
    hot_cosmos: int = 5_000  # and on the Cosmos test server
    hot_clients: int = 8
    # No saga of a "before" hot-SKU run starts after this long (None: no limit): the old version
    # slows down as its hot document grows, and a session has to fit in the time there is.
    before_budget_s: float | None = None

    @classmethod
    def quick(cls, n: int = 40) -> Options:
        return cls(
            n=n, rounds=1, scaling_repeats=1, roundtrip_sagas=1, hot_sqlite=200, hot_cosmos=100
        )

    @property
    def per_round(self) -> int:
        return math.ceil(self.n / self.rounds)


@dataclass(frozen=True)
class Job:
    """One child process: ``target(progress=..., workdir=..., **kwargs)``; ``key`` files its
    result; ``units`` is how many progress steps it reports."""

    key: tuple[Any, ...]
    label: str
    target: str
    units: int
    kwargs: dict[str, Any] = field(default_factory=dict)


def jobs(options: Options, versions: list[Version]) -> list[Job]:
    """Every job of the run's parts, in the order they run; the hot-SKU jobs once per version."""
    parts: dict[str, Callable[[Options], list[Job]]] = {
        "throughput": _throughput,
        "roundtrips": _roundtrips,
        "scaling": _scaling,
        "hot-sku": lambda options: hot(options, versions),
    }
    return [job for part in PARTS if part in options.parts for job in parts[part](options)]


def hot(options: Options, versions: list[Version]) -> list[Job]:
    """The hot-SKU jobs: per store, each version right after the other (side by side)."""
    sizes = {"sqlite": options.hot_sqlite, "cosmos": options.hot_cosmos if options.cosmos else 0}
    return [
        Job(
            ("hot_sku", store, version.label),
            f"hot SKU {store} {version.label} ({version.revision}): {orders} orders",
            "tools.bench.hot_sku:hot_sku",
            orders,
            {
                "store": store,
                "orders": orders,
                "clients": options.hot_clients,
                "tree": str(version.tree),
                "version": version.label,
                "revision": version.revision,
                "budget_s": options.before_budget_s if version.label == "before" else None,
            },
        )
        for store, orders in sizes.items()
        if orders > 0
        for version in versions
    ]


def _throughput(options: Options) -> list[Job]:
    runs = []
    for round_number in range(options.rounds):
        for kind in SAGAS:
            for concurrency in CONCURRENCY:
                for engine in ENGINES:
                    runs.append(
                        Job(
                            ("throughput", engine, kind, concurrency, round_number),
                            f"{engine} {kind} c={concurrency} round {round_number + 1}",
                            "tools.bench.scenarios:throughput",
                            options.per_round,
                            {
                                "engine": engine,
                                "kind": kind,
                                "n": options.per_round,
                                "concurrency": concurrency,
                            },
                        )
                    )
    return runs


def _roundtrips(options: Options) -> list[Job]:
    stores = ("sqlite", "cosmos") if options.cosmos else ("sqlite",)
    return [
        Job(
            ("roundtrips", store),
            f"store round trips on {store}",
            "tools.bench.roundtrips:measure",
            8,  # 2 sagas x 4 paths
            {"store": store, "sagas": options.roundtrip_sagas},
        )
        for store in stores
    ]


def _scaling(options: Options) -> list[Job]:
    return [
        Job(
            ("scaling", engine),
            f"{engine} fan-out {'/'.join(map(str, options.widths))} items",
            "tools.bench.scenarios:scaling",
            len(options.widths) * options.scaling_repeats,
            {"engine": engine, "widths": list(options.widths), "repeats": options.scaling_repeats},
        )
        for engine in SCALING_ENGINES
    ]
