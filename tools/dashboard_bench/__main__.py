"""``python -m tools.dashboard_bench [--instances 10000]``: the dashboard's first page over a state
file of many instances, next to a small one, in one run. Chromium's time from navigation to the
first page of rows drawn, and the server's time for the query page and the summary it reads."""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

from devhost.testing.chromium import chromium
from devhost.testing.process import DevHostProcess
from tools.dashboard_bench.seed import seed_state

PAGE_SIZE = 50
ROWS_DRAWN = f"document.querySelectorAll('[data-testid=instance-row]').length === {PAGE_SIZE}"
# Navigation start to the end of the first render, as the page itself timed it.
RENDERED_AT = "performance.getEntriesByName('dashboard-rendered')[0].startTime"


def median_ms(run: Callable[[], object], repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def fetch(url: str, headers: dict[str, str] | None = None) -> bytes:
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers or {})) as reply:
        return bytes(reply.read())


def last_page_token(base: str) -> str:
    """The continuation token of the page before the last, walked page by page."""
    url = f"{base}/runtime/webhooks/durabletask/instances?top={PAGE_SIZE}&newestFirst=true"
    token, previous = "", ""
    while True:
        headers = {"x-ms-continuation-token": token} if token else {}
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers)) as reply:
            reply.read()
            following = reply.headers.get("x-ms-continuation-token")
        if not following:
            return previous or token
        previous, token = token, following


def measure(instances: int, repeat: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="dashboard-bench-") as workdir:
        host = DevHostProcess(Path(workdir))  # the app itself, over finished instances
        seed_state(host.state_path, instances)
        host.start()
        try:
            base = host.base_url
            query = (
                f"{base}/runtime/webhooks/durabletask/instances?top={PAGE_SIZE}&newestFirst=true"
            )
            deep = {"x-ms-continuation-token": last_page_token(base)}
            figures = {
                "query_first_page_ms": median_ms(lambda: fetch(query), repeat * 3),
                "query_last_page_ms": median_ms(lambda: fetch(query, deep), repeat * 3),
                "summary_ms": median_ms(
                    lambda: fetch(f"{base}/devhost/instances/summary"), repeat * 3
                ),
            }
            in_page: list[float] = []
            with chromium() as browser:

                def first_page() -> None:
                    page = browser.new_page()
                    page.goto(f"{base}/dashboard/")
                    page.wait_for_function(ROWS_DRAWN)
                    in_page.append(page.evaluate(RENDERED_AT))
                    page.close()

                first_page()  # warm the browser's own start-up out of the figure
                in_page.clear()
                figures["first_page_seen_by_driver_ms"] = median_ms(first_page, repeat)
                figures["first_page_rendered_ms"] = statistics.median(in_page)
            return figures
        finally:
            host.stop()


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m tools.dashboard_bench")
    parser.add_argument("--instances", type=int, default=10_000)
    parser.add_argument("--small", type=int, default=100, help="the side-by-side baseline")
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    big = measure(args.instances, args.repeat)
    small = measure(args.small, args.repeat)
    print(f"dashboard, medians of {args.repeat} (browser) / {args.repeat * 3} (HTTP) runs:")
    print(f"{'':28}{args.small:>10,}{args.instances:>10,}   ratio")
    for name in big:
        ratio = big[name] / small[name] if small[name] else float("nan")
        print(f"{name:28}{small[name]:>9.1f} {big[name]:>9.1f}   {ratio:.2f}x")
    verdict = "under" if big["first_page_rendered_ms"] < 1000 else "OVER"
    print(
        f"first page with {args.instances:,} instances: {big['first_page_rendered_ms']:.0f} ms"
        f" ({verdict} the 1 s target)"
    )


if __name__ == "__main__":
    main()
