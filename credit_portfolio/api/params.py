"""Query parameters of /api/v1/credit-portfolio/…: one declaration for the server's parsing and the OpenAPI
schema."""

from rest_framework import serializers

from common.api.pagination import PageParams
from common.api.params import ChoiceParam, DateParam, IdParam, date_order
from credit_portfolio import selectors

EXPORT_FORMATS = ("xlsx", "pdf")


class PortfolioParams(serializers.Serializer):
    """The filters of every answer: ``from`` and ``to`` (either end open), an organization, bank, contract."""

    # ``from`` is a Python keyword: the two dates are declared by name.
    locals().update({
        "from": DateParam(help_text="first day (default: the first operation)"),
        "to": DateParam(help_text="last day, inclusive (default: the last operation)"),
    })
    organization = IdParam(help_text="an organization's id")
    bank = IdParam(help_text="a bank's id")
    contract = IdParam(help_text="a contract's id")

    def validate(self, attrs):
        date_order(attrs.get("from"), attrs.get("to"), names=("from", "to"))
        return attrs


class ContractsParams(PortfolioParams, PageParams):
    """The contracts answer is paged."""


class ExportParams(PortfolioParams):
    answer = ChoiceParam(list(selectors.ANSWERS), required=True)
    format = ChoiceParam(list(EXPORT_FORMATS), required=True)


def portfolio_query(asked: dict) -> selectors.PortfolioQuery:
    return selectors.PortfolioQuery(asked.get("from"), asked.get("to"), asked.get("organization"), asked.get("bank"),
                                    asked.get("contract"))
