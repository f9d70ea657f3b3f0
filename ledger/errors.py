"""The ledger's refusals: the project error type with the rule that refused in ``details["rule"]``.

The envelope's ``code`` stays one of the project's codes (its HTTP status follows from it); the rule
(``SOD_SAME_USER``, ``PERIOD_LOCKED``, ``UNBALANCED`` …) is both the first word of the message and
``details.rule``, so people and programs see which rule refused.
"""

from common.errors import ApplicationError, ErrorCode

# rule → the envelope code it travels under
RULES = {
    # bad input (400)
    "UNBALANCED": ErrorCode.VALIDATION_ERROR,
    "EMPTY_VOUCHER": ErrorCode.VALIDATION_ERROR,
    "LINE_BOTH_SIDES": ErrorCode.VALIDATION_ERROR,
    "LINE_NO_AMOUNT": ErrorCode.VALIDATION_ERROR,
    "NEGATIVE_AMOUNT": ErrorCode.VALIDATION_ERROR,
    "INACTIVE_ACCOUNT": ErrorCode.VALIDATION_ERROR,
    "NO_DIRECT_POSTING": ErrorCode.VALIDATION_ERROR,
    "UNKNOWN_ACCOUNT": ErrorCode.VALIDATION_ERROR,
    "UNKNOWN_JOURNAL": ErrorCode.VALIDATION_ERROR,
    "UNKNOWN_CURRENCY": ErrorCode.VALIDATION_ERROR,
    "CURRENCY_MISMATCH": ErrorCode.VALIDATION_ERROR,
    "ALREADY_POSTED": ErrorCode.VALIDATION_ERROR,
    "ALREADY_REVERSED": ErrorCode.VALIDATION_ERROR,
    "NOT_POSTED": ErrorCode.VALIDATION_ERROR,
    "WRONG_STATUS": ErrorCode.VALIDATION_ERROR,
    "PERIOD_HAS_DRAFTS": ErrorCode.VALIDATION_ERROR,
    "REASON_REQUIRED": ErrorCode.VALIDATION_ERROR,
    "RULE_TIE": ErrorCode.VALIDATION_ERROR,
    "UNKNOWN_ID": ErrorCode.NOT_FOUND,
    # who may do it (403)
    "SOD_SAME_USER": ErrorCode.PERMISSION_DENIED,
    "ROLE_REQUIRED": ErrorCode.PERMISSION_DENIED,
    "PERIOD_CLOSED": ErrorCode.PERMISSION_DENIED,
    # the state of the books (409)
    "PERIOD_LOCKED": ErrorCode.CONFLICT,
    "POSTING_BUSY": ErrorCode.CONFLICT,
}


class LedgerError(ApplicationError):
    """A refusal by the ledger; ``rule`` names the rule that refused, ``details`` the offending item."""

    def __init__(self, rule: str, message: str, **details):
        super().__init__(f"{rule}: {message}", code=RULES[rule], details={"rule": rule, **details})
        self.rule = rule


def refusals_documented() -> dict:
    """The ``common.api.schema.answers`` keywords of a ledger write: its 400 and 409, naming the rules."""
    def named(code):
        return ", ".join(rule for rule, its in RULES.items() if its == code)

    return {"invalid": "The body is invalid (the message names the field), or a ledger rule refused it: "
                       f"details.rule names the rule ({named(ErrorCode.VALIDATION_ERROR)}).",
            "conflict": f"The state of the books refused it: details.rule is {named(ErrorCode.CONFLICT)}."}
