"""The packed pair search against the reference pair search (refinement, determinism, has trace).

The reference (:func:`cspsim.lts.pairs.pair_search`, plain Python over tuples) is the executable
specification of the pair search. With compression off, the packed search
(:mod:`cspsim.lts.fastpairs`) must report the same thing for every check: status, pairs,
transitions, depth, implementation states and the counterexample step for step, including when
``--max-states`` stops it. With compression on, verdicts must agree and every counterexample must
be a true path of the original implementation. Determinism is compared in
``test_engines_agree.py`` (it is one of the properties checked there).
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_engines_agree import _component, _replays, _tree

import cspsim
from cspsim.check.refinement import judge, normal_form
from cspsim.lts.explore import Limits
from cspsim.lts.fastpairs import search_pairs
from cspsim.lts.pairengine import reference_run
from cspsim.lts.pairtables import REFINEMENT, Rules

MODELS = ("T", "F", "FD")
EVENT_NAMES = ["e.0", "e.1", "e.2", "e.3"]


@st.composite
def pair_scripts(draw: st.DrawFn) -> str:
    """A script with random components and two random systems over them, SPEC and IMPL."""
    k = draw(st.integers(2, 6))
    lines = ["channel e : {0..3}"]
    for c in range(k):
        lines += _component(draw, c)
    cut = draw(st.integers(1, k - 1))
    lines.append("SPEC = " + _tree(draw, [f"P{c}_0" for c in range(cut)]))
    lines.append("IMPL = " + _tree(draw, [f"P{c}_0" for c in range(cut, k)]))
    trace = draw(st.lists(st.sampled_from(EVENT_NAMES), max_size=4))
    lines += [f"assert SPEC [{m}= IMPL" for m in MODELS]
    lines.append(f"assert IMPL :[has trace]: <{', '.join(trace)}>")
    return "\n".join(lines) + "\n"


def _outcomes(text: str, limits_extra: dict[str, object], engine: str, compress: str = "off") -> list[dict]:
    model = cspsim.load(text)
    limits = Limits(engine=engine, compress=compress, **limits_extra)  # type: ignore[arg-type]
    out = []
    for result in model.check_all(limits):
        data = result.to_json() | {"seconds": 0, "peak_memory_mb": 0}
        data["extra"] = {k: v for k, v in result.stats.extra.items()
                         if k in ("pairs", "impl_states", "depth", "spec_nodes")}
        out.append(data)
    return out


@settings(max_examples=150, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(pair_scripts())
def test_random_refinements_same_results_as_reference(text: str) -> None:
    assert _outcomes(text, {}, "fast") == _outcomes(text, {}, "reference")


@settings(max_examples=80, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(pair_scripts(), st.integers(1, 30))
def test_random_refinements_same_limit_reports(text: str, max_states: int) -> None:
    limits = {"max_states": max_states}
    assert _outcomes(text, limits, "fast") == _outcomes(text, limits, "reference")


@settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(pair_scripts(), st.integers(1, 3), st.integers(1, 5), st.sampled_from(MODELS))
def test_tiny_chunks_and_batches(text: str, chunk: int, batch: int, model: str) -> None:
    """Many chunks and batches per level: the same run as the reference's."""
    m = cspsim.load(text)
    spec, impl = m.machine("SPEC"), m.machine("IMPL")
    nf = normal_form(spec, Limits())
    rules = Rules(trace=True, acceptance=REFINEMENT if model != "T" else None,
                  divergence=model == "FD", prune=model == "FD")
    ref = reference_run(nf, impl, rules, judge(nf, model), Limits())
    fast = search_pairs(nf, impl, rules, judge(nf, model), Limits(compress="off"), chunk=chunk, batch=batch)
    assert (fast.n_pairs, fast.transitions, fast.depth, fast.complete) == (
        ref.n_pairs, ref.transitions, ref.depth, ref.complete)
    assert (fast.finding, fast.node, fast.states, fast.events) == (ref.finding, ref.node, ref.states, ref.events)
    if ref.finding is not None and ref.finding[0] == "divergence":
        assert ref.lasso is not None and fast.lasso is not None
        assert fast.lasso() == ref.lasso()


@settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(pair_scripts())
def test_compressed_same_verdicts_and_true_counterexamples(text: str) -> None:
    model = cspsim.load(text)
    impl = model.machine("IMPL")
    ref = model.check_all(Limits(engine="reference"))
    fast = model.check_all(Limits(engine="fast", compress="auto"))
    for r, f in zip(ref, fast):
        assert f.status == r.status, r.assertion
        if f.counterexample is None:
            continue
        end = _replays(impl, f.counterexample)
        if f.counterexample.loop_index is not None:
            start = _replays(impl, cspsim.Trace(f.counterexample.steps[: f.counterexample.loop_index]))
            assert end == start


def test_models_directory_same_results() -> None:
    """Every refinement, determinism and has-trace assertion of ``models/``: same report."""
    import pathlib

    root = pathlib.Path(__file__).resolve().parents[2] / "models"
    checked = 0
    for path in sorted(root.glob("*.csp")):
        model = cspsim.load(path)
        for a in model.assertions:
            decl = a.decl
            if decl.kind not in ("refine", "has_trace") and decl.prop != "deterministic":
                continue
            ref = model.check(a, Limits(engine="reference")).to_json()
            fast = model.check(a, Limits(engine="fast", compress="off")).to_json()
            for r in (ref, fast):
                r.update(seconds=0, peak_memory_mb=0)
            assert fast == ref, (path.name, a.text)
            checked += 1
    assert checked >= 10


def test_limit_reports_pairs_found() -> None:
    text = "channel a : {0..9}\nS = a?x -> S\nI = a.0 -> a.1 -> a.2 -> I\nassert S [T= I\n"
    fast = cspsim.load(text).check_all(Limits(max_states=2))[0]
    ref = cspsim.load(text).check_all(Limits(max_states=2, engine="reference"))[0]
    assert fast.status == ref.status == "limit"
    assert fast.stats.states == ref.stats.states == 2
