"""Free variables of syntax nodes, so that a closure captures only the locals it uses."""

from __future__ import annotations

from cspsim.syntax import ast as A

_MEMO: dict[int, tuple[A.Node, frozenset[str]]] = {}


def free_vars(node: A.Node) -> frozenset[str]:
    """Names used in ``node`` and not bound inside it (syntactically; globals included)."""
    entry = _MEMO.get(id(node))
    if entry is not None and entry[0] is node:
        return entry[1]
    result = frozenset(_free(node))
    _MEMO[id(node)] = (node, result)
    return result


def pattern_names(pat: A.Pattern) -> set[str]:
    if isinstance(pat, A.PVar):
        return {pat.name}
    out: set[str] = set()
    if isinstance(pat, (A.PTuple, A.PDot, A.PSeq, A.PSet)):
        for p in pat.items:
            out |= pattern_names(p)
    elif isinstance(pat, (A.PConcat, A.PAs)):
        out |= pattern_names(pat.left) | pattern_names(pat.right)
    return out


def _stmts_free(stmts: list[A.Stmt], inner: set[str]) -> set[str]:
    """Free names of statements followed by expressions whose free names are ``inner``."""
    free: set[str] = set()
    bound: set[str] = set()
    for st in stmts:
        if isinstance(st, A.Generator):
            free |= _free(st.source) - bound
            bound |= pattern_names(st.pattern)
        else:
            assert isinstance(st, A.Filter)
            free |= _free(st.cond) - bound
    return free | (inner - bound)


def _decl_bound(decls: list[A.Decl]) -> set[str]:
    bound: set[str] = set()
    for d in decls:
        if isinstance(d, A.Definition):
            bound.add(d.name)
        elif isinstance(d, A.PatternDef):
            bound |= pattern_names(d.pattern)
    return bound


def _decl_free(d: A.Decl) -> set[str]:
    if isinstance(d, A.Definition):
        out: set[str] = set()
        for c in d.clauses:
            params: set[str] = set()
            for group in c.params:
                for p in group:
                    params |= pattern_names(p)
            out |= _free(c.body) - params
        return out
    if isinstance(d, A.PatternDef):
        return _free(d.expr)
    return set()


def _free(n: A.Node) -> set[str]:
    if isinstance(n, A.Var):
        return {n.name}
    if isinstance(n, (A.Lit, A.CharLit, A.Wildcard)):
        return set()
    if isinstance(n, (A.TupleExpr, A.DotExpr, A.SetLit, A.SeqLit)):
        out: set[str] = set()
        for i in n.items:
            out |= _free(i)
        return out
    if isinstance(n, (A.SetRange, A.SeqRange)):
        return _free(n.lo) | (_free(n.hi) if n.hi is not None else set())
    if isinstance(n, (A.SetComp, A.SeqComp)):
        return _stmts_free(n.stmts, _free(n.item))
    if isinstance(n, A.Production):
        inner: set[str] = set()
        for i in n.items:
            inner |= _free(i)
        return _stmts_free(n.stmts, inner) if n.stmts is not None else inner
    if isinstance(n, A.BinOp):
        return _free(n.left) | _free(n.right)
    if isinstance(n, A.UnOp):
        return _free(n.operand)
    if isinstance(n, A.Call):
        out = _free(n.fn)
        for a in n.args:
            out |= _free(a)
        return out
    if isinstance(n, A.If):
        return _free(n.cond) | _free(n.then) | _free(n.orelse)
    if isinstance(n, A.Let):
        bound = _decl_bound(n.decls)
        out = _free(n.body)
        for d in n.decls:
            out |= _decl_free(d)
        return out - bound
    if isinstance(n, A.Lambda):
        params: set[str] = set()
        for p in n.params:
            params |= pattern_names(p)
        return _free(n.body) - params
    if isinstance(n, A.Prefix):
        out = _free(n.head)
        bound = set()
        for f in n.fields:
            if f.kind == "!":
                assert f.expr is not None
                out |= _free(f.expr) - bound
            else:
                if f.restrict is not None:
                    out |= _free(f.restrict) - bound
                assert f.pattern is not None
                bound |= pattern_names(f.pattern)
        return out | (_free(n.body) - bound)
    if isinstance(n, A.Guard):
        return _free(n.cond) | _free(n.body)
    if isinstance(n, A.ProcBin):
        return _free(n.left) | _free(n.right)
    if isinstance(n, A.GenPar):
        return _free(n.left) | _free(n.sync) | _free(n.right)
    if isinstance(n, A.AlphaPar):
        return _free(n.left) | _free(n.left_alpha) | _free(n.right_alpha) | _free(n.right)
    if isinstance(n, A.Hide):
        return _free(n.proc) | _free(n.events)
    if isinstance(n, A.Rename):
        inner = set()
        for a, b in n.pairs:
            inner |= _free(a) | _free(b)
        return _free(n.proc) | (_stmts_free(n.stmts, inner) if n.stmts is not None else inner)
    if isinstance(n, A.Replicated):
        inner = _free(n.body)
        if n.op == "||" and n.param is not None:
            inner |= _free(n.param)
        out = _stmts_free(n.stmts, inner)
        if n.op == "[||]" and n.param is not None:
            out |= _free(n.param)
        return out
    # Nodes introduced by the parser for patterns in expression position (p @@ q)
    left, right = getattr(n, "left", None), getattr(n, "right", None)
    if left is not None and right is not None:
        return _free(left) | _free(right)
    return set()
