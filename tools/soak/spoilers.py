"""Ways of spoiling a valid request body, each a hypothesis strategy of JSON text that the
starters must refuse (tools.soak.hostile puts them together)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from hypothesis import strategies as st

ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}")
MAX_BODY = 64 * 1024
FIELDS = {"order_id", "batch_id", "amount", "items", "customer_id"}
S = st.SearchStrategy
scalars = (
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8)
)
objects = st.dictionaries(st.text(max_size=4), scalars, max_size=3)


def with_field(body: dict[str, Any], key: str, value_text: str) -> str:
    """``body`` as JSON text with ``key`` set to the raw JSON ``value_text``."""
    rest = json.dumps({k: v for k, v in body.items() if k != key})
    return f'{rest[:-1]}{", " if len(rest) > 2 else ""}"{key}": {value_text}}}'


def id_field(route: str) -> str:
    return "batch_id" if route.endswith("parallel") else "order_id"


def wrong_type(route: str, body: dict[str, Any]) -> S[str]:
    never = {
        id_field(route): st.integers() | st.booleans() | st.none() | st.lists(scalars, max_size=2),
        "customer_id": st.integers() | st.booleans() | objects,
        "amount": st.text(max_size=8)
        | st.booleans()
        | st.lists(st.integers(), max_size=2)
        | objects,
        "items": st.text(max_size=8) | st.integers() | objects | st.just([]),
    }
    if not route.endswith("parallel"):  # the parallel saga's amount is optional
        never["amount"] |= st.none()
    fields = st.sampled_from(sorted(never))
    return fields.flatmap(lambda f: never[f].map(lambda v: with_field(body, f, json.dumps(v))))


BAD_NUMBERS = ["NaN", "Infinity", "-Infinity", "1e400", "-1e400", "1e-400", "0.0", "-0", "1.001"]


def bad_amount(route: str, body: dict[str, Any]) -> S[str]:
    amounts = (
        st.integers(max_value=0).map(str)
        | st.integers(min_value=10**9 + 1).map(str)
        | st.integers(1, 10**6).map(lambda n: f"{n}.{n % 9 + 1:03d}")  # three decimals
        | st.sampled_from(BAD_NUMBERS)
    )
    return amounts.map(lambda text: with_field(body, "amount", text))


def bad_quantity(route: str, body: dict[str, Any]) -> S[str]:
    quantities = (
        st.integers(max_value=0).map(str)
        | st.integers(min_value=10_001).map(str)
        | st.sampled_from(["1.0", "2.5", "1e2", "true", '"1"', "null", *BAD_NUMBERS])
    )
    return quantities.map(lambda q: with_field(body, "items", f'[{{"sku": "a", "quantity": {q}}}]'))


def huge_list(route: str, body: dict[str, Any]) -> S[str]:
    return st.integers(101, 3_000).map(
        lambda n: with_field(body, "items", json.dumps([{"sku": "a"}] * n))
    )


CLASSIC_IDS = ["", " ", "a/b", "a?b", "a#b", "@a", "../../x", "%2F", "x' OR '1'='1", "a" * 65, "é"]


def bad_id(route: str, body: dict[str, Any]) -> S[str]:
    texts = st.text(max_size=80).filter(lambda s: not ID.fullmatch(s)) | st.sampled_from(
        CLASSIC_IDS
    )
    fields = st.sampled_from([id_field(route), "customer_id"])
    return st.tuples(fields, texts).map(lambda p: with_field(body, p[0], json.dumps(p[1])))


def deep_nesting(route: str, body: dict[str, Any]) -> S[str]:
    depth = st.integers(2, 30_000)
    lists = depth.map(lambda d: with_field(body, "items", "[" * d + "]" * d))
    dicts = depth.map(lambda d: with_field(body, "x", '{"x": ' * d + "1" + "}" * d))
    return lists | dicts


def unknown_field(route: str, body: dict[str, Any]) -> S[str]:
    names = st.sampled_from(
        ["price", "total", "status", "instanceId", "__proto__", "simulate", "_etag"]
    )
    names |= st.from_regex(r"[a-z_]{1,12}", fullmatch=True)
    unknown = names.filter(lambda n: n not in FIELDS)
    return st.tuples(unknown, scalars | objects).map(
        lambda p: with_field(body, p[0], json.dumps(p[1]))
    )


def duplicate_key(route: str, body: dict[str, Any]) -> S[str]:
    return st.tuples(st.sampled_from(sorted(body)), scalars).map(
        lambda p: json.dumps(body)[:-1] + f', "{p[0]}": {json.dumps(p[1])}}}'
    )


def oversize(route: str, body: dict[str, Any]) -> S[str]:
    # Just over the limit; about 1 in 100 over the host's own 1 MiB request limit too.
    sizes = st.integers(1, MAX_BODY).map(lambda n: 2_000_000 if n % 97 == 13 else MAX_BODY + n)
    return sizes.map(lambda n: with_field(body, "note", json.dumps("x" * n)))


def malformed(route: str, body: dict[str, Any]) -> S[str]:
    text = json.dumps(body)
    return (
        st.integers(0, len(text) - 1).map(lambda n: text[:n])
        | st.sampled_from([text + "x", text + "{}", text.replace('"', "'"), text[:-1] + ",}"])
        | st.sampled_from(["[]", '"order"', "1", "null", "true", f"[{text}]", "\udcff"])
    )


def missing_field(route: str, body: dict[str, Any]) -> S[str]:
    needed = [id_field(route), "items" if route.endswith("parallel") else "amount"]
    return st.sampled_from(needed).map(
        lambda f: json.dumps({k: v for k, v in body.items() if k != f})
    )


TEXT_SPOILERS: dict[str, Callable[[str, dict[str, Any]], S[str]]] = {
    "wrong type": wrong_type,
    "bad amount": bad_amount,
    "bad quantity": bad_quantity,
    "huge list": huge_list,
    "bad id": bad_id,
    "deep nesting": deep_nesting,
    "unknown field": unknown_field,
    "duplicate key": duplicate_key,
    "oversize body": oversize,
    "malformed JSON": malformed,
    "missing field": missing_field,
}
