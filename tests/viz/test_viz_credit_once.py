"""Each MSEL expected action is credited once: earliest satisfying action, the others listed.

Built from hand-made log facts (no engine run), so each rule is checked on its own:
two commands, a command and auto-dispatch, one action against two injects of one kind.
"""

from __future__ import annotations

from types import SimpleNamespace

from viz.msel import Dispatch, DrillFacts, TakenCommand, expected_rows


def _inj(iid: str, action: str, within: float = 30.0):
    ea = SimpleNamespace(action=action, within_min=within)
    return SimpleNamespace(id=iid, kind="note", description=iid, expected_actions=[ea],
                           capability="")  # fmt: skip


def _warn(cid: str, t: float, answers: str = "") -> TakenCommand:
    return TakenCommand(t, cid, "issue_warning", {}, "public_info", answers, ("warn_public",))


def test_two_commands_credit_one_row_once_with_the_earliest_as_evidence():
    facts = DrillFacts(fired={"N1": 10.0}, commands=[_warn("C1", 20), _warn("C2", 15)])
    [row] = expected_rows([_inj("N1", "warn_public")], facts, 100, "chemical")
    assert (row.done_by, row.done_t, row.status) == ("C2", 15, "on time")
    assert row.also == ("C1 (issue_warning) by public_info at T+00:20",)


def test_one_warning_does_not_answer_two_warning_injects():
    """N1 and N2 both expect a warning; a single warning after both is credited to N1 only."""
    msel = [_inj("N1", "warn_public", 15), _inj("N2", "warn_public", 15)]
    facts = DrillFacts(fired={"N1": 10.0, "N2": 60.0}, commands=[_warn("C1", 65)])
    n1, n2 = expected_rows(msel, facts, 200, "chemical")
    assert (n1.done_by, n1.status) == ("C1", "late")
    assert (n2.done_by, n2.status) == ("", "overdue")
    assert n2.also == ("C1 (issue_warning) by public_info at T+01:05",)  # shown, not counted
    # a second warning then answers N2
    facts.commands.append(_warn("C2", 70))
    n1, n2 = expected_rows(msel, facts, 200, "chemical")
    assert (n1.done_by, n2.done_by, n2.status) == ("C1", "C2", "on time")


def test_a_tag_sends_the_action_to_its_inject_and_frees_the_other():
    msel = [_inj("N1", "warn_public", 15), _inj("N2", "warn_public", 15)]
    facts = DrillFacts(fired={"N1": 10.0, "N2": 60.0}, commands=[_warn("C1", 65, answers="N2")])
    n1, n2 = expected_rows(msel, facts, 200, "chemical")
    assert (n1.done_by, n1.status, n2.done_by, n2.status) == ("", "overdue", "C1", "on time")


def test_auto_dispatch_and_a_trainee_dispatch_credit_the_incident_once():
    """Auto-dispatch first (evidence) and the trainee's own dispatch later (listed only)."""
    facts = DrillFacts(
        fired={"X1": 100.0},
        commands=[
            TakenCommand(
                110,
                "C1",
                "dispatch_unit",
                {"unit_id": "b", "incident_id": "I1"},
                "operations",
                "",
                ("dispatch_rescue",),
            )  # fmt: skip
        ],
        dispatches=[Dispatch(101, "a", "I1", True), Dispatch(110, "b", "I1", False)],
        incidents={"I1": {"t": 100, "needs": "rescue", "source": "X1", "t_resolved": 300}},
    )
    [row] = expected_rows([_inj("X1", "dispatch_rescue")], facts, 400, "typhoon")
    assert (row.done_by, row.done_t, row.status) == ("auto-dispatch", 101, "on time")
    assert row.how == "auto-dispatch: unit a to I1"
    assert row.also == ("C1 (dispatch_unit) by operations at T+01:50",)
    # the trainee's dispatch at the same minute as auto-dispatch is the evidence
    facts.commands[0] = TakenCommand(101, "C1", "dispatch_unit", {"incident_id": "I1"},
                                     "operations", "", ("dispatch_rescue",))  # fmt: skip
    [row] = expected_rows([_inj("X1", "dispatch_rescue")], facts, 400, "typhoon")
    assert row.done_by == "C1" and len(row.also) == 1 and row.also[0].startswith("auto-dispatch")


def test_one_order_may_meet_expected_actions_of_different_kinds():
    """A shelter order warns the public and is a protective order: both rows, one per kind."""
    c = TakenCommand(31, "C1", "order_shelter_in_place", {}, "chemical_officer", "",
                     ("warn_public", "protective_order"))  # fmt: skip
    msel = [_inj("N2", "warn_public", 15), _inj("N3", "protective_order", 15)]
    facts = DrillFacts(fired={"N2": 15.0, "N3": 30.0}, commands=[c])
    n2, n3 = expected_rows(msel, facts, 100, "chemical")
    assert (n2.done_by, n2.status, n3.done_by, n3.status) == ("C1", "late", "C1", "on time")
