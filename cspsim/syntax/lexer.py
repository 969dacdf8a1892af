"""Lexical layer around Lark: comment removal and the CSPM post-lexer.

CSPM has three lexical rules that a context-free grammar cannot express, all handled here the way
libcspm's lexer handles them:

* Comments (``--`` to end of line, nested ``{- -}``) are blanked out before lexing, keeping every
  line and column where it was, so positions in messages stay exact.
* Newlines separate declarations, except next to a binary operator. The grammar's ``_NL`` pattern
  refuses a newline that is followed by an operator; :class:`CspmPostLexer` drops a newline that
  follows one (any token that cannot end an operand).
* ``<`` opens a sequence unless it follows an operand (CSPM has no juxtaposition, so this is
  exact), and ``>`` closes the innermost open sequence of the current bracket level (so, as in
  FDR, a comparison ``>`` inside a sequence literal needs parentheses).
"""

from __future__ import annotations

from collections.abc import Iterator

from lark import Token

from cspsim import errors

# Tokens after which an operand has just ended: `<` after one of these is less-than, and a
# newline after one of these may end a declaration.
OPERAND_END = frozenset(
    {
        "NAME", "INT", "STRING", "CHAR", "TRUE", "FALSE", "WILDCARD", "RPAR", "RBRACE",
        "RPBRACE", "SEQ_CLOSE", "EMPTYSEQ", "RRENAME",
    }
)

# Tokens after which a newline may end a declaration.
_ENDS_DECLARATION = OPERAND_END | {"PROPERTY", "PORPROP", "TIMEOUT"}

_OPENERS = frozenset({"LPAR", "LBRACE", "LPBRACE", "LRENAME", "LSYNC", "LBRACK"})
_CLOSERS = frozenset({"RPAR", "RBRACE", "RPBRACE", "RRENAME", "RSYNC", "RBRACK"})


def strip_comments(text: str, path: str) -> str:
    """Replace comments by spaces (newlines kept), so token positions do not move.

    Raises a diagnostic for an unterminated ``{-`` comment.
    """
    out = list(text)
    i, n = 0, len(text)
    in_string = False
    while i < n:
        c = text[i]
        if in_string:
            if c == "\\":
                i += 2
                continue
            if c == '"' or c == "\n":
                in_string = False
            i += 1
            continue
        if c == '"':
            in_string = True
            i += 1
        elif c == "-" and text.startswith("--", i):
            while i < n and text[i] != "\n":
                out[i] = " "
                i += 1
        elif c == "{" and text.startswith("{-", i):
            start, depth = i, 0
            while i < n:
                if text.startswith("{-", i):
                    depth += 1
                    out[i] = out[i + 1] = " "
                    i += 2
                elif text.startswith("-}", i):
                    depth -= 1
                    out[i] = out[i + 1] = " "
                    i += 2
                    if depth == 0:
                        break
                else:
                    if text[i] != "\n":
                        out[i] = " "
                    i += 1
            if depth:
                line = text.count("\n", 0, start) + 1
                col = start - (text.rfind("\n", 0, start) + 1) + 1
                raise errors.unterminated_comment(errors.Span(path, line, col, line, col + 2))
        else:
            i += 1
    return "".join(out)


class CspmPostLexer:
    """Lark post-lexer: newline soaking and sequence-bracket disambiguation (see module doc).

    It never looks ahead, so Lark's contextual lexer stays in step with the parser.
    """

    always_accept = ("_NL", "LT", "GT")

    def process(self, stream: Iterator[Token]) -> Iterator[Token]:
        prev: str | None = None
        # One counter of open sequences per bracket level.
        seq_open: list[int] = [0]
        for tok in stream:
            kind = tok.type
            if kind == "_NL":
                if prev is None or prev not in _ENDS_DECLARATION:
                    continue
            elif kind == "LT":
                if prev not in OPERAND_END:
                    tok = Token.new_borrow_pos("SEQ_OPEN", tok.value, tok)
                    seq_open[-1] += 1
            elif kind == "GT":
                if seq_open[-1] > 0:
                    tok = Token.new_borrow_pos("SEQ_CLOSE", tok.value, tok)
                    seq_open[-1] -= 1
            elif kind in _OPENERS:
                seq_open.append(0)
            elif kind in _CLOSERS and len(seq_open) > 1:
                seq_open.pop()
            prev = tok.type
            yield tok
