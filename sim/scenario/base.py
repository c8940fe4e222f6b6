"""The base of every scenario block: frozen, unknown keys rejected, defaults validated."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Frozen(BaseModel):
    """A scenario block: immutable once validated, and a typo'd key is an error, not ignored.

    A Distribution field with a bare-number default repeats ``validate_default=True`` in its
    ``Field()``: the number is validated into a Constant either way, and pydantic then types
    the ``Field()`` as Any rather than float, so type checkers accept the default.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", validate_default=True)
