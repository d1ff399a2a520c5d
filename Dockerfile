# Empowerer: `empowerer serve` on 0.0.0.0:8000 as a non-root user, SQLite in /data by default.
FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY server ./server
COPY frameworks ./frameworks
COPY scenarios ./scenarios
COPY web ./web
RUN pip wheel --no-cache-dir --wheel-dir /wheels .

FROM python:3.11-slim
RUN useradd --create-home --uid 10001 empowerer && mkdir /data && chown empowerer /data
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir /wheels/*.whl && rm -rf /wheels
USER empowerer
ENV EMPOWERER_DB_URL=sqlite:////data/empowerer.db \
    PYTHONUNBUFFERED=1
VOLUME ["/data"]
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/api/health')"
CMD ["empowerer", "serve", "--host", "0.0.0.0", "--port", "8000"]
