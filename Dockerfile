# CoachBot on Discord and/or Slack: slim image, non-root, knowledge baked in (mount over
# /app/knowledge to override).
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    COACHBOT_DATA_DIR=/data \
    COACHBOT_KNOWLEDGE_DIR=/app/knowledge

WORKDIR /app

RUN groupadd --system --gid 10001 coachbot \
    && useradd --system --uid 10001 --gid coachbot --home-dir /app --shell /usr/sbin/nologin coachbot \
    && install -d -m 0700 -o coachbot -g coachbot /data

# the locked, hash-checked dependencies first: this layer is rebuilt only when the lock changes
COPY requirements/run.lock requirements/
RUN pip install --no-cache-dir --require-hashes -r requirements/run.lock

# knowledge/ is part of the package (installed as coachbot/_knowledge), so it comes before the build
COPY pyproject.toml setup.py README.md ./
COPY coachbot ./coachbot
COPY cogs ./cogs
COPY slack_adapter ./slack_adapter
COPY knowledge ./knowledge
RUN pip install --no-cache-dir --no-deps --no-build-isolation .

USER 10001:10001
VOLUME ["/data"]
# only Slack's HTTP mode listens (COACHBOT_SLACK_PORT); Discord and Socket Mode connect out
EXPOSE 3000
CMD ["coachbot", "run"]
