"""Numeric options with a range, worded in the run's language.

Click's ``FloatRange`` lets ``nan`` through (every comparison with it is false) and writes
its bounds and the refused value as Python does (``0.5<=x<=50.0``). :class:`FloatIn` and
:class:`IntIn` refuse what is not a finite number within the range, with Click's own
message (worded by the catalogue, :mod:`dashboard.cli.texts`) and the numbers as the
language writes them (``0,5<=x<=50`` in German). The ranges themselves have their home in
:mod:`dashboard.domain.ranges`.
"""

from __future__ import annotations

import math
from typing import Any

import click

from dashboard.cli.texts import number_text, spoken


def _number(value: float) -> str:
    """A bound or a refused value in the run's language: ``0,5`` (de) / ``0.5`` (en)."""
    return number_text(value, spoken())


class _Worded:
    """The range's description and its refusal in the run's language (a mixin)."""

    def _describe_range(self) -> str:
        low_open, high_open = getattr(self, "min_open", False), getattr(self, "max_open", False)
        lowest, highest = getattr(self, "min", None), getattr(self, "max", None)
        low, high = ("<" if low_open else "<="), ("<" if high_open else "<=")
        if lowest is None:
            return f"x{high}{_number(highest or 0)}"
        if highest is None:
            return f"x{'>' if low_open else '>='}{_number(lowest)}"
        return f"{_number(lowest)}{low}x{high}{_number(highest)}"

    def _refuse(self, value: float, param: Any, ctx: Any) -> None:
        message = click.types._("{value} is not in the range {range}.")  # type: ignore[attr-defined]
        self.fail(message.format(value=_number(value), range=self._describe_range()), param, ctx)  # type: ignore[attr-defined]

    @staticmethod
    def _convert_with(parse: click.ParamType[Any]) -> Any:
        """A ``convert`` that parses with ``parse`` and refuses what lies outside."""

        def convert(
            self: Any, value: Any, param: click.Parameter | None, ctx: click.Context | None
        ) -> Any:
            number = parse.convert(value, param, ctx)
            if not self._within(number):
                self._refuse(number, param, ctx)
            return number

        return convert

    def _within(self, value: float) -> bool:
        if not math.isfinite(value):
            return False
        lowest, highest = getattr(self, "min", None), getattr(self, "max", None)
        if lowest is not None and (value <= lowest if self.min_open else value < lowest):  # type: ignore[attr-defined]
            return False
        return not (
            highest is not None and (value >= highest if self.max_open else value > highest)  # type: ignore[attr-defined]
        )


class FloatIn(_Worded, click.FloatRange):
    """A finite number within the range (``nan`` and ``inf`` refused)."""

    convert = _Worded._convert_with(click.FLOAT)


class IntIn(_Worded, click.IntRange):
    """A whole number within the range."""

    convert = _Worded._convert_with(click.INT)


__all__ = ["FloatIn", "IntIn"]
