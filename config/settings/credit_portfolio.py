"""The credit portfolio (SPEC 13): the accounting system's FTP folder and who may see the portfolio."""

from config.env import env

# The FTP (FTPS with CREDIT_PORTFOLIO_FTP_TLS) folder the accounting exports are dropped into;
# the defaults point at the sandbox that `make run` starts.
CREDIT_PORTFOLIO_FTP_HOST = env.str("CREDIT_PORTFOLIO_FTP_HOST", default="127.0.0.1")
CREDIT_PORTFOLIO_FTP_PORT = env.int("CREDIT_PORTFOLIO_FTP_PORT", default=8703)
CREDIT_PORTFOLIO_FTP_USER = env.str("CREDIT_PORTFOLIO_FTP_USER", default="accounting")
CREDIT_PORTFOLIO_FTP_PASSWORD = env.str("CREDIT_PORTFOLIO_FTP_PASSWORD", default="sandbox-password")
CREDIT_PORTFOLIO_FTP_FOLDER = env.str("CREDIT_PORTFOLIO_FTP_FOLDER", default="/")
CREDIT_PORTFOLIO_FTP_TLS = env.bool("CREDIT_PORTFOLIO_FTP_TLS", default=False)
# FTPS verifies the server's certificate: against the system's CAs, or this PEM file (a private CA, or a
# self-signed server certificate).
CREDIT_PORTFOLIO_FTP_CA_FILE = env.str("CREDIT_PORTFOLIO_FTP_CA_FILE", default="")
# Managers of this department (a user's profile) see the portfolio; finance admins see it whatever
# their department. Compared without regard to case.
FINANCE_DEPARTMENT = env.str("FINANCE_DEPARTMENT", default="finance")
# The largest workbook a preview upload takes (POST /api/v1/credit-portfolio/imports/preview).
CREDIT_PORTFOLIO_PREVIEW_MAX_BYTES = env.int("CREDIT_PORTFOLIO_PREVIEW_MAX_BYTES", default=20_971_520)
