# celery-pgmq as a container image: the same runnable jar ./celery-pgmq builds, on a JRE.
#   docker build -t celery-pgmq:local .
#   export CELERY_PGMQ_DATABASE_URL=...   # the postgresql:// URL with its password, from your secret store
#   docker run --rm -e CELERY_PGMQ_DATABASE_URL celery-pgmq:local pgmq status
# Connection URLs (and their passwords) come from the environment at run time, never from the image.

FROM eclipse-temurin:17 AS build
# The project's mvnw fetches the pinned Maven by its coordinates from this repository when no Maven is installed.
ENV MVNW_REPOURL=https://repo.maven.apache.org/maven2
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl unzip \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY mvnw pom.xml ./
COPY config config
COPY testkit testkit
COPY bridge bridge
COPY shadow-verifier shadow-verifier
COPY replay replay
COPY cli cli
COPY benchmarks benchmarks
# clean: target/ directories copied from a developer's tree must not leak into the image's jar.
RUN chmod +x mvnw && ./mvnw -B -DskipTests -Dspotless.check.skip=true clean package -pl cli -am

FROM eclipse-temurin:17-jre
RUN useradd --create-home --uid 10001 celerypgmq
COPY --from=build /src/cli/target/celery-pgmq.jar /opt/celery-pgmq/celery-pgmq.jar
USER celerypgmq
WORKDIR /home/celerypgmq
EXPOSE 9808
ENTRYPOINT ["java", "-jar", "/opt/celery-pgmq/celery-pgmq.jar"]
CMD ["--help"]
