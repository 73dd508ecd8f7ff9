"""A saga declared once: its name, its business key, its stages of steps (each step a forward
activity and the compensation that undoes it, both named explicitly), whether compensations run
in parallel, and who is told when one cannot be undone. Generic: nothing here knows orders."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from orchestrators.branches import Branch

# What an activity runs for a step: (store, the step's JSON input) -> JSON result.
Handler = Callable[[Any, dict[str, Any]], dict[str, Any]]


@dataclass(frozen=True)
class Step:
    """One business step. ``name`` is its forward activity and its name in outcomes and status;
    ``compensation`` the activity that undoes it (None: nothing to undo); ``service`` the service
    it belongs to (fault injection names it); ``fields`` the saga input fields it takes besides
    the business key. With ``for_each`` (a list field) it runs once per element, in parallel,
    each named ``name:<element[label]>``. ``run``/``undo`` are what its activities do."""

    name: str
    run: Handler
    compensation: str | None = None
    undo: Handler | None = None
    service: str = ""
    fields: tuple[str, ...] = ()
    for_each: str | None = None
    label: str = ""

    def __post_init__(self) -> None:
        if (self.compensation is None) != (self.undo is None):
            raise ValueError(f"step {self.name!r}: a compensation needs both a name and a handler")


Stage = tuple[Step, ...]


@dataclass(frozen=True)
class SagaDefinition:
    """``name`` is the orchestrator's durable name; ``business_key`` the input field that names
    one saga (every activity input carries it); ``alert`` the activity told about compensations
    that kept failing (None: nobody)."""

    name: str
    business_key: str
    stages: tuple[Stage, ...]
    compensate_in_parallel: bool = False
    alert: str | None = None

    def steps(self) -> Iterator[Step]:
        for stage in self.stages:
            yield from stage

    def activities(self) -> dict[str, Handler]:
        """Every activity this saga calls (forward steps and compensations) and its handler."""
        found: dict[str, Handler] = {}
        for step in self.steps():
            found[step.name] = step.run
            if step.compensation is not None and step.undo is not None:
                found[step.compensation] = step.undo
        return found

    def branches(self, stage: Stage, data: dict[str, Any]) -> list[Branch]:
        """The calls a stage makes for the saga's ``data`` (its input and the facts so far)."""
        return [branch for step in stage for branch in self._branches(step, data)]

    def _branches(self, step: Step, data: dict[str, Any]) -> Iterator[Branch]:
        fields = {key: data[key] for key in (self.business_key, *step.fields)}
        if step.for_each is None:
            yield _branch(step, "", fields)
            return
        for element in data[step.for_each]:
            yield _branch(step, f":{element[step.label]}", {**fields, step.for_each: [element]})


def _branch(step: Step, suffix: str, fields: dict[str, Any]) -> Branch:
    # The compensation takes the forward step's input: it undoes exactly what that call did.
    undo = None
    if step.compensation is not None:
        undo = Branch(f"{step.compensation}{suffix}", step.compensation, fields)
    return Branch(f"{step.name}{suffix}", step.name, fields, undo)
