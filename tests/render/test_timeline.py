"""Goroutine timelines from hand-built records (the simulator's record type is defined in render)."""

from __future__ import annotations

import itertools

import pytest

from cspsim.render.run import run_svg
from cspsim.render.timeline import BLOCKED, COLORS, RUNNABLE, RUNNING, Segment, TimelineRecord, segments, timeline_svg
from cspsim.trace import Step, Trace

RUN = [
    TimelineRecord(0, "main", RUNNING),
    TimelineRecord(0, "worker", RUNNABLE),
    TimelineRecord(2, "main", BLOCKED, "chan receive"),
    TimelineRecord(2, "worker", RUNNING),
    TimelineRecord(5, "worker", BLOCKED, "chan send"),
    TimelineRecord(5, "main", RUNNING),
    TimelineRecord(6, "worker", RUNNABLE),
    TimelineRecord(7, "main", "done"),
    TimelineRecord(7, "worker", RUNNING),
    TimelineRecord(9, "worker", "done"),
]


def test_segments_follow_state_changes() -> None:
    names, segs = segments(RUN)
    assert names == ["main", "worker"]
    assert sorted(segs, key=lambda s: (s.start, s.goroutine)) == [
        Segment("main", RUNNING, "", 0, 2),
        Segment("worker", RUNNABLE, "", 0, 2),
        Segment("main", BLOCKED, "chan receive", 2, 5),
        Segment("worker", RUNNING, "", 2, 5),
        Segment("main", RUNNING, "", 5, 7),
        Segment("worker", BLOCKED, "chan send", 5, 6),
        Segment("worker", RUNNABLE, "", 6, 7),
        Segment("worker", RUNNING, "", 7, 9),
    ]
    # per goroutine, segments tile the time from its first record to its end, without overlap
    for name, end in (("main", 7), ("worker", 9)):
        mine = sorted((s.start, s.end) for s in segs if s.goroutine == name)
        assert mine[0][0] == 0 and mine[-1][1] == end
        assert all(a[1] == b[0] for a, b in itertools.pairwise(mine))


def test_order_of_input_does_not_matter_and_end_extends() -> None:
    names, segs = segments(list(reversed(RUN[:4])), end=10)
    assert names == ["main", "worker"] or names == ["worker", "main"]
    assert {(s.goroutine, s.state, s.end) for s in segs} >= {("main", BLOCKED, 10), ("worker", RUNNING, 10)}


def test_bad_records_are_rejected() -> None:
    with pytest.raises(ValueError, match="unknown goroutine state"):
        segments([TimelineRecord(0, "g", "sleeping")])
    with pytest.raises(ValueError, match="after the end"):
        segments([TimelineRecord(5, "g", RUNNING)], end=3)


def test_timeline_svg_structure(svg: type) -> None:
    root = svg.parse(timeline_svg(RUN, title="ping <pong> & co", unit="µs", width=900))
    rows = svg.groups(root, "goroutine")
    assert [svg.texts(g)[0] for g in rows] == ["main", "worker"]
    rects = [e for e in root.iter("{http://www.w3.org/2000/svg}rect") if "segment" in (e.get("class") or "")]
    assert len(rects) == len(segments(RUN)[1]) == 8
    for r in rects:
        state = r.get("class").split()[1]
        assert r.get("fill") == COLORS[state]
    # widths are proportional to durations: main's blocked segment (3 units) is 3x worker's (1 unit)
    blocked = {r.find("{http://www.w3.org/2000/svg}title").text: float(r.get("width")) for r in rects
               if "blocked" in r.get("class")}
    main_w = next(w for t, w in blocked.items() if t.startswith("main"))
    worker_w = next(w for t, w in blocked.items() if t.startswith("worker"))
    assert main_w == pytest.approx(3 * worker_w, rel=1e-3)
    assert "main: blocked (chan receive) from 2 to 5 µs" in blocked
    assert "chan receive" in svg.texts(root)
    assert "ping <pong> & co" in svg.texts(root)
    assert timeline_svg(RUN) == timeline_svg(list(RUN))


def test_run_picture_stacks_timeline_and_chart(svg: type) -> None:
    trace = Trace(steps=[Step("ch", 2, (1, 0)), Step("done", 3, (0,))], components=["main", "worker"],
                  final_states=["exited", "chan send"],
                  annotations={"arrows": True, "wait_reasons": ["", "chan send"]})
    root = svg.parse(run_svg(trace, RUN, title="run"))
    inner = root.findall("{http://www.w3.org/2000/svg}svg")
    assert [e.get("class") for e in inner] == ["cspsim-timeline", "cspsim-msc"]
    assert float(inner[1].get("y")) == float(inner[0].get("height"))
    assert float(root.get("height")) == float(inner[0].get("height")) + float(inner[1].get("height"))
    assert len(svg.groups(root, "goroutine")) == 2 and len(svg.groups(root, "step")) == 2
    assert len(svg.groups(root, "blocked")) == 1
