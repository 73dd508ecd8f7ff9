"""The choreography's event flow and the order saga's definition agree: the same forward steps in
the same order, the same compensations newest first, each step at the same service. The one
difference, completing the order in one step, is explained in docs/ARCHITECTURE.md (glossary)."""

from __future__ import annotations

from activities.order_sagas import SEQUENTIAL
from saga.choreography import consumers, state

# The choreography's completion is one step, in the orchestrated sagas two (stock, then order).
COMPLETE_ORDER = ("commit_inventory", "confirm_order")


def choreography_forward() -> list[str]:
    """create_order (the starter), then each step the read model waits for, in order."""
    after = {done: waiting for done, waiting in state.FORWARD.values()}
    steps, step = ["create_order"], "reserve_inventory"
    while step is not None:
        steps.append(step)
        step = after[step]
    return steps


def definition_forward() -> list[str]:
    names = [step.name for step in SEQUENTIAL.steps()]
    first = names.index(COMPLETE_ORDER[0])
    assert names[first : first + 2] == list(COMPLETE_ORDER)
    return [*names[:first], "complete_order", *names[first + 2 :]]


def test_the_forward_steps_are_the_definitions_in_the_same_order() -> None:
    assert choreography_forward() == definition_forward()


def test_the_compensations_are_the_definitions_newest_first() -> None:
    declared = [s.compensation for s in SEQUENTIAL.steps() if s.compensation is not None]
    undone = [step for step, _ in state.UNDONE.values()]
    assert undone == declared[::-1]


def test_every_choreography_step_is_at_the_service_the_definition_names() -> None:
    declared = {s.name: s.service for s in SEQUENTIAL.steps()}
    declared |= {s.compensation: s.service for s in SEQUENTIAL.steps() if s.compensation}
    declared["complete_order"] = declared[COMPLETE_ORDER[1]]
    reacting = {
        reaction.step: consumer.service
        for consumer in consumers.ALL
        for reaction in consumer.reactions.values()
        if consumer.service and reaction.step != "abort_saga"
    }
    assert reacting == {step: declared[step] for step in reacting}
    assert set(reacting) == set(declared) - {"create_order", *COMPLETE_ORDER}
