"""A discrete-event simulator of Go's goroutines, channels and scheduler, in virtual time.

Goroutines are Python generator functions that ``yield`` operations; the kernel parks and wakes
them with the Go runtime's rules (wait queues, ``runnext``, select, close, semaphores, timers,
deadlock detection), reproducibly from a seed. See docs/simulator.md.

>>> from cspsim.sim import Sim, MS
>>> sim = Sim(seed=1)
>>> def main():
...     done = sim.chan()
...     def sleeper(d, tag):
...         yield sim.sleep(d)
...         yield done.send(tag)
...     sim.go(sleeper, 30 * MS, "slow")
...     sim.go(sleeper, 10 * MS, "fast")
...     for _ in range(2):
...         sim.print((yield done.recv()))
>>> sim.run(main).lines
['fast', 'slow']
"""

from cspsim.sim.actors import Actor
from cspsim.sim.api import MS, NS, US, S, Sim
from cspsim.sim.chan import NIL, Chan
from cspsim.sim.context import CANCELED, DEADLINE_EXCEEDED, Context, GoError
from cspsim.sim.core import Goexit, GoFatal, GoPanic
from cspsim.sim.cost import Cost
from cspsim.sim.metrics import Metrics
from cspsim.sim.result import Event, GoroutineReport, RunResult
from cspsim.sim.sched import ReplayError
from cspsim.sim.sync import Cond, Mutex, Once, RWMutex, WaitGroup
from cspsim.sim.timeline import timeline
from cspsim.sim.timers import GoTimer, Ticker

__all__ = [
    "CANCELED",
    "DEADLINE_EXCEEDED",
    "MS",
    "NIL",
    "NS",
    "US",
    "Actor",
    "Chan",
    "Cond",
    "Context",
    "Cost",
    "Event",
    "GoError",
    "GoFatal",
    "GoPanic",
    "GoTimer",
    "Goexit",
    "GoroutineReport",
    "Metrics",
    "Mutex",
    "Once",
    "RWMutex",
    "ReplayError",
    "RunResult",
    "S",
    "Sim",
    "Ticker",
    "WaitGroup",
    "timeline",
]
