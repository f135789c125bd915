FROM python:3.12-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY pyproject.toml README.md ./
COPY pixorga pixorga
COPY accounts accounts
COPY profiles profiles
COPY students students
COPY campaigns campaigns
COPY templates templates
COPY static static
COPY manage.py ./
RUN pip install --no-cache-dir . && DEBUG=0 SECRET_KEY=build-only python manage.py collectstatic --noinput
EXPOSE 8000
CMD ["sh", "-c", "python manage.py migrate --noinput && gunicorn pixorga.wsgi --bind 0.0.0.0:8000 --workers 3 --access-logfile -"]
