"""Parse CSPM text into the AST of :mod:`cspsim.syntax.ast`.

Pass contract — needs: source text and its file name. Provides: a :class:`~cspsim.syntax.ast.Script`
with ``include`` lines spliced in, multi-equation functions merged, every node positioned.
Syntax errors are raised as :class:`~cspsim.errors.CspsimError` with the offending token, the
terminals that would have been accepted, and (for common mistakes) a hint.
"""

from __future__ import annotations

import functools
import os
from importlib import resources
from pathlib import Path

from lark import Lark, Token, Transformer, v_args
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

from cspsim import errors
from cspsim.errors import Span
from cspsim.syntax import ast as A
from cspsim.syntax.lexer import CspmPostLexer, strip_comments


def _grammar_text() -> str:
    """The grammar ships inside the wheel as package data; a checkout reads ``grammar/``."""
    packaged = resources.files("cspsim").joinpath("_grammar/cspm.lark")
    if packaged.is_file():
        return packaged.read_text(encoding="utf-8")
    return (Path(__file__).resolve().parents[2] / "grammar" / "cspm.lark").read_text(encoding="utf-8")


@functools.cache
def _parser() -> Lark:
    # Building the LALR tables takes ~1 s; Lark caches them in the temp directory, keyed by the
    # grammar text and options, so later runs start in tens of milliseconds.
    return Lark(
        _grammar_text(),
        parser="lalr",
        lexer="contextual",
        postlex=CspmPostLexer(),
        propagate_positions=True,
        maybe_placeholders=False,
        cache=True,
    )


# How terminals are shown in "expected ..." lists.
_TERMINAL_NAMES = {
    "NAME": "a name",
    "INT": "an integer",
    "STRING": "a string",
    "CHAR": "a character",
    "_NL": "end of line",
    "$END": "end of file",
    "SEQ_OPEN": "'<'",
    "SEQ_CLOSE": "'>'",
    "EMPTYSEQ": "'<>'",
    "PROPERTY": "':[deadlock free]' or another property",
    "HASTRACE": "':[has trace]:'",
    "TAUPRIO": "':[tau priority]:'",
    "PORPROP": "':[partial order reduce]'",
    "REFINES": "'[T=', '[F=' or '[FD='",
    "ASSERT_NOT": "'assert not'",
}


@functools.cache
def _terminal_display() -> dict[str, str]:
    shown = {}
    for term in _parser().terminals:
        pattern = term.pattern
        if term.name in _TERMINAL_NAMES:
            shown[term.name] = _TERMINAL_NAMES[term.name]
        elif pattern.type == "str":
            shown[term.name] = f"'{pattern.value}'"
    shown.update(_TERMINAL_NAMES)
    return shown


def _describe_expected(names: set[str] | frozenset[str]) -> str:
    display = _terminal_display()
    shown = sorted({display.get(n, n) for n in names if n not in ("LT", "GT") or True})
    if len(shown) > 14:
        shown = shown[:14] + ["..."]
    return ", ".join(shown)


_CONTINUES_HINT = "the line before ends with an operator, so this line was read as its right operand"

# Common mistakes, learned from examples of bad input (Lark's match_examples).
_EXAMPLES: dict[str, list[str]] = {
    "a '(' is never closed": ["P = (a -> STOP", "P = f(1, 2", "P = (a -> (b -> STOP)"],
    "a definition needs '=' after its name": ["P a -> STOP", "channel a\nP a -> STOP"],
    _CONTINUES_HINT: [
        "P = a -> STOP []\nQ = STOP",
        "P = a -> STOP |~|\nQ = STOP",
        "P = a -> \nQ = STOP",
        "P = STOP |||\nQ = STOP",
    ],
    "a comparison '>' inside a sequence literal must be in parentheses, as in FDR": [
        "s = <x | x <- <1..3>, x > 1>",
    ],
}


@functools.cache
def _example_signatures() -> list[tuple[int, frozenset[str], str]]:
    """(parser state, accepted terminals) of each example of a common mistake."""
    sigs = []
    for label, examples in _EXAMPLES.items():
        for example in examples:
            try:
                _parser().parse(example)
            except UnexpectedToken as exc:
                sigs.append((exc.state.position, frozenset(exc.accepts or ()), label))
            except UnexpectedInput:
                continue
    return sigs


def _hint_for(exc: UnexpectedInput) -> str | None:
    """The label of the example mistake that fails in the same parser state, if any.

    (Lark's own ``match_examples`` also compares stack depth, which differs with the number of
    declarations before the error, so it would only match mistakes on the first line.)
    """
    if not isinstance(exc, UnexpectedToken) or exc.state is None:
        return None
    key = (exc.state.position, frozenset(exc.accepts or ()))
    for position, accepts, label in _example_signatures():
        if (position, accepts) == key:
            return label
    return None


# Line endings after which the next line continues the expression (binary operators, keywords).
_CONTINUING_ENDS = (
    "[]", "|~|", "|||", "||", "->", ";", "[>", "/\\", "&", "\\", "|]", ",", "+", "-", "*", "/", "%", "^",
    "=", "==", "!=", "<=", ">=", ".", "?", "!", "@", "(", "{", "[", "and", "or", "not", "then", "else", "within",
    "let", "if",
)


def _previous_line_continues(text: str, line: int) -> bool:
    """Whether the last non-blank line before ``line`` ends with an operator or keyword."""
    lines = text.split("\n")[: max(line - 1, 0)]
    for prev in reversed(lines):
        if prev.strip():
            return prev.rstrip().endswith(_CONTINUING_ENDS)
    return False


def _syntax_error(exc: UnexpectedInput, text: str, path: str) -> errors.CspsimError:
    hint = _hint_for(exc)
    if hint == _CONTINUES_HINT and not _previous_line_continues(text, getattr(exc, "line", 0) or 0):
        hint = None
    if isinstance(exc, UnexpectedToken):
        tok = exc.token
        if tok.type == "$END":
            line = text.count("\n") + 1
            col = len(text.rsplit("\n", 1)[-1]) + 1
            span = Span(path, line, col, line, col)
            what = "unexpected end of file"
        else:
            end_col = (tok.end_column or tok.column + 1) if tok.end_line == tok.line else tok.column + 1
            span = Span(path, tok.line, tok.column, tok.line, end_col)
            what = "unexpected end of line" if tok.type == "_NL" else f"unexpected '{tok.value}'"
        return errors.syntax_error(span, what, _describe_expected(exc.accepts or exc.expected), hint)
    if isinstance(exc, UnexpectedCharacters):
        span = Span(path, exc.line, exc.column, exc.line, exc.column + 1)
        char = text.split("\n")[exc.line - 1][exc.column - 1 : exc.column] if exc.line > 0 else "?"
        expected = _describe_expected(exc.allowed) if exc.allowed else None
        return errors.syntax_error(span, f"unexpected character '{char}'", expected, hint)
    if isinstance(exc, UnexpectedEOF):
        line = text.count("\n") + 1
        span = Span(path, line, 1, line, 1)
        return errors.syntax_error(span, "unexpected end of file", _describe_expected(set(exc.expected)), hint)
    return errors.syntax_error(Span(path, 1, 1, 1, 1), str(exc))


def parse_text(text: str, path: str = "<string>") -> A.Script:
    """Parse one CSPM text (``include`` lines are resolved relative to ``path``)."""
    return _parse_file(text, path, stack=())


def parse_file(path: str | os.PathLike[str]) -> A.Script:
    p = str(path)
    try:
        text = Path(p).read_text(encoding="utf-8")
    except OSError:
        raise errors.file_not_found(p) from None
    return _parse_file(text, p, stack=())


def _parse_file(text: str, path: str, stack: tuple[str, ...]) -> A.Script:
    errors.register_source(path, text)
    cleaned = strip_comments(text, path)
    try:
        tree = _parser().parse(cleaned)
    except UnexpectedInput as exc:
        raise _syntax_error(exc, cleaned, path) from None
    builder = AstBuilder(path)
    decls: list[A.Decl] = builder.transform(tree)
    files = [path]
    out: list[A.Decl] = []
    for decl in decls:
        if isinstance(decl, A.IncludeDecl):
            target = os.path.join(os.path.dirname(path), decl.path) if not os.path.isabs(decl.path) else decl.path
            norm = os.path.normpath(target)
            if norm in stack or norm == os.path.normpath(path):
                raise errors.include_cycle(decl.span, decl.path)
            try:
                sub_text = Path(norm).read_text(encoding="utf-8")
            except OSError:
                raise errors.include_not_found(decl.span, decl.path) from None
            sub = _parse_file(sub_text, norm, stack + (os.path.normpath(path),))
            out.extend(sub.decls)
            files.extend(f for f in sub.files if f not in files)
        else:
            out.append(decl)
    return A.Script(merge_clauses(out), files)


def merge_clauses(decls: list[A.Decl]) -> list[A.Decl]:
    """Merge the equations of one function (``f(0) = ..``, ``f(n) = ..``) into one Definition."""
    merged: list[A.Decl] = []
    by_name: dict[str, A.Definition] = {}
    for decl in decls:
        if isinstance(decl, A.Definition):
            first = by_name.get(decl.name)
            if first is None:
                by_name[decl.name] = decl
                merged.append(decl)
                continue
            takes_args = bool(decl.clauses[0].params)
            if not takes_args or not first.clauses[0].params:
                raise errors.duplicate_definition(decl.span, decl.name, first.span)
            first.clauses.extend(decl.clauses)
        else:
            merged.append(decl)
    return merged


# ---------------------------------------------------------------- parse tree -> AST


@v_args(meta=True, inline=False)
class AstBuilder(Transformer):  # type: ignore[type-arg]
    """Lark transformer building AST nodes; every method receives ``(meta, children)``."""

    def __init__(self, path: str) -> None:
        super().__init__(visit_tokens=False)
        self.path = path

    # -- helpers

    def _span(self, meta: object) -> Span:
        m = meta  # lark.tree.Meta
        if getattr(m, "empty", True):
            return Span(self.path, 0, 0, 0, 0)
        return Span(self.path, m.line, m.column, m.end_line, m.end_column)  # type: ignore[attr-defined]

    def _tok_span(self, tok: Token) -> Span:
        end_col = tok.end_column if tok.end_line == tok.line else tok.column + len(tok.value)
        return Span(self.path, tok.line, tok.column, tok.line, end_col)

    @staticmethod
    def _nodes(children: list[object]) -> list[object]:
        return [c for c in children if not isinstance(c, Token)]

    @staticmethod
    def _tokens(children: list[object]) -> list[Token]:
        return [c for c in children if isinstance(c, Token)]

    def _expr(self, node: object) -> A.Expr:
        if isinstance(node, _FieldChain):
            raise errors.syntax_error(
                node.span, "input/output fields ('?', '!', '$') may only appear before '->'",
            )
        assert isinstance(node, A.Expr), node
        return node

    def _exprs(self, nodes: list[object]) -> list[A.Expr]:
        return [self._expr(n) for n in nodes]

    # -- top level

    def start(self, meta, children):
        return self._nodes(children)

    def decl(self, meta, children):
        lhs, rhs = self._nodes(children)
        span = self._span(meta)
        body = self._expr(rhs)
        lhs = self._expr(lhs)
        if isinstance(lhs, A.Var):
            return A.Definition(span, lhs.name, [A.Clause(span, [], body)])
        if isinstance(lhs, A.Call):
            groups: list[list[A.Pattern]] = []
            fn: A.Expr = lhs
            while isinstance(fn, A.Call):
                groups.insert(0, [to_pattern(a) for a in fn.args])
                fn = fn.fn
            if isinstance(fn, A.Var):
                return A.Definition(span, fn.name, [A.Clause(span, groups, body)])
            raise errors.bad_definition(lhs.span)
        try:
            return A.PatternDef(span, to_pattern(lhs), body)
        except errors.CspsimError:
            raise errors.bad_definition(lhs.span) from None

    def channel_decl(self, meta, children):
        names = [t.value for t in self._tokens(children) if t.type == "NAME"]
        nodes = self._nodes(children)
        return A.ChannelDecl(self._span(meta), names, self._expr(nodes[0]) if nodes else None)

    def _ctors(self, nodes: list[object]) -> list[A.Constructor]:
        ctors = []
        for node in nodes:
            node = self._expr(node)
            items = node.items if isinstance(node, A.DotExpr) else [node]
            head = items[0]
            if not isinstance(head, A.Var):
                raise errors.syntax_error(head.span, "a constructor must start with a name")
            ctors.append(A.Constructor(node.span, head.name, list(items[1:])))
        return ctors

    def datatype_decl(self, meta, children):
        name = self._tokens(children)[1].value
        return A.DataTypeDecl(self._span(meta), name, self._ctors(self._nodes(children)))

    def subtype_decl(self, meta, children):
        name = self._tokens(children)[1].value
        return A.SubTypeDecl(self._span(meta), name, self._ctors(self._nodes(children)))

    def nametype_decl(self, meta, children):
        name = self._tokens(children)[1].value
        return A.NameTypeDecl(self._span(meta), name, self._expr(self._nodes(children)[0]))

    def transparent_decl(self, meta, children):
        names = [t.value for t in self._tokens(children) if t.type == "NAME"]
        return A.TransparentDecl(self._span(meta), names)

    external_decl = transparent_decl

    def print_decl(self, meta, children):
        return A.PrintDecl(self._span(meta), self._expr(self._nodes(children)[0]))

    def include_decl(self, meta, children):
        tok = self._tokens(children)[1]
        return A.IncludeDecl(self._span(meta), _unquote(tok.value))

    # -- Go layer declarations

    def gochan_decl(self, meta, children):
        toks = self._tokens(children)
        names = []
        for t in toks[1:]:
            if t.type == "NAME":
                names.append(t.value)
            elif t.type != "COMMA":
                break
        nodes = self._exprs(self._nodes(children))
        has_family = any(t.type == "LBRACK" for t in toks)
        has_buffer = any(t.type == "BUFFER" for t in toks)
        family = nodes.pop(0) if has_family else None
        capacity = nodes.pop() if has_buffer else None
        return A.GoChanDecl(self._span(meta), names, family, nodes[0], capacity)

    def goobject_decl(self, meta, children):
        toks = self._tokens(children)
        kind = toks[0].value[2:]  # gomutex -> mutex
        names = [t.value for t in toks if t.type == "NAME"]
        return A.GoObjectDecl(self._span(meta), kind, names)

    def gocontext_decl(self, meta, children):
        toks = self._tokens(children)
        names: list[str] = []
        parent = None
        seen_colon = False
        for t in toks[1:]:
            if t.type == "COLON":
                seen_colon = True
            elif t.type == "NAME":
                if seen_colon:
                    parent = t.value
                else:
                    names.append(t.value)
        timeout = any(t.type == "TIMEOUT" for t in toks)
        return A.GoContextDecl(self._span(meta), names, parent, timeout)

    # -- assertions

    def assert_decl(self, meta, children):
        negated = self._tokens(children)[0].type == "ASSERT_NOT"
        node: A.AssertDecl = self._nodes(children)[0]
        node.negated = negated
        node.span = self._span(meta)
        return node

    def _options(self, nodes: list[object]) -> list[tuple[str, A.Expr | None]]:
        return [n for n in nodes if isinstance(n, tuple)]

    def assert_refine(self, meta, children):
        nodes = self._nodes(children)
        ref = next(t for t in self._tokens(children) if t.type == "REFINES")
        model = ref.value[1:-1]
        return A.AssertDecl(
            self._span(meta), False, "refine", self._expr(nodes[0]), self._expr(nodes[1]),
            model=model, options=self._options(nodes[2:]),
        )

    def assert_property(self, meta, children):
        nodes = self._nodes(children)
        tok = next(t for t in self._tokens(children) if t.type == "PROPERTY")
        prop, model = _property(tok.value)
        return A.AssertDecl(
            self._span(meta), False, "property", self._expr(nodes[0]), model=model, prop=prop,
            options=self._options(nodes[1:]),
        )

    def assert_has_trace(self, meta, children):
        nodes = self._nodes(children)
        tok = next(t for t in self._tokens(children) if t.type == "HASTRACE")
        _, model = _property(tok.value.rstrip().rstrip(":"))
        return A.AssertDecl(
            self._span(meta), False, "has_trace", self._expr(nodes[0]), model=model, prop="has trace",
            trace=self._expr(nodes[1]), options=self._options(nodes[2:]),
        )

    def assert_option(self, meta, children):
        tok = self._tokens(children)[0]
        nodes = self._nodes(children)
        if tok.type == "TAUPRIO":
            return ("tau priority", self._expr(nodes[0]))
        return ("partial order reduce", None)

    # -- process operators

    def _binary(op: str):  # type: ignore[misc]
        def build(self, meta, children):
            left, right = self._exprs(self._nodes(children))
            return A.ProcBin(self._span(meta), op, left, right)

        return build

    extchoice = _binary("[]")
    intchoice = _binary("|~|")
    interrupt = _binary("/\\")
    timeout = _binary("[>")
    seqcomp = _binary(";")
    interleave = _binary("|||")

    def hide(self, meta, children):
        proc, events = self._exprs(self._nodes(children))
        return A.Hide(self._span(meta), proc, events)

    def genpar(self, meta, children):
        left, sync, right = self._exprs(self._nodes(children))
        return A.GenPar(self._span(meta), left, sync, right)

    def alphapar(self, meta, children):
        left, a, b, right = self._exprs(self._nodes(children))
        return A.AlphaPar(self._span(meta), left, a, b, right)

    def prefix(self, meta, children):
        head, body = self._nodes(children)
        body = self._expr(body)
        if isinstance(head, _FieldChain):
            return A.Prefix(self._span(meta), head.head, head.fields, body)
        return A.Prefix(self._span(meta), self._expr(head), [], body)

    def guard(self, meta, children):
        cond, body = self._exprs(self._nodes(children))
        return A.Guard(self._span(meta), cond, body)

    def _chain(self, meta, children, kind: str):
        nodes = self._nodes(children)
        base = nodes[0]
        chain = base if isinstance(base, _FieldChain) else _FieldChain(self._expr(base).span, self._expr(base), [])
        fspan = self._span(meta)
        if kind == "!":
            fld = A.Field(fspan, "!", expr=self._expr(nodes[1]))
        else:
            restrict = self._expr(nodes[2]) if len(nodes) > 2 else None
            fld = A.Field(fspan, kind, pattern=to_pattern(self._expr(nodes[1])), restrict=restrict)
        return _FieldChain(fspan, chain.head, chain.fields + [fld])

    def field_in(self, meta, children):
        return self._chain(meta, children, "?")

    def field_nondet(self, meta, children):
        return self._chain(meta, children, "$")

    def field_out(self, meta, children):
        return self._chain(meta, children, "!")

    def rename(self, meta, children):
        nodes = self._nodes(children)
        proc = self._expr(nodes[0])
        pairs = nodes[1]
        stmts = nodes[2] if len(nodes) > 2 else None
        return A.Rename(self._span(meta), proc, pairs, stmts)

    def rename_pairs(self, meta, children):
        return self._nodes(children)

    def rename_pair(self, meta, children):
        a, b = self._exprs(self._nodes(children))
        return (a, b)

    # -- replicated operators

    def _replicated(op: str):  # type: ignore[misc]
        def build(self, meta, children):
            nodes = self._nodes(children)
            stmts, body = nodes[0], self._expr(nodes[-1])
            return A.Replicated(self._span(meta), op, stmts, body)

        return build

    rep_extchoice = _replicated("[]")
    rep_intchoice = _replicated("|~|")
    rep_interleave = _replicated("|||")
    rep_seqcomp = _replicated(";")

    def rep_genpar(self, meta, children):
        sync, stmts, body = self._nodes(children)
        return A.Replicated(self._span(meta), "[||]", stmts, self._expr(body), self._expr(sync))

    def rep_alphapar(self, meta, children):
        stmts, alpha, body = self._nodes(children)
        return A.Replicated(self._span(meta), "||", stmts, self._expr(body), self._expr(alpha))

    def stmts(self, meta, children):
        return self._nodes(children)

    def gen_from(self, meta, children):
        pat, src = self._exprs(self._nodes(children))
        return A.Generator(self._span(meta), to_pattern(pat), src)

    gen_in = gen_from

    def guard_stmt(self, meta, children):
        return A.Filter(self._span(meta), self._expr(self._nodes(children)[0]))

    # -- expressions

    def dot(self, meta, children):
        left, right = self._exprs(self._nodes(children))
        items = (left.items if isinstance(left, A.DotExpr) else [left]) + [right]
        return A.DotExpr(self._span(meta), items)

    def _bool_op(op: str):  # type: ignore[misc]
        def build(self, meta, children):
            left, right = self._exprs(self._nodes(children))
            return A.BinOp(self._span(meta), op, left, right)

        return build

    or_ = _bool_op("or")
    and_ = _bool_op("and")

    def not_(self, meta, children):
        return A.UnOp(self._span(meta), "not", self._expr(self._nodes(children)[0]))

    def compare(self, meta, children):
        left, right = self._exprs(self._nodes(children))
        op = self._tokens(children)[0].value
        return A.BinOp(self._span(meta), op, left, right)

    def binop(self, meta, children):
        left, right = self._exprs(self._nodes(children))
        op = self._tokens(children)[0].value
        return A.BinOp(self._span(meta), op, left, right)

    def concat(self, meta, children):
        left, right = self._exprs(self._nodes(children))
        return A.BinOp(self._span(meta), "^", left, right)

    def neg(self, meta, children):
        operand = self._expr(self._nodes(children)[0])
        if isinstance(operand, A.Lit) and type(operand.value) is int:
            return A.Lit(self._span(meta), -operand.value)
        return A.UnOp(self._span(meta), "neg", operand)

    def length(self, meta, children):
        return A.UnOp(self._span(meta), "#", self._expr(self._nodes(children)[0]))

    def call(self, meta, children):
        nodes = self._nodes(children)
        fn = self._expr(nodes[0])
        args = nodes[1] if len(nodes) > 1 else []
        return A.Call(self._span(meta), fn, args)

    def args(self, meta, children):
        return self._exprs(self._nodes(children))

    def as_pattern(self, meta, children):
        left, right = self._exprs(self._nodes(children))
        return _AsExpr(self._span(meta), left, right)

    def var(self, meta, children):
        return A.Var(self._span(meta), children[0].value)

    def int_lit(self, meta, children):
        return A.Lit(self._span(meta), int(children[0].value))

    def true_lit(self, meta, children):
        return A.Lit(self._span(meta), True)

    def false_lit(self, meta, children):
        return A.Lit(self._span(meta), False)

    def string_lit(self, meta, children):
        return A.Lit(self._span(meta), _unquote(children[0].value))

    def char_lit(self, meta, children):
        return A.CharLit(self._span(meta), _unquote(children[0].value))

    def wildcard(self, meta, children):
        return A.Wildcard(self._span(meta))

    def paren(self, meta, children):
        node = self._nodes(children)[0]
        return node if isinstance(node, _FieldChain) else self._expr(node)

    def tuple(self, meta, children):
        return A.TupleExpr(self._span(meta), self._exprs(self._nodes(children)))

    def empty_set(self, meta, children):
        return A.SetLit(self._span(meta), [])

    def set_lit(self, meta, children):
        return A.SetLit(self._span(meta), self._exprs(self._nodes(children)))

    def set_range(self, meta, children):
        nodes = self._exprs(self._nodes(children))
        return A.SetRange(self._span(meta), nodes[0], nodes[1] if len(nodes) > 1 else None)

    def set_comp(self, meta, children):
        item, stmts = self._nodes(children)
        return A.SetComp(self._span(meta), self._expr(item), stmts)

    def production(self, meta, children):
        return A.Production(self._span(meta), self._exprs(self._nodes(children)), None)

    def production_comp(self, meta, children):
        item, stmts = self._nodes(children)
        return A.Production(self._span(meta), [self._expr(item)], stmts)

    def empty_seq(self, meta, children):
        return A.SeqLit(self._span(meta), [])

    def seq_lit(self, meta, children):
        return A.SeqLit(self._span(meta), self._exprs(self._nodes(children)))

    def seq_range(self, meta, children):
        nodes = self._exprs(self._nodes(children))
        return A.SeqRange(self._span(meta), nodes[0], nodes[1] if len(nodes) > 1 else None)

    def seq_comp(self, meta, children):
        item, stmts = self._nodes(children)
        return A.SeqComp(self._span(meta), self._expr(item), stmts)

    def if_expr(self, meta, children):
        cond, then, orelse = self._exprs(self._nodes(children))
        return A.If(self._span(meta), cond, then, orelse)

    def let_expr(self, meta, children):
        nodes = self._nodes(children)
        decls = merge_clauses(nodes[:-1])
        return A.Let(self._span(meta), decls, self._expr(nodes[-1]))

    def lambda_expr(self, meta, children):
        nodes = self._exprs(self._nodes(children))
        return A.Lambda(self._span(meta), [to_pattern(p) for p in nodes[:-1]], nodes[-1])


class _FieldChain:
    """Intermediate result for ``c?x!y``: only meaningful as the left side of ``->``."""

    __slots__ = ("fields", "head", "span")

    def __init__(self, span: Span, head: A.Expr, fields: list[A.Field]) -> None:
        self.span, self.head, self.fields = span, head, fields


class _AsExpr(A.Expr):
    """``p @@ q`` parsed as an expression; valid only where a pattern is expected."""

    __slots__ = ("left", "right")

    def __init__(self, span: Span, left: A.Expr, right: A.Expr) -> None:
        self.span, self.left, self.right = span, left, right


def _unquote(text: str) -> str:
    body = text[1:-1]
    return body.encode("latin-1", "backslashreplace").decode("unicode_escape") if "\\" in body else body


_PROPERTIES = {
    "deadlock": "deadlock free",
    "divergence": "divergence free",
    "livelock": "divergence free",
    "deterministic": "deterministic",
    "has": "has trace",
    "panic": "panic free",
    "leak": "leak free",
}


def _property(text: str) -> tuple[str, str | None]:
    """Split ``:[deadlock free [F]]`` into ("deadlock free", "F")."""
    inner = text.strip()[2:-1].strip()
    model = None
    if inner.endswith("]") and "[" in inner:
        inner, _, rest = inner.partition("[")
        model = rest.rstrip("]").strip()
    first = inner.replace("-", " ").split()[0]
    return _PROPERTIES[first], model


def to_pattern(e: A.Expr) -> A.Pattern:
    """Reinterpret an expression parsed in a pattern position as a pattern."""
    s = e.span
    if isinstance(e, A.Var):
        return A.PVar(s, e.name)
    if isinstance(e, A.Wildcard):
        return A.PWild(s)
    if isinstance(e, A.Lit):
        if isinstance(e.value, str):
            return A.PSeq(s, [A.PLit(s, ch) for ch in e.value])
        return A.PLit(s, e.value)
    if isinstance(e, A.CharLit):
        return A.PLit(s, e.value)
    if isinstance(e, A.TupleExpr):
        return A.PTuple(s, [to_pattern(i) for i in e.items])
    if isinstance(e, A.DotExpr):
        return A.PDot(s, [to_pattern(i) for i in e.items])
    if isinstance(e, A.SeqLit):
        return A.PSeq(s, [to_pattern(i) for i in e.items])
    if isinstance(e, A.BinOp) and e.op == "^":
        return A.PConcat(s, to_pattern(e.left), to_pattern(e.right))
    if isinstance(e, A.SetLit) and len(e.items) <= 1:
        return A.PSet(s, [to_pattern(i) for i in e.items])
    if isinstance(e, _AsExpr):
        return A.PAs(s, to_pattern(e.left), to_pattern(e.right))
    raise errors.bad_pattern(s, _describe_node(e))


def _describe_node(e: A.Expr) -> str:
    names = {
        A.BinOp: "an operator expression",
        A.Call: "a function application",
        A.SetLit: "a set of several elements",
        A.Prefix: "a process",
        A.If: "an if-expression",
    }
    return names.get(type(e), "this expression")
