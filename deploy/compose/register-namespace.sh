#!/bin/sh
# One-shot: wait for the Temporal frontend, then make sure the namespace and casflow's search
# attributes exist. Safe to run again: it creates only what is missing.
#
#   1. wait until `temporal operator cluster health` answers (at most WAIT_SECONDS, default 300)
#   2. create the namespace (default "default") with RETENTION (default 30d) unless it exists
#   3. register each search attribute of src/temporal/search-attributes.ts as Keyword unless listed
set -eu

address=${TEMPORAL_ADDRESS:?}
namespace=${CASFLOW_TEMPORAL_NAMESPACE:-default}
retention=${RETENTION:-30d}
wait_seconds=${WAIT_SECONDS:-300}
attributes='CasflowInstance CasflowNamespace CasflowOperation CasflowTargetVersion'

waited=0
until temporal operator cluster health --address "$address" >/dev/null 2>&1; do
  if [ "$waited" -ge "$wait_seconds" ]; then
    echo "casflow: Temporal at $address was not healthy after ${wait_seconds}s" >&2
    exit 1
  fi
  sleep 2
  waited=$((waited + 2))
done
echo "casflow: Temporal at $address is healthy"

if temporal operator namespace describe --address "$address" --namespace "$namespace" >/dev/null 2>&1; then
  echo "casflow: namespace $namespace exists"
else
  temporal operator namespace create --address "$address" --namespace "$namespace" --retention "$retention"
  echo "casflow: created namespace $namespace (retention $retention)"
fi

# A new namespace can take a moment to reach every frontend; listing retries until it answers.
tries=0
until existing=$(temporal operator search-attribute list --address "$address" --namespace "$namespace" 2>&1); do
  tries=$((tries + 1))
  if [ "$tries" -ge 30 ]; then
    printf '%s\n' "$existing" >&2
    exit 1
  fi
  sleep 2
done

for name in $attributes; do
  if printf '%s\n' "$existing" | grep -qw "$name"; then
    echo "casflow: search attribute $name exists"
  else
    temporal operator search-attribute create --address "$address" --namespace "$namespace" \
      --name "$name" --type Keyword
    echo "casflow: registered search attribute $name (Keyword)"
  fi
done
