"""Forecasts (SPEC 14): training window, backtest, the deployment gate, the API's limits."""

from config.env import env

# Days of actuals a model is trained on (two years: a year-ago feature for every training row of the second).
FORECAST_TRAINING_DAYS = env.int("FORECAST_TRAINING_DAYS", default=730)
# Weeks of rolling origins in the backtest (one origin a week), horizons 1..14 days.
FORECAST_BACKTEST_WEEKS = env.int("FORECAST_BACKTEST_WEEKS", default=8)
# A candidate is deployed only if its backtest MAPE is lower than the live model's by more than this share.
FORECAST_GATE_MARGIN = env.float("FORECAST_GATE_MARGIN", default=0.01)
# A series with fewer known days than this is answered by the seasonal-naive baseline, with a note.
FORECAST_MIN_HISTORY_DAYS = env.int("FORECAST_MIN_HISTORY_DAYS", default=56)
# The longest range one batch or comparison request may ask for, in days.
FORECAST_MAX_RANGE_DAYS = env.int("FORECAST_MAX_RANGE_DAYS", default=31)
# Days ahead the nightly job stores forecasts for (the accuracy log compares them with actuals later).
FORECAST_STORE_DAYS = env.int("FORECAST_STORE_DAYS", default=14)
