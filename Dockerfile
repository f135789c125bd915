# The image of every process of docker-compose.yml: web (gunicorn), migrate, Celery worker and beat.
FROM python:3.12-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY pyproject.toml README.md ./
COPY pixorga pixorga
COPY accounts accounts
COPY profiles profiles
COPY students students
COPY campaigns campaigns
COPY evaluation evaluation
RUN pip install --no-cache-dir .
COPY templates templates
COPY static static
COPY manage.py gunicorn.conf.py ./
# Hashed, compressed static files for WhiteNoise; the key only lets the settings load during the build.
RUN DEBUG=0 SECRET_KEY=collectstatic-only-not-a-secret python manage.py collectstatic --noinput
# The roster uploads wait in /app/media for the worker (a volume shared by web and worker in compose).
RUN useradd --system --uid 10001 --no-create-home pixorga && mkdir -p /app/media && chown pixorga /app/media
USER pixorga
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=5s --retries=3 \
  CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4).status != 200)"]
CMD ["gunicorn", "pixorga.wsgi", "--config", "gunicorn.conf.py"]
