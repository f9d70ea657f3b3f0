# The production image: one image, three roles (web, worker, beat) chosen by the command.

# Browser libraries for the dashboard (Chart.js), at the versions package-lock.json pins; only their files are kept.
FROM node:20-slim AS static-libs
WORKDIR /libs
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund

FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 VAR_DIR=/app/var
WORKDIR /app

# Chromium for the PayShack portal client (PAYSHACK_MODE=portal), from Debian: Playwright never downloads one.
RUN apt-get update && apt-get install -y --no-install-recommends chromium \
    libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*
ENV PLAYWRIGHT_CHROMIUM_EXECUTABLE=/usr/bin/chromium

COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .
COPY --from=static-libs /libs/node_modules/chart.js/dist node_modules/chart.js/dist
# collectstatic needs settings to import; these two values exist only at build time.
RUN DEBUG=false SECRET_KEY=build-only python manage.py collectstatic --noinput \
    && useradd --system --home /app hub && mkdir -p /app/var && chown -R hub /app/var
USER hub

EXPOSE 8000
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "60", "--limit-request-line", "8190"]
