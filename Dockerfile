# Production image: Debian 12's Python 3.11, WeasyPrint's Pango libraries, assets built with Node.
FROM python:3.11-slim-bookworm AS assets
RUN apt-get update && apt-get install -y --no-install-recommends nodejs npm && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY static/src static/src
COPY scripts scripts
RUN npm run build

FROM python:3.11-slim-bookworm
RUN apt-get update && apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation \
    && rm -rf /var/lib/apt/lists/*
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_SETTINGS_MODULE=commissioning.settings.production
WORKDIR /app
COPY pyproject.toml README.md ./
RUN pip install --no-cache-dir .
COPY . .
COPY --from=assets /app/static/build static/build
RUN useradd --create-home app && mkdir -p var/media var/audit-heads && chown -R app var
USER app
RUN SECRET_KEY=build DATABASE_URL=sqlite:////tmp/x REDIS_URL=redis://localhost ALLOWED_HOSTS=x \
    COMMISSIONING_BID_KEYS=build COMMISSIONING_AUDIT_KEYS=build COMMISSIONING_MFA_KEYS=build SITE_URL=https://build.invalid \
    python manage.py collectstatic --no-input -v 0
EXPOSE 8000
# Sync workers, each replaced after 1,000-1,100 requests, forked from a master that loaded and
# warmed the application once (deploy/gunicorn.conf.py).
CMD ["gunicorn", "-c", "deploy/gunicorn.conf.py", "--bind", "0.0.0.0:8000", "--workers", "3"]
