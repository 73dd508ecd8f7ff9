"""The host's fast paths for the Durable JSON codec give exactly what the SDK's functions give:
plain JSON of every shape, custom objects (envelopes) both ways, and text the fast path leaves to
the SDK."""

from __future__ import annotations

import json
import sys
from typing import Any

from azure.functions import _durable_functions as codec
from hypothesis import given
from hypothesis import strategies as st

from devhost.durable import sdk_codec

fast_dumps, fast_loads = sdk_codec.fast_codec(codec)
sdk_dumps, sdk_loads = fast_dumps.sdk_function, fast_loads.sdk_function
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner),
    max_leaves=20,
)


class Point:
    def __init__(self, x: int) -> None:
        self.x = x

    def to_json(self) -> dict[str, int]:
        return {"x": self.x}

    @classmethod
    def from_json(cls, data: dict[str, int]) -> Point:
        return cls(data["x"])

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Point) and other.x == self.x


@given(JSON)
def test_plain_json_is_encoded_and_decoded_as_the_sdk_does(value: Any) -> None:
    text = fast_dumps(value)

    assert text == sdk_dumps(value)
    assert fast_loads(text) == sdk_loads(text)


def test_a_custom_object_goes_through_the_sdks_envelope_both_ways() -> None:
    value = {"where": Point(3), "n": 1}
    text = fast_dumps(value)

    assert text == sdk_dumps(value)
    assert json.loads(text)["where"]["__class__"] == "Point"
    assert fast_loads(text) == sdk_loads(text) == value


def test_an_escaped_key_that_spells_an_envelope_is_left_to_the_sdk() -> None:
    text = fast_dumps({"where": Point(4)}).replace("__class__", "\\u005f_class__")

    assert fast_loads(text) == sdk_loads(text) == {"where": Point(4)}


def test_after_install_the_sdks_modules_use_the_fast_paths() -> None:
    sdk_codec.install()
    from azure.durable_functions.models.actions import CallActivityAction as action_class
    from azure.durable_functions.models.utils import df_serialization

    action_module = sys.modules[action_class.__module__]
    assert hasattr(action_module.df_dumps, "sdk_function")
    assert hasattr(df_serialization.df_loads, "sdk_function")
    assert hasattr(codec.df_loads, "sdk_function")
