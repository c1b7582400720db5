# dcgrid: one image for the API and dashboard (`dcgrid serve`, the default command) and for the
# jobs (`dcgrid ingest|train|pipeline|...`). Build:
#   docker build -t dcgrid/dcgrid:0.1.0 .                      # on node:20-bookworm-slim (Docker Hub)
#   docker build --network host --build-arg BASE_IMAGE=dcgrid/node:20-bookworm-local -t ... .
#                                                            # offline stand-in: deploy/images/build-local.sh
# Debian packages and npm steps come from scripts/install-deps.sh and scripts/debian-packages.txt,
# the same script and list scripts/setup.sh (and so CI) uses.
ARG BASE_IMAGE=node:20-bookworm-slim

FROM ${BASE_IMAGE} AS build
WORKDIR /app
ENV NPM_CONFIG_UPDATE_NOTIFIER=false NPM_CONFIG_FUND=false NPM_CONFIG_AUDIT=false
COPY scripts/install-deps.sh scripts/debian-packages.txt scripts/
COPY package.json package-lock.json ./
# Extra CAs (deploy/build-ca/*.crt) are trusted for this step only, for TLS-intercepting proxies.
COPY deploy/build-ca/ /tmp/build-ca/
RUN set -e; \
    if ls /tmp/build-ca/*.crt >/dev/null 2>&1; then \
      cat /tmp/build-ca/*.crt > /tmp/build-ca.pem; export NODE_EXTRA_CA_CERTS=/tmp/build-ca.pem; \
    fi; \
    bash scripts/install-deps.sh npm
COPY . .
# web/dist: the built dashboard, when the build makes one (served by `dcgrid serve`). Then only
# what runs: no dev packages, source maps (about 200 MB) or type declarations, and koffi's native
# library for this platform only.
RUN npm run build && mkdir -p web/dist && npm prune --omit=dev \
 && find node_modules -type f \( -name '*.map' -o -name '*.d.ts' -o -name '*.d.mts' -o -name '*.d.cts' \) -delete \
 && koffi=node_modules/koffi/build/koffi \
 && if [ -d "$koffi/linux_$(node -p process.arch)" ]; then \
      find "$koffi" -mindepth 1 -maxdepth 1 ! -name "linux_$(node -p process.arch)" -exec rm -rf {} +; \
    fi \
 && rm -rf /root/.npm /tmp/build-ca /tmp/build-ca.pem

FROM ${BASE_IMAGE}
COPY scripts/install-deps.sh scripts/debian-packages.txt /app/scripts/
RUN bash /app/scripts/install-deps.sh apt runtime && rm -rf /var/lib/apt/lists/* /var/cache/apt/archives/*.deb
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/bin bin
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/dist dist
COPY --from=build /app/web/dist web/dist
# The base image's unprivileged `node` user (uid 1000) owns the state folder, nothing else.
RUN ln -s /app/bin/dcgrid.js /usr/local/bin/dcgrid && mkdir -p /data && chown 1000:1000 /data
ARG DCGRID_GIT_COMMIT=
ENV NODE_ENV=production \
    DCGRID_HOME=/data \
    DCGRID_GIT_COMMIT=${DCGRID_GIT_COMMIT} \
    API_HOST=0.0.0.0 \
    API_PORT=8080 \
    OMP_WAIT_POLICY=PASSIVE
USER 1000:1000
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=20s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.API_PORT}/healthz`).then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["dcgrid"]
CMD ["serve"]
