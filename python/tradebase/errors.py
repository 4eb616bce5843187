"""Database errors mapped to domain exceptions by SQLSTATE (app.error_codes is the catalogue).

Every code an app can receive has a class here; `translate` turns a psycopg error into it, keeping
the server's message, hint and the constraint name. tests/python/test_errors.py keeps this module,
app.error_codes and docs/errors.md in step.
"""

import psycopg


class TradebaseError(Exception):
    """A database error an app can act on. `sqlstate`, `hint` and `constraint` come from the server."""

    sqlstate: str | None = None

    def __init__(
        self,
        message: str,
        *,
        hint: str | None = None,
        detail: str | None = None,
        constraint: str | None = None,
        sqlstate: str | None = None,
    ):
        super().__init__(message)
        self.message = message
        self.hint = hint or None
        self.detail = detail or None
        self.constraint = constraint
        if sqlstate:
            self.sqlstate = sqlstate

    def __str__(self) -> str:
        return f'{self.message} (HINT: {self.hint})' if self.hint else self.message


class InvalidParameter(TradebaseError):
    sqlstate = '22023'


class CheckViolation(TradebaseError):
    sqlstate = '23514'


class NotAllowed(TradebaseError):
    sqlstate = '42501'


class NotFound(TradebaseError):
    sqlstate = 'P0002'


class SecurityInactive(TradebaseError):
    sqlstate = 'TB020'


class InvalidCredentials(TradebaseError):
    sqlstate = 'TB001'


class AccountLocked(TradebaseError):
    sqlstate = 'TB002'


class InvalidToken(TradebaseError):
    sqlstate = 'TB003'


class AccountDisabled(TradebaseError):
    sqlstate = 'TB004'


class WeakPassword(TradebaseError):
    sqlstate = 'TB005'


class DuplicateEmail(TradebaseError):
    sqlstate = 'TB006'


class DuplicateUsername(TradebaseError):
    sqlstate = 'TB007'


class NotAuthenticated(TradebaseError):
    sqlstate = 'TB008'


class PlatformAlreadyConnected(TradebaseError):
    sqlstate = 'TB009'


class ScopeMissing(TradebaseError):
    sqlstate = 'TB010'


class ContextDiscarded(TradebaseError):
    sqlstate = '55000'


class MfaAlreadyEnabled(TradebaseError):
    sqlstate = 'TB011'


class OrderIdempotencyConflict(TradebaseError):
    sqlstate = 'TB060'


class OrderNotOpen(TradebaseError):
    sqlstate = 'TB061'


class IllegalOrderTransition(TradebaseError):
    sqlstate = 'TB062'


class CorporateActionApplied(TradebaseError):
    sqlstate = 'TB064'


class InsufficientFunds(TradebaseError):
    sqlstate = 'TB040'


class UnbalancedJournal(TradebaseError):
    sqlstate = 'TB041'


class IdempotencyConflict(TradebaseError):
    sqlstate = 'TB042'


class AccountNotActive(TradebaseError):
    sqlstate = 'TB043'


class CurrencyMismatch(TradebaseError):
    sqlstate = 'TB044'


class AccountNameTaken(TradebaseError):
    sqlstate = 'TB045'


class SessionAlreadyOpen(TradebaseError):
    sqlstate = 'TB046'


class AccountKindMismatch(TradebaseError):
    sqlstate = 'TB047'


class IllegalFundTransition(TradebaseError):
    sqlstate = 'TB080'


class FundNotEmpty(TradebaseError):
    sqlstate = 'TB081'


class CrystallizationDateFixed(TradebaseError):
    sqlstate = 'TB082'


class FundStillManaged(TradebaseError):
    sqlstate = 'TB083'


class FundSharesHeld(TradebaseError):
    sqlstate = 'TB084'


def _all_subclasses(cls: type) -> list[type]:
    out = []
    for sub in cls.__subclasses__():
        out += [sub, *_all_subclasses(sub)]
    return out


def by_sqlstate() -> dict[str, type[TradebaseError]]:
    """Every exception class with a SQLSTATE, by that SQLSTATE."""
    return {c.sqlstate: c for c in _all_subclasses(TradebaseError) if c.sqlstate}


def translate(err: psycopg.Error) -> Exception:
    """The domain exception for a database error; errors outside the catalogue pass through unchanged."""
    cls = by_sqlstate().get(err.sqlstate or '')
    if cls is None:
        return err
    diag = err.diag
    return cls(
        diag.message_primary or str(err),
        hint=diag.message_hint,
        detail=diag.message_detail,
        constraint=diag.constraint_name,
        sqlstate=err.sqlstate,
    )
