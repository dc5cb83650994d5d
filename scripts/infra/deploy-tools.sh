#!/usr/bin/env bash
# The deployment tests' tools, built on a fresh machine when missing (issue 14, docs/adr/0018):
#   helm, kubeconform and docker compose (for `docker compose config`; there is no Docker engine)
#   from the Go module proxy at pinned versions, and the JSON schemas of Kubernetes' own objects,
#   made offline from the k8s.io/kubernetes module's OpenAPI document (kubeconform cannot download
#   its schemas here: no network beyond package registries).
# Everything goes to $NAZORG_DATA_DIR/tools (default .data/tools); the first run takes minutes.
# Prints, on stdout:
#   HELM=<path>  KUBECONFORM=<path>  DOCKER_COMPOSE=<path>  K8S_SCHEMAS=<dir>  K8S_VERSION=<x.y.z>
source "$(dirname "$0")/lib.sh"

HELM_VERSION="${NAZORG_HELM_VERSION:-v3.22.0}"
KUBECONFORM_VERSION="${NAZORG_KUBECONFORM_VERSION:-v0.8.0}"
COMPOSE_VERSION="${NAZORG_COMPOSE_VERSION:-v2.40.3}"
# The Kubernetes version whose schemas the chart is validated against.
K8S_VERSION="${NAZORG_K8S_VERSION:-1.35.4}"
TOOLS="$DATA_DIR/tools"
mkdir -p "$TOOLS"

# Go's own install location, for a shell whose PATH lacks it.
command -v go >/dev/null || export PATH="$PATH:/usr/local/go/bin"
command -v go >/dev/null || {
  log "Go is needed to build helm and kubeconform (go 1.24 or newer)"
  exit 1
}

# A binary per version, so a pinned version change rebuilds it.
go_tool() { # name module version
  local bin="$TOOLS/$1-$3"
  if [ ! -x "$bin" ]; then
    log "building $1 $3 from the Go module proxy (once; a few minutes)" >&2
    local gobin
    gobin="$(mktemp -d)"
    GOBIN="$gobin" GOFLAGS=-buildvcs=false go install -ldflags '-s -w' "$2@$3" >&2
    mv "$gobin/$1" "$bin"
    rmdir "$gobin"
  fi
  echo "$bin"
}

helm="$(go_tool helm helm.sh/helm/v3/cmd/helm "$HELM_VERSION")"
kubeconform="$(go_tool kubeconform github.com/yannh/kubeconform/cmd/kubeconform "$KUBECONFORM_VERSION")"

# docker compose's go.mod has replace and exclude directives, which `go install pkg@version` refuses:
# build it inside its own module, downloaded (with its checksum verified) by `go mod download`.
compose="$TOOLS/docker-compose-$COMPOSE_VERSION"
if [ ! -x "$compose" ]; then
  log "building docker compose $COMPOSE_VERSION from the Go module proxy (once; a few minutes)" >&2
  src="$(go mod download -json "github.com/docker/compose/v2@$COMPOSE_VERSION" | node -e '
    let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => console.log(JSON.parse(s).Dir));')"
  build="$(mktemp -d)"
  cp -r "$src/." "$build"
  chmod -R u+w "$build"
  (cd "$build" && GOFLAGS=-buildvcs=false go build -ldflags "-s -w -X github.com/docker/compose/v2/internal.Version=$COMPOSE_VERSION" -o "$compose.tmp" ./cmd) >&2
  mv "$compose.tmp" "$compose"
  rm -rf "$build"
fi

schemas="$TOOLS/kubernetes-json-schema/v$K8S_VERSION-standalone-strict"
if [ ! -s "$schemas/deployment-apps-v1.json" ]; then
  log "making the Kubernetes $K8S_VERSION JSON schemas (k8s.io/kubernetes module, api/openapi-spec)" >&2
  dir="$(go mod download -json "k8s.io/kubernetes@v$K8S_VERSION" | node -e '
    let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => console.log(JSON.parse(s).Dir));')"
  tmp="$schemas.tmp.$$"
  rm -rf "$tmp"
  node "$REPO_ROOT/scripts/infra/k8s-json-schemas.js" "$dir/api/openapi-spec/swagger.json" "$tmp" >&2
  rm -rf "$schemas"
  mv "$tmp" "$schemas"
fi

echo "HELM=$helm"
echo "KUBECONFORM=$kubeconform"
echo "DOCKER_COMPOSE=$compose"
echo "K8S_SCHEMAS=$schemas"
echo "K8S_VERSION=$K8S_VERSION"
