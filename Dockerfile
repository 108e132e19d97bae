# mailadm image built with Docker. The Maven build makes an equivalent image without Docker
# (mailadm-dist/target/mailadm-image.tar, from scratch plus a jlink'd runtime; `docker load -i` it).
# This Dockerfile is NOT built in our CI (no Docker daemon there); see docs/install.md.
#
#   docker build -t mailadm .
#   docker run --rm -v $PWD/docker-data:/mailadm/docker-data --env-file .env mailadm mailadm init
#   docker run -d -p 3691:3691 -v $PWD/docker-data:/mailadm/docker-data --name mailadm mailadm
#   docker exec mailadm mailadm add-token oneday --expiry 1d --prefix tmp.
FROM eclipse-temurin:25-jdk AS build
WORKDIR /src
COPY . .
RUN ./mvnw -B -ntp -q package -DskipTests -Dspotless.check.skip=true -Dmailadm.image.skip=true -pl mailadm-dist -am

FROM eclipse-temurin:25-jre
COPY --from=build /src/mailadm-dist/target/mailadm-0.1.0-SNAPSHOT/mailadm-0.1.0-SNAPSHOT /opt/mailadm
COPY mailadm-dist/src/image/bin/docker-entrypoint /opt/mailadm/bin/docker-entrypoint
# Train the class-data archive now (into /opt/mailadm/cache), so no container start has to.
RUN chmod 0755 /opt/mailadm/bin/* \
 && /opt/mailadm/bin/mailadm --version \
 && mkdir -p /mailadm/docker-data && chown 1000:1000 /mailadm/docker-data
ENV MAILADM_DB=/mailadm/docker-data/mailadm.db \
    PATH=/opt/mailadm/bin:$PATH
WORKDIR /mailadm/docker-data
USER 1000:1000
EXPOSE 3691
ENTRYPOINT ["/opt/mailadm/bin/docker-entrypoint"]
