"""Sifra's own cosmic-ray operators, registered by mutation/cr.py as the provider "sifra".

cosmic-ray's core operators change operators, constants and conditions but never drop a
statement. The lines a reviewer worries about most in a service are bare calls: the audit row
(`audit_record(...)`), `obj.full_clean()`, `obj.save()`, a check helper that raises. RemoveCall
replaces such a call statement by `None`, so a test must notice that the call's effect is gone.
"""

from __future__ import annotations

from cosmic_ray.operators.operator import Example, Operator
from parso.python.tree import Keyword


def _is_bare_call(node) -> bool:
    """An expression statement that is a call and nothing else: `f(x)`, `a.b.c(x)`."""
    if node.type != "atom_expr" or node.parent is None or node.parent.type != "simple_stmt":
        return False
    last = node.children[-1]
    return (
        last.type == "trailer"
        and last.children[0].type == "operator"
        and (last.children[0].value == "(")
    )


class RemoveCall(Operator):
    """Replace a call statement by `None`: the call is not made."""

    def mutation_positions(self, node):
        if _is_bare_call(node):
            yield (node.start_pos, node.end_pos)

    def mutate(self, node, index):
        assert index == 0
        return Keyword("None", node.start_pos, prefix=node.get_first_leaf().prefix)

    @classmethod
    def examples(cls):
        return (
            Example("audit_record(a, b)\n", "None\n"),
            Example(
                "def f():\n    obj.full_clean()\n    return 1\n",
                "def f():\n    None\n    return 1\n",
            ),
        )


class Provider:
    """The operator provider that cosmic-ray asks for `sifra/<name>`."""

    _operators = {"RemoveCall": RemoveCall}

    def __iter__(self):
        return iter(self._operators)

    def __getitem__(self, name):
        return self._operators[name]
