"""An LTS as DOT text: marked initial state, labelled transitions, problem states, a legend.

Every element carries a stable ``id`` and ``class`` that Graphviz copies into the SVG, so the
picture can be styled and tested structurally:

* states: ``id="s<N>"``, class ``state`` plus ``initial``, ``terminated``, ``deadlock``,
  ``divergent``, ``path``, ``path-end`` as they apply;
* transitions: ``id="t<K>"`` where ``K`` is the transition's index in ``LTS.events``, class
  ``transition`` plus ``tau``, ``tick``, ``path``, ``loop``;
* the entry arrow: node ``id="start"`` and edge ``id="start-edge"``.

Deadlocked states (no transition, not terminated) are filled red, divergent states (on a τ-cycle)
orange, the terminated state Ω is a green double circle; τ edges are dashed and grey.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cspsim.lts.events import TAU, TICK
from cspsim.lts.lts import LTS
from cspsim.render.dotwriter import attrs, html_text
from cspsim.render.engine import choose_layout
from cspsim.trace import Trace

DEADLOCK_FILL = "#f4a6a6"
DIVERGENT_FILL = "#f7c873"
TERMINATED_COLOR = "#2e7d32"
TAU_COLOR = "#777777"
PATH_COLOR = "#1565c0"
INITIAL_FILL = "#e3f2fd"

# States are described inside their node (rather than by number, with the description as a
# tooltip) when the graph has at most this many states and every description is this short.
DESCRIBE_MAX_STATES = 25
DESCRIBE_MAX_CHARS = 40


@dataclass
class StateKinds:
    """What is special about the states of an LTS."""

    deadlocks: set[int] = field(default_factory=set)
    divergent: set[int] = field(default_factory=set)
    terminated: set[int] = field(default_factory=set)


def classify(lts: LTS) -> StateKinds:
    """Deadlocked (no move, not Ω), divergent (on a τ-cycle) and terminated states."""
    import networkx as nx  # here, not at module level: keeps `import cspsim.render` (and the CLI) fast
    kinds = StateKinds(terminated=set(lts.terminated))
    tau = nx.DiGraph()
    for s in range(lts.n_states):
        moves = list(lts.successors(s))
        if not moves and s not in lts.terminated:
            kinds.deadlocks.add(s)
        tau.add_edges_from((s, t) for e, t in moves if e == TAU)
    for comp in nx.strongly_connected_components(tau):
        if len(comp) > 1 or any(tau.has_edge(s, s) for s in comp):
            kinds.divergent.update(comp)
    return kinds


@dataclass
class Path:
    """Transitions of a counterexample in an LTS (indices into ``LTS.events``), in order.

    ``loop_start`` is the position in ``transitions`` where a lasso's repeating part begins.
    """

    transitions: list[int]
    end: int
    loop_start: int | None = None

    @property
    def loop(self) -> list[int]:
        return self.transitions[self.loop_start:] if self.loop_start is not None else []


def path_of_trace(lts: LTS, trace: Trace) -> Path:
    """Follow ``trace`` through ``lts`` from its initial state.

    Each step's ``choice`` is its transition's index among the state's successors, which is how
    ``Model.lts`` orders them, so the path is exact; a step without a usable choice (``-1``, e.g.
    from a simulator) follows the first transition with the step's label.
    Raises ValueError when the trace does not fit the LTS (a different process, or a compressed one).
    """
    state = lts.initial
    transitions: list[int] = []
    for i, step in enumerate(trace.steps):
        lo, hi = lts.offsets[state], lts.offsets[state + 1]
        k = lo + step.choice
        if not (step.choice >= 0 and k < hi and lts.event_labels[lts.events[k]] == step.event):
            k = next((j for j in range(lo, hi) if lts.event_labels[lts.events[j]] == step.event), -1)
            if k < 0:
                raise ValueError(f"step {i + 1} ({step.event}) is not possible in state {state} of the LTS")
        transitions.append(k)
        state = lts.targets[k]
    return Path(transitions, state, trace.loop_index)


def source_of(lts: LTS) -> list[int]:
    """The source state of every transition (the inverse of ``offsets``)."""
    src = [0] * lts.n_transitions
    for s in range(lts.n_states):
        for k in range(lts.offsets[s], lts.offsets[s + 1]):
            src[k] = s
    return src


def lts_dot(lts: LTS, *, path: Path | None = None, title: str | None = None, layout: str | None = None,
            describe_states: bool | None = None, frontier: frozenset[int] = frozenset(),
            heading: str | None = None) -> str:
    """DOT text for ``lts``, laid out for ``layout`` (default: :func:`choose_layout` by size).

    ``path`` highlights a counterexample; ``describe_states`` puts each state's description in
    its node (default: only for graphs of at most :data:`DESCRIBE_MAX_STATES` states).
    ``frontier`` states are drawn without their own transitions (a partial view): dashed, and
    never called deadlocked. ``heading`` replaces the "name: N states, M transitions" line.
    """
    n = lts.n_states
    layout = layout or choose_layout(n)
    if describe_states is None:
        describe_states = n <= DESCRIBE_MAX_STATES and all(len(x) <= DESCRIBE_MAX_CHARS for x in lts.state_labels)
    kinds = classify(lts)
    kinds.deadlocks -= frontier
    on_path: set[int] = set(path.transitions) if path else set()
    loop: set[int] = set(path.loop) if path else set()
    src = source_of(lts)
    path_states: set[int] = set()
    if path:
        path_states = {lts.initial} | {src[k] for k in on_path} | {lts.targets[k] for k in on_path}

    if heading is None:
        name = title if title is not None else (lts.name or "LTS")
        heading = f"{name}: {n} state{'s' if n != 1 else ''}, {lts.n_transitions} transitions"
    out = ["digraph LTS {"]
    out.append("  graph" + _graph_attrs(layout))
    out.append(f"  graph [label=<{_legend(heading, path is not None)}>, labelloc=\"b\", labeljust=\"l\"]")
    small = n <= DESCRIBE_MAX_STATES
    out.append("  node" + attrs(shape="circle" if not describe_states else "box", style="rounded,filled",
                                fillcolor="white", fontname="Helvetica", fontsize=11 if small else 9,
                                width=0.3, height=0.3, margin="0.1,0.04"))
    out.append("  edge" + attrs(fontname="Helvetica", fontsize=10 if small else 8, arrowsize=0.6))
    out.append("  start" + attrs(id="start", shape="point", width=0.12, fillcolor="black", label="",
                                 tooltip="initial state"))
    for s in range(n):
        out.append(f"  s{s}" + _state_attrs(lts, s, kinds, path_states, path, describe_states, s in frontier))
    out.append(f"  start -> s{lts.initial}" + attrs(id="start-edge", penwidth=1.5))
    for k in range(lts.n_transitions):
        out.append(f"  s{src[k]} -> s{lts.targets[k]}" + _edge_attrs(lts, k, on_path, loop))
    out.append("}")
    return "\n".join(out) + "\n"


def _graph_attrs(layout: str) -> str:
    if layout == "dot":
        return attrs(rankdir="TB", nodesep=0.3, ranksep=0.4, fontname="Helvetica")
    # Force-directed: fixed seed for reproducible drawings, overlap removal, straight edges.
    # (overlap="prism" costs 3x the layout time at 500 states, splines="true" minutes.)
    return attrs(fontname="Helvetica", start=1, overlap="scale", splines="false", outputorder="edgesfirst")


def _legend(heading: str, with_path: bool) -> str:
    cells = [  # (background, text colour, text)
        (INITIAL_FILL, "black", "→ initial state"),
        ("white", TAU_COLOR, "- - τ (internal)"),
        ("white", TERMINATED_COLOR, "✓ → Ω terminated"),
        (DEADLOCK_FILL, "black", "deadlock"),
        (DIVERGENT_FILL, "black", "divergent (τ-cycle)"),
    ]
    if with_path:
        cells.append(("white", PATH_COLOR, "━ counterexample"))
    row = "".join(f'<td bgcolor="{bg}"><font color="{fg}">{html_text(text)}</font></td>' for bg, fg, text in cells)
    return (f'<table border="0" cellborder="1" cellspacing="2" cellpadding="6">'
            f'<tr><td border="0" colspan="{len(cells)}" align="left"><b>{html_text(heading)}</b></td></tr>'
            f"<tr>{row}</tr></table>")


def _state_attrs(lts: LTS, s: int, kinds: StateKinds, path_states: set[int], path: Path | None,
                 describe: bool, partial: bool) -> str:
    classes = ["state"]
    fill = "white"
    style = "rounded,filled,dashed" if partial else None
    if partial:
        classes.append("frontier")
    shape = None
    color = None
    penwidth: float | None = None
    if s == lts.initial:
        classes.append("initial")
        fill = INITIAL_FILL
        penwidth = 1.5
    if s in kinds.terminated:
        classes.append("terminated")
        shape = "doublecircle"
        color = TERMINATED_COLOR
    if s in kinds.deadlocks:
        classes.append("deadlock")
        fill = DEADLOCK_FILL
    if s in kinds.divergent:
        classes.append("divergent")
        fill = DIVERGENT_FILL
    if s in path_states:
        classes.append("path")
        color = PATH_COLOR
        penwidth = 2.5
    if path is not None and s == path.end:
        classes.append("path-end")
        penwidth = 3.5
    description = lts.state_labels[s] if s < len(lts.state_labels) else ""
    label = str(s)
    if describe and description:
        label = f"{s}: {description}"
    more = " (its transitions are not drawn)" if partial else ""
    return attrs(id=f"s{s}", **{"class": " ".join(classes)}, label=label, shape=shape, style=style,
                 fillcolor=fill, color=color, penwidth=penwidth, tooltip=f"state {s}: {description}{more}")


def _edge_attrs(lts: LTS, k: int, on_path: set[int], loop: set[int]) -> str:
    e = lts.events[k]
    classes = ["transition"]
    style = color = fontcolor = None
    penwidth: float | None = None
    if e == TAU:
        classes.append("tau")
        style, color, fontcolor = "dashed", TAU_COLOR, TAU_COLOR
    elif e == TICK:
        classes.append("tick")
        color = fontcolor = TERMINATED_COLOR
    if k in on_path:
        classes.append("path")
        color = fontcolor = PATH_COLOR
        penwidth = 3.0
    if k in loop:
        classes.append("loop")
    label = lts.event_labels[e]
    return attrs(id=f"t{k}", **{"class": " ".join(classes)}, label=label, style=style, color=color,
                 fontcolor=fontcolor, penwidth=penwidth, tooltip=label)
