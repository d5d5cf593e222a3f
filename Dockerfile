# syntax=docker/dockerfile:1
# check=skip=SecretsUsedInArgOrEnv
# AL-LAs Campus production image.
#   docker build -t allas-campus .
#   docker run -p 8000:8000 -e SECRET_KEY=... -e ALLOWED_HOSTS=... allas-campus
# compose.yaml adds PostgreSQL, Redis, migrations, the task worker and the scheduler.

ARG PYTHON_IMAGE=python:3.11-slim

# --- build: install the project (non-editable) into a venv, compile, collect static ----------
FROM ${PYTHON_IMAGE} AS build

ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    VIRTUAL_ENV=/opt/venv \
    PATH=/opt/venv/bin:$PATH

RUN python -m venv /opt/venv

WORKDIR /src
COPY . .
# setup.py maps site/ to the import name allas_site and ships templates/static/locale as
# package data, so the venv alone is the application; the checkout is not copied further.
RUN --mount=type=cache,target=/root/.cache/pip pip install .

# Dummy values: production settings refuse to load without them (the check directive above
# silences the linter about the name); nothing secret is built.
ARG SECRET_KEY=build-only-not-secret
ARG ALLOWED_HOSTS=localhost
ENV DJANGO_SETTINGS_MODULE=allas_site.settings.production \
    STATIC_ROOT=/app/var/static
# Run from /app as the runtime does, so everything is imported from the venv, not /src.
WORKDIR /app
RUN cp /src/manage.py /app/manage.py
# Translations compile into the installed package (LOCALE_PATHS points there). collectstatic
# must use the production settings: their manifest storage writes the staticfiles.json
# that the running server reads.
RUN SECRET_KEY="$SECRET_KEY" ALLOWED_HOSTS="$ALLOWED_HOSTS" python manage.py compile_translations \
 && SECRET_KEY="$SECRET_KEY" ALLOWED_HOSTS="$ALLOWED_HOSTS" python manage.py collectstatic --no-input

# --- runtime ------------------------------------------------------------------------------------
FROM ${PYTHON_IMAGE} AS runtime

ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    VIRTUAL_ENV=/opt/venv \
    PATH=/opt/venv/bin:$PATH \
    DJANGO_SETTINGS_MODULE=allas_site.settings.production \
    STATIC_ROOT=/app/var/static \
    MEDIA_ROOT=/app/var/media \
    SQLITE_PATH=/app/var/db/db.sqlite3

# Settings derive default paths from the installed package (site-packages), so every writable
# path above is set explicitly under /app/var.
RUN groupadd --system --gid 10001 allas \
 && useradd --system --uid 10001 --gid allas --home-dir /app --no-create-home \
        --shell /usr/sbin/nologin allas

WORKDIR /app
COPY --from=build /opt/venv /opt/venv
COPY --from=build /app/var/static /app/var/static
COPY manage.py ./
COPY --chmod=0755 scripts/serve-production.sh /app/scripts/serve-production.sh
# Created here so named volumes mounted on them start owned by the app user.
RUN mkdir -p /app/var/media /app/var/db \
 && chown allas:allas /app/var/media /app/var/db

USER allas:allas

EXPOSE 8000

# No curl in slim images; urlopen raises (exit 1) on a 503 or a refused connection.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"]

CMD ["/app/scripts/serve-production.sh"]
