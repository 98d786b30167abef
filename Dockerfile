# syntax=docker/dockerfile:1.7
#
# casflow worker image: node --import tsx worker/main.ts, as uid 1000, with the SCONE CLI at
# /usr/local/bin/scone. The SCONE CLI is proprietary and is never fetched by this file; pick where
# it comes from with SCONE_CLI (docs/deploy.md, "The scone CLI in the image"):
#
#   none     (default) no CLI. The worker refuses to start: CASFLOW_SCONE_BIN names no executable.
#   image    copy it out of an image you may pull, e.g.
#              --build-arg SCONE_CLI=image \
#              --build-arg SCONE_CLI_IMAGE=registry.scontain.com/scone.cloud/sconecli:<version> \
#              --build-arg SCONE_CLI_PATH=<path of scone inside that image>
#   context  copy ./scone-cli/scone from the build context (a CLI you installed or extracted).
#
# No secret is baked in: kubeconfig, owner identities and DCAP keys reach the container at run time.

# Debian (glibc): the Temporal core bridge ships prebuilt binaries for linux-gnu only, not musl.
# Override with a digest-pinned reference for reproducible builds.
ARG NODE_IMAGE=node:24-bookworm-slim
ARG SCONE_CLI=none
ARG SCONE_CLI_IMAGE=scratch

# ---- production dependencies (tsx included: the worker runs TypeScript directly)
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# ---- where the scone CLI comes from; only the stage SCONE_CLI names is built
FROM ${SCONE_CLI_IMAGE} AS sconecli-image

FROM ${NODE_IMAGE} AS scone-cli-none
RUN mkdir /out

FROM ${NODE_IMAGE} AS scone-cli-image
ARG SCONE_CLI_PATH=/usr/local/bin/scone
COPY --from=sconecli-image ${SCONE_CLI_PATH} /out/scone

FROM ${NODE_IMAGE} AS scone-cli-context
COPY scone-cli/scone /out/scone

FROM scone-cli-${SCONE_CLI} AS scone-cli

# ---- runtime
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    CASFLOW_SCONE_BIN=/usr/local/bin/scone \
    SCONE_MODE=sim \
    SCONE_PRODUCTION=0
# SCONE_MODE=sim and SCONE_PRODUCTION=0 are what the kubectl-provision plugin runs its CLI with:
# the CLI runs outside an enclave; the CAS it talks to is still attested.

WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json package-lock.json tsconfig.json ./
COPY src ./src
COPY activities ./activities
COPY workflows ./workflows
COPY worker ./worker
COPY --from=scone-cli --chmod=0755 /out/ /usr/local/bin/

# The node image's "node" user. Numeric, so Kubernetes' runAsNonRoot can verify it. The app files
# stay root-owned: the worker cannot change its own code.
USER 1000:1000
ENTRYPOINT ["node", "--import", "tsx", "worker/main.ts"]
