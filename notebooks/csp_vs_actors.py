# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # CSP channels or actor mailboxes? One service, two designs
#
# A front end receives requests in bursts and hands each to a worker that takes about a
# millisecond to serve it. Two classic ways to connect them:
#
# * **CSP** (Go's channels): the front end sends on a *bounded* channel. When the channel is full
#   the send blocks — *back-pressure*: the front end stops accepting work until there is room.
# * **Actors** (Erlang, Akka): the front end *tells* the worker; the message goes into the worker's
#   *unbounded* mailbox and the sender never waits.
#
# Both designs run below on cspsim's simulator — Go's runtime rules, virtual time, a seeded random
# number generator, the same cost model for every channel operation — with exactly the same
# requests and service times. Then the checker looks at the one thing back-pressure adds: a
# design in which bounded channels form a cycle can deadlock, and actors' unbounded mailboxes cannot.
#
# Every claim in the text is computed by the cells below and checked with `assert`, so if the
# notebook runs to the end, its text is true of the current cspsim. It runs the same way in Jupyter,
# as `python notebooks/csp_vs_actors.py`, and in the test suite.

# %%
import random

from _support import done_with, plt, show, wait_reason

import cspsim
from cspsim.render import lts_svg, path_of_trace
from cspsim.sim import MS, US, Cost, Sim


def sparkline(values, top):
    """A row of block characters, one per value, scaled to ``top``."""
    blocks = " ▁▂▃▄▅▆▇█"
    return "".join(blocks[min(8, round(8 * v / top))] if top else " " for v in values)


def percentile(xs, p):
    """Nearest-rank percentile of a non-empty list."""
    s = sorted(xs)
    return s[min(len(s) - 1, round(p / 100 * (len(s) - 1)))]


# %% [markdown]
# ## The workload
#
# 400 requests arrive as a Poisson stream: the first 200 at a mean rate of 1250 per second (a
# burst), the rest at 500 per second. Serving one takes an exponentially distributed time with a
# mean of 1 ms, so the worker can serve about 1000 per second: during the burst requests come
# faster than they can be served (the cell prints the rates this seed actually drew).
#
# The worker's time is spent waiting on something outside the process (a database call, say), so
# it is modelled as a `sleep`; the channel operations, parking and switching cost what the
# simulator's default cost model says (measured on Go 1.19). That model also makes an idle
# processor notice a due timer 80 µs late, as Go does on average; here that would blur every
# arrival and service time, so it is set to zero.

# %%
SEED = 7
N = 400
BURST = 200
K = 8  # capacity of the CSP channel

rng = random.Random(SEED)
arrivals, t = [], 0
for i in range(N):
    t += round(rng.expovariate(1.0) * (0.8 * MS if i < BURST else 2 * MS))
    arrivals.append(t)
service = [round(rng.expovariate(1.0) * MS) for _ in range(N)]
COST = Cost().but(timer_wake=0)  # the same cost model for every run below

burst_rate = BURST / (arrivals[BURST - 1] / 1e9)
calm_rate = (N - BURST) / ((arrivals[-1] - arrivals[BURST - 1]) / 1e9)
service_rate = N / (sum(service) / 1e9)
print(f"arrival rate: {burst_rate:,.0f}/s during the burst, {calm_rate:,.0f}/s after it")
print(f"service rate: {service_rate:,.0f}/s (mean service time {sum(service) / N / US:,.0f} µs)")
print(COST)
assert burst_rate > service_rate > calm_rate, "the burst overloads the worker; the calm phase does not"

# %% [markdown]
# ## The two designs, as Go-style goroutines
#
# The front end (`producer`) waits until each request's arrival time, then passes it on; the
# worker (`consumer`) serves requests in order. In the CSP design they share a channel of capacity
# `K`. In the actor design the producer tells the consumer actor, which never blocks the teller.
# A third variant of CSP *sheds load*: it offers the request with a `select` that has a `default`
# case, and drops the request when the channel is full.
#
# For each request we record when it arrived, when the producer started to pass it on, and when
# the consumer finished it; the simulator's metrics add queue occupancy over time, each message's
# time in the channel, and every goroutine's blocked time by Go wait reason.


# %%
def producer_body(sim, n, offer, record):
    """Wait for each of the first ``n`` arrivals, then offer the request (``offer`` may block)."""
    for i, a in enumerate(arrivals[:n]):
        if a > sim.now:
            yield sim.sleep(a - sim.now)
        record[i] = sim.now  # when the front end starts passing request i on
        yield from offer(i)


def consumer_step(sim, i, served, order):
    yield sim.sleep(service[i])
    served[i] = sim.now
    order.append(i)


def run_csp(capacity, shed=False, n=N):
    """Producer and consumer goroutines joined by a channel of ``capacity`` (Go: make(chan int, capacity))."""
    sim = Sim(seed=SEED, cost=COST)
    offered, served, order, dropped = {}, {}, [], []

    def main():
        queue = sim.chan(capacity, name="queue")
        finished = sim.chan(name="finished")

        def offer(i):
            if shed:  # select { case queue <- i: default: drop }
                case, _, _ = yield sim.select(queue.send(i), default=True)
                if case < 0:
                    dropped.append(i)
            else:  # queue <- i
                yield queue.send(i)

        def producer():
            yield from producer_body(sim, n, offer, offered)
            queue.close()

        def consumer():
            while True:  # for i := range queue
                i, ok = yield queue.recv_ok()
                if not ok:
                    break
                yield from consumer_step(sim, i, served, order)
            yield finished.send(True)

        sim.go(producer, name="producer")
        sim.go(consumer, name="consumer")
        yield finished.recv()

    return measure(sim.run(main), "queue", offered, served, order, dropped)


def run_actors(n=N):
    """The same two parties as actors: the producer tells, the consumer's mailbox absorbs everything."""
    sim = Sim(seed=SEED, cost=COST)
    offered, served, order = {}, {}, []

    def main():
        finished = sim.chan(name="finished")

        def consumer(me):
            while True:
                i, ok = yield me.receive_ok()
                if not ok:
                    break
                yield from consumer_step(sim, i, served, order)
            yield finished.send(True)

        def producer(me, target):
            def offer(i):
                target.send(i)  # tell: never blocks
                yield from ()

            yield from producer_body(sim, n, offer, offered)
            target.stop()

        worker = sim.actor(consumer, name="consumer")
        sim.actor(producer, worker, name="producer")
        yield finished.recv()

    return measure(sim.run(main), "consumer.mailbox", offered, served, order, [])


def measure(run, queue, offered, served, order, dropped):
    """What a run measured, as one record."""
    assert run.outcome == "exit", run.report()
    m = run.metrics
    chan = next(c for c in m.channels if c["name"] == queue)
    blocked = {g["name"]: g["blocked"] for g in m.goroutines if g["name"] in ("producer", "consumer")}
    e2e = [served[i] - arrivals[i] for i in order]
    return {
        "run": run,
        "order": order,
        "dropped": dropped,
        "makespan_ms": run.end_ns / MS,
        "throughput": len(order) / (run.end_ns / 1e9),
        "queue_max": chan["max_len"],
        "queue_mean": chan["mean_len"],
        "occupancy": m.occupancy[queue],
        "in_channel": m.latencies[queue],  # from the start of the send to the receive, per message
        "upstream": [offered[i] - arrivals[i] for i in order],  # waiting before the producer got to it
        "e2e": e2e,  # arrival to served
        "blocked": blocked,
    }


designs = {
    "CSP, bounded": run_csp(K),
    "actors": run_actors(),
    "CSP, shedding": run_csp(K, shed=True),
}

# %% [markdown]
# ## Throughput, latency and queue length
#
# `e2e` is a request's whole wait, from its arrival to the end of its service; `upstream` is the
# part before the front end got round to it (a blocked producer is not reading its socket);
# `in channel` is the part between the start of the send and the consumer's receive.


# %%
def ms(ns):
    return f"{ns / MS:7.2f}"


print(f"{'design':15} {'served':>6} {'dropped':>7} {'makespan':>9} {'req/s':>6} {'max q':>5} {'mean q':>6}"
      f"   {'e2e p50':>7} {'p99':>7} {'max':>7}   {'mean upstream':>13} {'mean in channel':>15}  (ms)")
for name, d in designs.items():
    print(f"{name:15} {len(d['order']):6} {len(d['dropped']):7} {d['makespan_ms']:9.2f} {d['throughput']:6.0f} "
          f"{d['queue_max']:5} {d['queue_mean']:6.2f}   {ms(percentile(d['e2e'], 50))} "
          f"{ms(percentile(d['e2e'], 99))} {ms(max(d['e2e']))}   "
          f"{ms(sum(d['upstream']) / len(d['upstream'])):>13} {ms(sum(d['in_channel']) / len(d['in_channel'])):>15}")

csp, act, shed = designs["CSP, bounded"], designs["actors"], designs["CSP, shedding"]

# %% [markdown]
# What the table says, and the cell below checks:
#
# 1. Both lossless designs serve every request, in arrival order, and finish at the same moment
#    (to within 1%): the worker is the bottleneck and works back to back through the burst either
#    way, so the throughput is the same.
# 2. The bounded channel never holds more than `K` requests; the mailbox grows to several times
#    that during the burst.
# 3. Back-pressure does **not** make requests wait less: end-to-end latencies of the two lossless
#    designs are the same, request by request, to within a few microseconds. It moves the wait
#    *out of the process*: with CSP most of it is spent upstream (before the front end accepts the
#    request), with actors all of it inside the mailbox.
# 4. Of the three, only the design that drops work bounds latency: in the shedding variant every
#    request it accepted waited behind at most `K` queued requests and the one in service — a
#    bound checked request by request against the service times, up to the runtime's own
#    microseconds — at the price of the requests it dropped.

# %%
for d in (csp, act):
    assert d["order"] == list(range(N)), "every request served, in order"
assert abs(csp["makespan_ms"] - act["makespan_ms"]) < 0.01 * act["makespan_ms"]
assert csp["queue_max"] == K and act["queue_max"] >= 3 * K
print(f"mailbox peak / channel capacity: {act['queue_max'] / K:.1f}x")
same = max(abs(a - c) for a, c in zip(act["e2e"], csp["e2e"]))
print(f"largest difference in one request's e2e latency between CSP and actors: {same / US:.1f} µs")
assert same < 10 * US
assert sum(csp["upstream"]) > sum(csp["in_channel"]) > 0
# actors: nothing waits upstream beyond the runtime's own few hundred nanoseconds
assert max(act["upstream"]) < 10 * US and sum(act["in_channel"]) > 0

assert shed["dropped"] and max(shed["upstream"]) < 10 * US
accepted = shed["order"]
assert accepted == sorted(accepted) and len(accepted) + len(shed["dropped"]) == N
slack = max(  # served time minus the service of this request and of the K+1 accepted before it
    (shed["e2e"][j] - sum(service[i] for i in accepted[max(0, j - K - 1): j + 1])) for j in range(len(accepted))
)
print(f"shedding: dropped {len(shed['dropped'])} of {N}; worst e2e minus the bound: {slack / US:.1f} µs "
      f"(channel operations and scheduling)")
assert slack < 100 * US
assert max(shed["e2e"]) < percentile(act["e2e"], 99)

# %% [markdown]
# ## Queue occupancy over time, and the latency distribution

# %%
if plt is not None:
    fig, axes = plt.subplot_mosaic([[name, "cdf"] for name in designs], figsize=(12, 5), sharex=False)
    top = max(d["queue_max"] for d in designs.values())
    for name, d in designs.items():
        ts, ns = zip(*d["occupancy"])
        ax = axes[name]
        ax.step([t_ / MS for t_ in ts], ns, where="post")
        ax.axhline(K, color="grey", linestyle=":")
        ax.set(ylim=(0, top * 1.05), ylabel="queued", title=f"{name}: queue length (dotted: K = {K})")
        xs = sorted(x / MS for x in d["e2e"])
        style = {"linewidth": 4, "alpha": 0.5} if name == "CSP, bounded" else {}
        axes["cdf"].plot(xs, [(i + 1) / len(xs) for i in range(len(xs))], label=name, **style)
    axes[name].set(xlabel="virtual time (ms)")
    axes["cdf"].set(xlabel="end-to-end latency (ms)", ylabel="fraction of requests",
                    title="latency CDF (CSP, bounded and actors coincide)")
    axes["cdf"].legend()
    fig.tight_layout()
    done_with(fig)
else:
    bucket = 20 * MS
    end = max(d["makespan_ms"] for d in designs.values()) * MS
    top = max(d["queue_max"] for d in designs.values())
    print(f"peak queue length per {bucket // MS} ms of virtual time (full block = {top}):")
    for name, d in designs.items():
        peaks = [0] * (int(end // bucket) + 1)
        for t_, n_ in d["occupancy"]:
            peaks[int(t_ // bucket)] = max(peaks[int(t_ // bucket)], n_)
        print(f"  {name:15} |{sparkline(peaks, top)}|")
    print("\nend-to-end latency percentiles (ms):")
    print(f"  {'design':15}" + "".join(f"{'p' + str(p):>8}" for p in (10, 25, 50, 75, 90, 99, 100)))
    for name, d in designs.items():
        print(f"  {name:15}" + "".join(f"{percentile(d['e2e'], p) / MS:8.2f}" for p in (10, 25, 50, 75, 90, 99, 100)))

# %% [markdown]
# ## Where the goroutines spent their time
#
# Blocked time by Go wait reason (`sleep` is waiting for the next arrival or for the service to
# finish; `chan send` is a producer held back by a full channel; `chan receive` a worker with nothing
# to do).

# %%
reasons = sorted({r for d in designs.values() for b in d["blocked"].values() for r in b})
print(f"{'design':15} {'goroutine':9}" + "".join(f"{r:>14}" for r in reasons) + "   (ms)")
for name, d in designs.items():
    for g, b in d["blocked"].items():
        print(f"{name:15} {g:9}" + "".join(f"{b.get(r, 0) / MS:14.2f}" for r in reasons))

assert csp["blocked"]["producer"]["chan send"] > 0
assert "chan send" not in act["blocked"]["producer"] and "chan send" not in shed["blocked"]["producer"]


# %% [markdown]
# ## A small run, step by step
#
# Every run is also a `cspsim.Trace` — the type the checker's counterexamples use — so it draws as
# a sequence chart: one lifeline per goroutine, an arrow for each hand-off from one goroutine to
# another, a square for a value put into or taken out of a buffer. The first five requests, through
# a channel of capacity 1 and through a mailbox:

# %%
small_csp, small_act = run_csp(1, n=5)["run"], run_actors(n=5)["run"]
for label, r in (("CSP, capacity 1", small_csp), ("actors", small_act)):
    show(r.trace, f"{label}: {len(r.trace)} steps: {', '.join(r.trace.events)}")
assert "queue.0" in small_csp.trace.events  # request 0 handed straight to the parked consumer

# %% [markdown]
# ## What the checker proves about back-pressure
#
# The simulator shows what one run does; the checker explores every interleaving. Here is the
# pipeline in cspsim's Go layer of CSPM (`gochan ... buffer K` is `make(chan int, K)`; see
# docs/golang.md), with `M` requests. Ask, for each `n`, whether the producer can send `n` requests
# in a row while the consumer receives none: the longest such run is how far back-pressure lets
# the producer get ahead. An actor's mailbox is unbounded; in a run of `M` messages a capacity of
# `M` behaves the same.

# %%
PIPE = """
M = {m}
gochan queue : {{0..M-1}} buffer {k}

PRODUCER = (; i : <0..M-1> @ queue!i -> SKIP) ; queue.close -> SKIP    -- for ... {{ queue <- i }}; close(queue)
CONSUMER = queue?v?ok -> (if ok then CONSUMER else SKIP)                 -- for v := range queue {{ }}
PIPE = GO(go(PRODUCER) ; CONSUMER)

assert PIPE :[deadlock free]
assert PIPE :[leak free]
{runs}
"""
M_PIPE = K + 2


def sends_ahead(capacity, m=M_PIPE):
    """The longest run of sends with no receive in between, over every interleaving; and the checks."""
    runs = "\n".join("assert PIPE :[has trace]: <" + ", ".join(f"queue.send.{i}" for i in range(n)) + ">"
                     for n in range(1, m + 1))
    model = cspsim.load(PIPE.format(m=m, k=capacity, runs=runs), name=f"pipe(K={capacity})")
    results = model.check_all()
    possible = [r.status == "pass" for r in results[2:]]
    return results[:2], (possible.index(False) if False in possible else m)


pipe_results, ahead_csp = sends_ahead(K)
mailbox_results, ahead_mailbox = sends_ahead(M_PIPE)
for label, results in ((f"channel, K={K}", pipe_results), (f"mailbox (capacity {M_PIPE})", mailbox_results)):
    for r in results:
        print(f"{label:22} {r.assertion:28} {r.status}  ({r.stats.states} states)")
print(f"channel of capacity {K}: the producer gets at most {ahead_csp} sends ahead of the consumer")
print(f"mailbox: the producer can send all {ahead_mailbox} before the consumer receives one")
assert all(r.status == "pass" for r in pipe_results + mailbox_results)
assert ahead_csp == K and ahead_mailbox == M_PIPE

# %% [markdown]
# ## Where back-pressure bites: a cycle of bounded channels
#
# A client sends `M` requests, closes the request channel, then reads the `M` replies; a server
# answers each request on a reply channel. If both channels have capacity `k`, the program holds
# at most `k` requests in the request buffer, one in the server's hands and `k` replies in the reply
# buffer, so the client can send `2k + 1` requests before it blocks while the server is blocked
# replying: a deadlock whenever `M ≥ 2k + 2`. With unbounded mailboxes nobody ever blocks sending.
# The checker does not need that argument — it finds the deadlock, with a shortest counterexample,
# and proves the other cases deadlock-free:

# %%
M = 6
CYCLE = """
M = {m}
gochan req : {{0..M-1}} buffer {k}
gochan rep : {{0..M-1}} buffer {k}
channel finished

-- for i := 0; i < M; i++ {{ req <- i }}; close(req); for i := 0; i < M; i++ {{ <-rep }}
CLIENT = (; i : <0..M-1> @ req!i -> SKIP) ; req.close -> (; i : <0..M-1> @ rep?x -> SKIP) ; finished -> SKIP
-- for i := range req {{ rep <- i }}
SERVER = req?i?ok -> (if ok then rep!i -> SERVER else SKIP)

PROGRAM = GO(go(SERVER) ; CLIENT)

assert PROGRAM :[deadlock free]
assert PROGRAM :[leak free]
assert PROGRAM \\ diff(Events, {{finished}}) :[has trace]: <finished>
"""
CAPACITIES = [0, 1, 2, 3, 4, M]  # the last one stands for the actors' unbounded mailboxes

checked = {}
for k in CAPACITIES:
    model = cspsim.load(CYCLE.format(m=M, k=k), name=f"cycle(k={k})")
    checked[k] = (model, model.check_all())

print(f"{'k':>2} {'deadlock free':>14} {'leak free':>10} {'can finish':>11} {'states':>7}")
for k, (_, (dl, leak, fin)) in checked.items():
    print(f"{k:2} {dl.status:>14} {leak.status:>10} {fin.status:>11} {dl.stats.states:7}")

deadlocking = [k for k, (_, (dl, _, _)) in checked.items() if dl.status == "fail"]
print(f"deadlocks for k in {deadlocking}; the smallest safe capacity is {min(set(CAPACITIES) - set(deadlocking))}")
assert deadlocking == [k for k in CAPACITIES if M >= 2 * k + 2]
for _, (dl, leak, fin) in checked.values():
    # a deadlock here is certain, not just possible: no execution ever finishes
    assert dl.status == leak.status == fin.status

# %% [markdown]
# The counterexample for the largest capacity that still deadlocks, per goroutine, with each
# goroutine's Go wait reason and the line of the model where it is stuck:

# %%
k_bad = max(deadlocking)
model, (dl, _, _) = checked[k_bad]
ce = dl.counterexample
print(f"k={k_bad}: {dl.message}")
print(f"trace ({len(ce.steps)} steps): {ce.describe()}")
for name, state in zip(ce.components, ce.final_states):
    print(f"  {name:12} {state}")
show(dl, "(in Jupyter: the verdict and the sequence chart)")
lts = model.lts("PROGRAM")
show(lts_svg(lts, path=path_of_trace(lts, ce)),
     f"(in Jupyter: the state graph, {lts.n_states} states, with the counterexample highlighted)")
assert dl.message == "all goroutines are asleep - deadlock!"
assert all(state.startswith("[chan send]") for state in ce.final_states)

# %% [markdown]
# ## The same cycle on the simulator
#
# The checker says what *can* happen; the simulator runs the program the way Go 1.19 would. The
# same client and server as goroutines, for each capacity, and once more as actors:


# %%
def cycle_sim(capacity):
    """The client/server cycle as goroutines on channels of ``capacity``; ``None``: as actors."""
    sim = Sim(seed=SEED, cost=COST)
    replies = []

    def main():
        if capacity is None:
            finished = sim.chan(name="finished")

            def server(me, client):
                while True:
                    i, ok = yield me.receive_ok()
                    if not ok:
                        return
                    client.send(i)

            def client(me):
                srv = sim.actor(server, me, name="server")
                for i in range(M):
                    srv.send(i)
                srv.stop()
                for _ in range(M):
                    replies.append((yield me.receive()))
                yield finished.send(True)

            sim.actor(client, name="client")
            yield finished.recv()
            return
        req, rep = sim.chan(capacity, name="req"), sim.chan(capacity, name="rep")

        def server():
            while True:  # for i := range req { rep <- i }
                i, ok = yield req.recv_ok()
                if not ok:
                    return
                yield rep.send(i)

        sim.go(server, name="server")
        for i in range(M):  # main is the client
            yield req.send(i)
        req.close()
        for _ in range(M):
            replies.append((yield rep.recv()))

    run = sim.run(main)
    return run, replies


agree = {}
for k in CAPACITIES[:-1] + [None]:
    run, replies = cycle_sim(k)
    label = "actors" if k is None else f"k={k}"
    print(f"{label:7} {run.outcome:9} {run.message or f'served {len(replies)} replies'}")
    for g in run.goroutines:
        if g.state != "dead":
            print(f"          goroutine {g.id} {g.name} [{g.state}] at line {g.where.split(':')[-1]}")
    if k is not None:
        _, (dl, _, _) = checked[k]
        agree[k] = (run.outcome == "deadlock") == (dl.status == "fail")
        if run.outcome == "deadlock":
            assert run.message == "fatal error: " + dl.message
            assert sorted(g.state for g in run.goroutines if g.state != "dead") == sorted(
                wait_reason(s) for s in dl.counterexample.final_states)
    else:
        assert run.outcome == "exit" and replies == list(range(M))
assert all(agree.values()), agree
print("checker and simulator agree for every capacity:", agree)

# %% [markdown]
# ## Summary
#
# * Throughput is set by the slowest stage in both designs; bounded channels do not cost
#   throughput here.
# * A bounded channel bounds the memory a burst takes inside the process (`K` requests) and tells
#   the producer, by blocking it, that it is overloaded; an actor's mailbox absorbs the burst, and
#   the producer never learns of the overload.
# * Neither design makes requests wait less; of the three, only shedding load does.
# * The price of back-pressure is that blocking can close a cycle: the checker finds such
#   deadlocks with a shortest counterexample, and the simulator confirms that Go would hit them.

# %%
RESULTS = {  # read by tests/notebooks/test_notebooks.py
    "K": K,
    "N": N,
    "M": M,
    "served": {name: len(d["order"]) for name, d in designs.items()},
    "dropped": {name: len(d["dropped"]) for name, d in designs.items()},
    "queue_max": {name: d["queue_max"] for name, d in designs.items()},
    "makespan_ms": {name: d["makespan_ms"] for name, d in designs.items()},
    "e2e_p99_ms": {name: percentile(d["e2e"], 99) / MS for name, d in designs.items()},
    "producer_send_blocked_ms": {name: d["blocked"]["producer"].get("chan send", 0) / MS
                                 for name, d in designs.items()},
    "sends_ahead": {"channel": ahead_csp, "mailbox": ahead_mailbox},
    "cycle_deadlocks_checker": deadlocking,
    "cycle_deadlocks_sim": [k for k in CAPACITIES[:-1] if cycle_sim(k)[0].outcome == "deadlock"],
}
print(RESULTS)
