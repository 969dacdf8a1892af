import cspsim


def test_naive_philosophers_deadlock() -> None:
    m = cspsim.load(
        """
N = 3
channel pick, put : {0..N-1}.{0..N-1}
PHIL(i) = pick.i.i -> pick.i.((i+1)%N) -> put.i.i -> put.i.((i+1)%N) -> PHIL(i)
FORK(j) = pick.j.j -> put.j.j -> FORK(j) [] pick.((j-1+N)%N).j -> put.((j-1+N)%N).j -> FORK(j)
SYS = (||| i : {0..N-1} @ PHIL(i)) [| {| pick, put |} |] (||| j : {0..N-1} @ FORK(j))
assert SYS :[deadlock free [F]]
"""
    )
    (r,) = m.check_all()
    assert r.status == "fail"
    assert r.counterexample is not None
    assert r.counterexample.events == ["pick.0.0", "pick.1.1", "pick.2.2"]
