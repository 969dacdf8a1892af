"""DOT generation, state classification and path mapping: no Graphviz needed here."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cspsim
from cspsim.errors import CspsimError
from cspsim.lts.events import TAU, TICK
from cspsim.lts.lts import LTS
from cspsim.render.compress import COMPRESSIONS, compress, resolve
from cspsim.render.dotwriter import quote
from cspsim.render.engine import DOT_LAYOUT_MAX_STATES, NEATO_LAYOUT_MAX_STATES, choose_layout
from cspsim.render.graph import classify, lts_dot, path_of_trace
from cspsim.trace import Step, Trace

EDGE = re.compile(r"^  s(\d+) -> s(\d+) \[(.*)\]$", re.M)
NODE = re.compile(r"^  s(\d+) \[(.*)\]$", re.M)
ATTR = re.compile(r'(\w+)="((?:[^"\\]|\\.)*)"')


def unquote(text: str) -> str:
    """Inverse of DOT quoting (only the escapes quote() produces; Graphviz reads '&amp;' as '&')."""
    return re.sub(r"\\(.)", lambda m: {"n": "\n"}.get(m.group(1), m.group(1)), text).replace("&amp;", "&")


def edges_of(dot: str) -> list[tuple[int, int, dict[str, str]]]:
    return [(int(s), int(t), {k: unquote(v) for k, v in ATTR.findall(a)}) for s, t, a in EDGE.findall(dot)]


def nodes_of(dot: str) -> dict[int, dict[str, str]]:
    return {int(s): {k: unquote(v) for k, v in ATTR.findall(a)} for s, a in NODE.findall(dot)}


def classes(attrs: dict[str, str]) -> set[str]:
    return set(attrs.get("class", "").split())


@pytest.mark.parametrize("text", ['msg."a<b"', 'q"x', "back\\slash", "a\nb", "x.1.0", "&amp;", "&lt;", "\\N", ""])
def test_quote_round_trips(text: str) -> None:
    q = quote(text)
    assert q.startswith('"') and q.endswith('"')
    inner = q[1:-1]
    assert re.fullmatch(r'(?:[^"\\\n]|\\.)*', inner), "an unescaped quote, backslash or newline"
    assert not re.search(r"&(?!amp;)", inner), "an '&' Graphviz would read as the start of an entity"
    assert unquote(inner) == text


def test_dot_of_real_model_has_every_state_and_transition(odd_model: cspsim.Model) -> None:
    lts = odd_model.lts("P")
    dot = lts_dot(lts)
    assert sorted(nodes_of(dot)) == list(range(lts.n_states))
    edges = edges_of(dot)
    assert len(edges) == lts.n_transitions
    expected = {(s, t, lts.event_labels[e]) for s in range(lts.n_states) for e, t in lts.successors(s)}
    assert {(s, t, a["label"]) for s, t, a in edges} == expected
    labels = {a["label"] for _, _, a in edges}
    assert {'msg."a<b"', 'msg."q"x"', 'msg."&amp;"', 'msg."&lt;"', 'msg."back\\slash"', "x.1.0", "τ", "✓"} <= labels
    assert f'start -> s{lts.initial} [id="start-edge"' in dot


def test_kinds_of_states_in_dot(odd_model: cspsim.Model) -> None:
    lts = odd_model.lts("P")
    dot = lts_dot(lts)
    nodes = nodes_of(dot)
    label_of = dict(enumerate(lts.state_labels))
    assert [label_of[s] for s, a in nodes.items() if "deadlock" in classes(a)] == ["STOP"]
    assert [label_of[s] for s, a in nodes.items() if "divergent" in classes(a)] == ["LOOP"]
    assert [label_of[s] for s, a in nodes.items() if "terminated" in classes(a)] == ["Ω"]
    assert "initial" in classes(nodes[lts.initial])
    for _, _, a in edges_of(dot):
        assert ("tau" in classes(a)) == (a["label"] == "τ") == (a.get("style") == "dashed")
        assert ("tick" in classes(a)) == (a["label"] == "✓")
        assert "path" not in classes(a)


def _dict_lts(n: int, edges: list[list[tuple[int, int]]], terminated: frozenset[int] = frozenset()) -> LTS:
    labels = ["τ", "✓", "a", "b"]
    return LTS.from_edges(n, edges, labels, [f"S{i}" for i in range(n)], terminated)


@st.composite
def random_lts(draw: st.DrawFn) -> LTS:
    n = draw(st.integers(1, 9))
    edges = [draw(st.lists(st.tuples(st.sampled_from([TAU, TAU, 2, 3]), st.integers(0, n - 1)), max_size=3))
             for _ in range(n)]
    terminated = frozenset(draw(st.sets(st.integers(0, n - 1), max_size=2)))
    for s in terminated:
        edges[s] = []
    return _dict_lts(n, edges, terminated)


@settings(max_examples=150, deadline=None)
@given(random_lts())
def test_classify_agrees_with_brute_force(lts: LTS) -> None:
    """Oracle: s is divergent iff s reaches itself by one or more τ steps (plain search)."""

    def tau_reach(s: int) -> set[int]:
        seen: set[int] = set()
        todo = [t for e, t in lts.successors(s) if e == TAU]
        while todo:
            u = todo.pop()
            if u not in seen:
                seen.add(u)
                todo.extend(t for e, t in lts.successors(u) if e == TAU)
        return seen

    kinds = classify(lts)
    assert kinds.divergent == {s for s in range(lts.n_states) if s in tau_reach(s)}
    assert kinds.deadlocks == {s for s in range(lts.n_states)
                               if not list(lts.successors(s)) and s not in lts.terminated}


def test_counterexample_path_is_highlighted_exactly(odd_model: cspsim.Model) -> None:
    lts = odd_model.lts("P")
    result = odd_model.check(1)  # deadlock: msg.? then τ then x.1.0 then STOP
    assert result.status == "fail" and result.counterexample is not None
    path = path_of_trace(lts, result.counterexample)
    # independent replay: follow the visible events and the recorded choices by hand
    state, walked = lts.initial, []
    for step in result.counterexample.steps:
        k = lts.offsets[state] + step.choice
        assert lts.event_labels[lts.events[k]] == step.event
        walked.append(k)
        state = lts.targets[k]
    assert path.transitions == walked and path.end == state
    assert lts.state_labels[state] == "STOP"
    dot = lts_dot(lts, path=path)
    assert {int(a["id"][1:]) for _, _, a in edges_of(dot) if "path" in classes(a)} == set(walked)
    assert [s for s, a in nodes_of(dot).items() if "path-end" in classes(a)] == [state]


def test_divergence_lasso_marks_loop_edges(odd_model: cspsim.Model) -> None:
    lts = odd_model.lts("P")
    result = odd_model.check(2)
    trace = result.counterexample
    assert result.status == "fail" and trace is not None and trace.loop_index is not None
    path = path_of_trace(lts, trace)
    dot = lts_dot(lts, path=path)
    loop = {int(a["id"][1:]) for _, _, a in edges_of(dot) if "loop" in classes(a)}
    assert loop and loop == set(path.transitions[trace.loop_index:])
    assert all(lts.events[k] == TAU for k in loop)


def test_path_without_choices_follows_labels() -> None:
    lts = cspsim.load("channel a, b\nP = a -> b -> STOP [] b -> P").lts("P")
    trace = Trace([Step("b", 0), Step("a", 0), Step("b", 0)])  # choice -1: by label
    path = path_of_trace(lts, trace)
    assert [lts.event_labels[lts.events[k]] for k in path.transitions] == ["b", "a", "b"]
    assert lts.state_labels[path.end] == "STOP"
    with pytest.raises(ValueError, match="step 2"):
        path_of_trace(lts, Trace([Step("a", 0), Step("a", 0)]))


def test_layout_by_size() -> None:
    assert choose_layout(1) == "dot"
    assert choose_layout(DOT_LAYOUT_MAX_STATES) == "dot"
    assert choose_layout(DOT_LAYOUT_MAX_STATES + 1) == "neato"
    assert choose_layout(NEATO_LAYOUT_MAX_STATES + 1) == "sfdp"
    lts = _dict_lts(2, [[(2, 1)], []])
    assert 'overlap="scale"' in lts_dot(lts, layout="sfdp")
    assert "rankdir" in lts_dot(lts, layout="dot")


def test_sbisim_compression_by_name() -> None:
    model = cspsim.load("channel a\nP = a -> Q\nQ = a -> R\nR = a -> P")  # three states, all bisimilar
    lts = model.lts("P")
    assert lts.n_states == 3
    reduced = compress(lts, "sbisim")
    assert reduced.n_states == 1 and reduced.n_transitions == 1


def test_unknown_compression_is_a_clear_error() -> None:
    with pytest.raises(CspsimError) as unknown:
        resolve("bisim")
    assert unknown.value.code == "E602" and "sbisim" in (unknown.value.expected or "")


def test_pictures_accept_every_compression_scripts_accept() -> None:
    # One registry: `cspsim graph --compress X` works for every X a script may call.
    from cspsim.semantics.builtins import COMPRESSIONS as SCRIPT_COMPRESSIONS

    assert set(COMPRESSIONS) == set(SCRIPT_COMPRESSIONS)
    model = cspsim.load("channel a, b\nP = a -> (b -> P |~| b -> STOP)")
    lts = model.lts("P")
    for name in SCRIPT_COMPRESSIONS:
        reduced = compress(lts, name)
        assert reduced.n_states <= lts.n_states, name


def test_dot_is_deterministic(odd_source: str) -> None:
    assert lts_dot(cspsim.load(odd_source).lts("P")) == lts_dot(cspsim.load(odd_source).lts("P"))


def test_tick_edges_marked() -> None:
    lts = cspsim.load("channel a\nP = a -> SKIP").lts("P")
    ticks = [a for _, _, a in edges_of(lts_dot(lts)) if a["label"] == "✓"]
    assert len(ticks) == sum(1 for e in lts.events if e == TICK) == 1
    assert "tick" in classes(ticks[0])
