"""The credit portfolio's declaration: accounting exports from the FTP folder, into the portfolio sink."""

from common.sources import Schedule, SourceDeclaration, register
from credit_portfolio.choices import SOURCE_NAME
from credit_portfolio.sinks import PORTFOLIO_SINK


def ftp_settings():
    from django.conf import settings

    from credit_portfolio.client import FtpSettings

    return FtpSettings(host=settings.CREDIT_PORTFOLIO_FTP_HOST, port=settings.CREDIT_PORTFOLIO_FTP_PORT,
                       user=settings.CREDIT_PORTFOLIO_FTP_USER, password=settings.CREDIT_PORTFOLIO_FTP_PASSWORD,
                       folder=settings.CREDIT_PORTFOLIO_FTP_FOLDER, tls=settings.CREDIT_PORTFOLIO_FTP_TLS,
                       ca_file=settings.CREDIT_PORTFOLIO_FTP_CA_FILE)


def _source(mode: str = ""):
    from credit_portfolio.sync import PortfolioSource

    return PortfolioSource(ftp_settings())


def _normalizer():
    from credit_portfolio.normalizer import normalize_record

    return normalize_record, {}


def _record_id(raw) -> str:
    from credit_portfolio.normalizer import record_id

    return record_id(raw)


CREDIT_PORTFOLIO = register(SourceDeclaration(
    name=SOURCE_NAME, label="Credit portfolio (FTP)", listed=20, source=_source, normalizer=_normalizer,
    sink=PORTFOLIO_SINK, settings=ftp_settings, record_id=_record_id,
    sync=Schedule(crontab="0 6 * * *", timezone="Europe/Moscow",
                  description="Accounting exports from the FTP folder (SPEC 13: daily at 06:00 Moscow time)."),
))
