"""WithTimeout cancels through an AfterFunc timer; parent cancellation reaches children."""

from cspsim.sim import MS, S


def main(sim):
    ctx, cancel = sim.with_timeout(sim.background(), 20 * MS)
    try:
        k, _, _ = yield sim.select(ctx.done().recv(), sim.after(100 * MS).recv())
        sim.print("timed out:", ctx.err()) if k == 0 else sim.print("too slow")
        parent, pcancel = sim.with_cancel(sim.background())
        child, ccancel = sim.with_timeout(parent, 3600 * S)
        try:
            def canceller():
                yield sim.sleep(5 * MS)
                pcancel()

            sim.go(canceller)
            yield child.done().recv()
            sim.print("child:", child.err(), "parent:", parent.err())
        finally:
            ccancel()
    finally:
        cancel()
