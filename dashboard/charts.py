"""The trend chart's data: the trend selector's points turned into labels and series for Chart.js."""

from zoneinfo import ZoneInfo


def trend_chart(points: list[dict], *, tz: ZoneInfo, granularity: str) -> dict:
    """Labels in the period's time zone, and per point the successful, failed and other transactions.

    Counts only: amounts of several currencies have no common axis, and the KPI cards give them exactly.
    """
    label = "%m-%d %H:00" if granularity == "hour" else "%Y-%m-%d"
    return {
        "labels": [point["timestamp"].astimezone(tz).strftime(label) for point in points],
        "success": [point["success_count"] for point in points],
        "failed": [point["failed_count"] for point in points],
        "other": [point["count"] - point["success_count"] - point["failed_count"] for point in points],
    }


def forecast_chart(data: dict) -> dict:
    """Labels and the actual, forecast, lower and upper lines (numbers as text, digit for digit)."""

    def text(value):
        return None if value is None else str(value)

    rows = data["rows"]
    return {
        "series": data["series"], "labels": [row["day"].isoformat() for row in rows],
        "actual": [text(row["actual"]) for row in rows], "predicted": [text(row["predicted"]) for row in rows],
        "lower": [text(row["lower"]) for row in rows], "upper": [text(row["upper"]) for row in rows],
    }
