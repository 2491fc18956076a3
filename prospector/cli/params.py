"""Parameter types that bound what a user types before it reaches a service.

Click's ``int`` takes any Python integer and its ``float`` takes ``nan`` and
``inf``; SQLite stores 64-bit integers and a timeout of ``nan`` means nothing.
These types refuse such values while parsing, with the parameter's name and the
allowed range, so a bad number is a usage error (one line, exit 1), never an
``OverflowError`` from deep inside a query.
"""

from __future__ import annotations

import math
import re
from typing import Any

import click

from prospector.foundations.errors import ProspectorError
from prospector.foundations.limits import ID_RANGE, MAX_ID, check_rep_name, parse_id


class IdType(click.ParamType):
    """A row id: a whole number from 1 to 2**63 - 1 (SQLite's largest rowid)."""

    name = "ID"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= MAX_ID:
            return value
        parsed = parse_id(str(value))
        if parsed is None:
            self.fail(f"{str(value)[:40]!r} is not an id (expected {ID_RANGE})", param, ctx)
        return parsed


ID = IdType()


class FiniteRange(click.FloatRange):
    """A :class:`click.FloatRange` that also refuses ``nan`` (which compares as in range)."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        number = super().convert(value, param, ctx)
        if math.isnan(number):
            self.fail(f"{value!r} is not a number ({self._describe_range()})", param, ctx)
        return number


def rep_name(ctx: click.Context, param: click.Parameter, value: str) -> str:
    """Click callback for ``--rep``: a usable name (see :func:`.limits.check_rep_name`)."""
    try:
        return check_rep_name(value)
    except ProspectorError as error:
        raise click.BadParameter(str(error), ctx, param) from None


_NEGATIVE_NUMBER = re.compile(r"-[0-9.]+")


def usage_message(error: click.UsageError) -> tuple[str, int]:
    """A usage error as one line naming the argument, and its exit status.

    A bad value (an id past 64 bits, a timeout of ``nan``) is a user's error like
    any other: status 1. A command line click cannot parse at all (an unknown
    command or option, a missing argument's place) keeps click's status 2.

    A negative number given for an id (``log -5 ...``) reaches click's parser as an
    unknown option ``-5``; it is reported as the bad value of the command's first
    id argument, with the allowed range, status 1.
    """
    if isinstance(error, click.NoSuchOption) and _NEGATIVE_NUMBER.fullmatch(error.option_name):
        command = error.ctx.command if error.ctx else None
        for param in command.params if command else ():
            if isinstance(param, click.Argument) and isinstance(param.type, IdType):
                name = param.human_readable_name
                return (
                    f"Invalid value for {name!r}: {error.option_name!r} is not an id"
                    f" (expected {ID_RANGE})"
                ), 1
    message = " ".join(error.format_message().split())
    return message, 1 if isinstance(error, click.BadParameter) else 2
