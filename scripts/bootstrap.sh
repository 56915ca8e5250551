#!/usr/bin/env bash
# A local cluster running everything in git: creates a kind or k3d cluster (whichever is installed), installs
# Argo CD (server-side apply), waits for it, gives the Gateway a self-signed certificate, applies the root
# Application (gitops/root) and prints how to reach Argo CD, Grafana and the service. Argo CD then installs the
# rest from the repository, Envoy Gateway (the edge) and the admission policy included.
# Idempotent: an existing cluster is reused and every manifest is applied again (server-side).
# Usage: scripts/bootstrap.sh [--dry-run] [options]      (see usage below)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/token.sh
. scripts/lib/environments.sh

wait_timeout=600s
# The Gateway's certificate (gitops/gateway/gateway.yaml): a cluster-provided Secret, never in git.
tls_namespace=gateway tls_secret=users-api-tls

usage() {
  cat <<'USAGE'
usage: scripts/bootstrap.sh [--dry-run] [--provider kind|k3d] [--name NAME] [--http-port PORT]
                            [--https-port PORT] [--repo URL] [--revision REV] [--image REF] [--load-image]
  --dry-run         print the plan (tools found, commands, the root Application as it will be applied)
  --provider P      kind or k3d (default: kind if installed, else k3d)
  --name NAME       cluster name (default users-api; kubectl context kind-NAME or k3d-NAME)
  --http-port PORT  local port for the Gateway's HTTP (default 8080), --https-port HTTPS (8443): the ports of
                    the printed port-forward (and of k3d's load balancer, for a Gateway exposed as LoadBalancer)
  --repo URL        let Argo CD deploy from URL instead of gitops/repository/repository.yaml's (a fork, CI)
  --revision REV    the branch, tag or commit to deploy (default: the revision in that file)
  --image REF       users-api-dev and users-api-prod run REF (same repository as the overlays' image, e.g.
                    a locally built tag) instead of the pinned image
  --load-image      copy REF from the local container engine into the cluster (kind load / k3d image import).
                    No registry has REF and no CI signed it, so the admission policy cannot verify it: the
                    users-* namespaces of this cluster are not opted in to it (label policy.sigstore.dev/include
                    "false" through the Applications' overrides); the e2e checks admission in its own namespace
Needs: docker (or podman for kind), kubectl, openssl, and kind or k3d; network access to the cluster's images
and to GitHub (the pinned upstream manifests and the repository Argo CD deploys from).
USAGE
}

die() { echo "error: $*" >&2; exit 1; }
bad_usage() { echo "error: $*" >&2; usage >&2; exit 2; }

dry_run=0 provider="" name=users-api http_port=8080 https_port=8443 repo="" revision="" image="" load_image=0
while [ $# -gt 0 ]; do
  case $1 in
    -h|--help) usage; exit 0 ;;
    --dry-run) dry_run=1 ;;
    --load-image) load_image=1 ;;
    --provider|--name|--http-port|--https-port|--repo|--revision|--image)
      if [ $# -lt 2 ] || [ -z "$2" ] || [[ $2 == -* ]]; then bad_usage "$1 needs a value"; fi
      case $1 in
        --provider) provider=$2 ;;
        --name) name=$2 ;;
        --http-port) http_port=$2 ;;
        --https-port) https_port=$2 ;;
        --repo) repo=$2 ;;
        --revision) revision=$2 ;;
        --image) image=$2 ;;
      esac
      shift ;;
    *) bad_usage "unknown argument '$1'" ;;
  esac
  shift
done
case $provider in ""|kind|k3d) ;; *) bad_usage "--provider must be kind or k3d, not '$provider'" ;; esac
[[ $name =~ ^[a-z0-9]([a-z0-9-]{0,30}[a-z0-9])?$ ]] || bad_usage "--name must be a DNS label (lower-case letters, digits, -)"
for port in "$http_port" "$https_port"; do
  if ! [[ $port =~ ^[0-9]+$ ]] || [ "$port" -lt 1 ] || [ "$port" -gt 65535 ]; then bad_usage "'$port' is not a TCP port"; fi
done
[ -z "$repo" ] || [[ $repo =~ ^https://[A-Za-z0-9._~:/@%+-]+$ ]] || bad_usage "--repo must be an https URL, not '$repo'"
[ -z "$revision" ] || [[ $revision =~ ^[A-Za-z0-9._/-]+$ ]] || bad_usage "--revision '$revision' is not a branch, tag or commit"
[ -z "$image" ] || [[ $image =~ ^[a-z0-9][a-z0-9./_:@-]*$ ]] || bad_usage "--image '$image' is not an image reference"
[ "$load_image" = 0 ] || [ -n "$image" ] || bad_usage "--load-image needs --image REF"

# --- what is installed -----------------------------------------------------------------------------------------
has() { command -v "$1" >/dev/null 2>&1; }
missing=()
if [ -z "$provider" ]; then
  if has kind; then provider=kind; elif has k3d; then provider=k3d; fi
fi
if [ -z "$provider" ]; then
  missing+=("kind or k3d (https://kind.sigs.k8s.io or https://k3d.io; either creates the local cluster)")
elif ! has "$provider"; then
  missing+=("$provider (asked for with --provider)")
fi
has kubectl || missing+=("kubectl 1.27 or newer")
has openssl || missing+=("openssl (the Gateway's self-signed certificate)")
engine=docker
if [ "$provider" = kind ] && ! has docker && has podman; then engine=podman; fi
has "$engine" || missing+=("docker (kind and k3d run the cluster's nodes as containers${provider:+; kind also works with podman})")
context="${provider:-kind}-$name"

# --- the root Application, with the overrides --------------------------------------------------------------------
# Fields of every object of a rendered stream (stdin), one line per object, as JSONPATH prints them. kubectl reads
# the YAML itself: `patch --local` with an empty merge patch changes nothing and reaches no cluster.
fields_of() { # jsonpath
  kubectl patch --local -f - --type merge -p '{}' -o "jsonpath=$1{\"\\n\"}"
}

# "Kind name path" per object of a rendered stream (path: spec.source.path, empty if none).
objects_of() { fields_of '{.kind} {.metadata.name} {.spec.source.path}'; }

overlay_image() { # the image the overlays deploy (their Deployments' containers, without tag or digest)
  local names env
  names=$(for env in $(environments); do
    kubectl kustomize "overlays/$env" | fields_of '{.kind} {.spec.template.spec.containers[*].image}' |
      awk '$1 == "Deployment" { for (i = 2; i <= NF; i++) print $i }'
  done | sed 's/[:@].*//' | sort -u)
  [ -n "$names" ] || die "the overlays deploy no image: --image has nothing to replace"
  [ "$(printf '%s\n' "$names" | wc -l)" -eq 1 ] || die "the overlays deploy different images ($(printf '%s' "$names" | tr '\n' ' ')): --image cannot tell which to replace"
  printf '%s\n' "$names"
}

# JSON text of a JSON-patch operation list; every value was validated to hold no quote or backslash.
ops_json() { # "op path value"... (value may be a JSON object, given as {...})
  local out="" op path value
  for spec in "$@"; do
    read -r op path value <<<"$spec"
    [[ $value == \{* || $value == \[* ]] || value="\"$value\""
    out+="${out:+,}{\"op\":\"$op\",\"path\":\"$path\",\"value\":$value}"
  done
  printf '[%s]' "$out"
}

# A JSON string holding JSON text (Argo CD's kustomize.patches[].patch is a string).
json_string() { printf '"%s"' "${1//\"/\\\"}"; }

# What the root Application renders: gitops/apps, plus prod's component when --revision deploys a commit under test
# (prod otherwise joins with its first release, scripts/lib/release.sh).
apps_render() {
  if [ -n "$revision" ]; then
    mkdir -p "$work/apps-with-prod"
    printf 'resources:\n  - ../../apps\ncomponents:\n  - ../../apps/prod\n' >"$work/apps-with-prod/kustomization.yaml"
    kubectl kustomize "$work/apps-with-prod"
  else
    kubectl kustomize gitops/apps
  fi
}

# Writes into $1 (a folder in gitops/) a kustomization that renders gitops/root with the overrides. The children's
# patches use "add", which also sets a field the component's objects do not have yet: Argo CD appends a component
# after gitops/apps' own, where the repository component's replacements no longer reach it.
write_root() {
  local dir=$1 root_ops=() children=() apps ops=() kustomize_extra=""
  [ -z "$repo" ] || { ops+=("add /spec/source/repoURL $repo"); root_ops+=("replace /spec/source/repoURL $repo"); }
  [ -z "$revision" ] || { ops+=("add /spec/source/targetRevision $revision"); root_ops+=("replace /spec/source/targetRevision $revision"); }
  if [ ${#ops[@]} -gt 0 ]; then
    apps=$(apps_render | objects_of | awk '$1 == "Application" { print $2 }' | paste -sd'|')
    children+=("{\"target\":{\"group\":\"argoproj.io\",\"kind\":\"Application\",\"name\":\"$apps\"},\"patch\":$(json_string "$(ops_json "${ops[@]}")")}")
  fi
  if [ -n "$repo" ]; then
    local projects
    projects=$(apps_render | objects_of | awk '$1 == "AppProject" && $2 != "default" { print $2 }' | paste -sd'|')
    children+=("{\"target\":{\"group\":\"argoproj.io\",\"kind\":\"AppProject\",\"name\":\"$projects\"},\"patch\":$(json_string "$(ops_json "add /spec/sourceRepos [\"$repo\"]")")}")
  fi
  # A commit under test runs in every environment: prod too, at that commit instead of a release.
  [ -z "$revision" ] || kustomize_extra=',"components":["prod"]'
  if [ -n "$image" ]; then
    local pinned services
    pinned=$(overlay_image)
    [ "${image%%[:@]*}" = "$pinned" ] || die "--image $image is not of $pinned, the image the overlays pin"
    services=$(apps_render | objects_of | awk '$1 == "Application" && $3 ~ /^overlays\// { print $2 }' | paste -sd'|')
    local kustomize="{\"images\":[\"$pinned=$image\"]}"
    # A loaded image is in no registry and signed by no CI: its namespaces leave the admission policy (the label
    # overrides the overlays' opt-in; labelWithoutSelector keeps selectors and pod templates as they are).
    [ "$load_image" = 0 ] ||
      kustomize="{\"images\":[\"$pinned=$image\"],\"commonLabels\":{\"policy.sigstore.dev/include\":\"false\"},\"labelWithoutSelector\":true}"
    children+=("{\"target\":{\"group\":\"argoproj.io\",\"kind\":\"Application\",\"name\":\"$services\"},\"patch\":$(json_string "$(ops_json "add /spec/source/kustomize $kustomize")")}")
  fi
  if [ ${#children[@]} -gt 0 ]; then
    # Argo CD applies these to what the root app renders (gitops/apps): the children follow the overrides.
    local list
    list=$(IFS=,; printf '%s' "${children[*]}")
    root_ops+=("add /spec/source/kustomize {\"patches\":[$list]$kustomize_extra}")
  fi
  {
    echo "resources:"
    echo "  - ../root" # $dir is a sibling of gitops/root: kustomize takes no absolute path
    if [ ${#root_ops[@]} -gt 0 ]; then
      echo "patches:"
      echo "  - target: {group: argoproj.io, kind: Application, name: root}"
      echo "    patch: '$(ops_json "${root_ops[@]}")'"
      if [ -n "$repo" ]; then
        echo "  - target: {group: argoproj.io, kind: AppProject, name: root}"
        echo "    patch: '$(ops_json "replace /spec/sourceRepos/0 $repo")'"
      fi
    fi
  } >"$dir/kustomization.yaml"
}

cluster_exists() {
  case $provider in
    kind) kind get clusters 2>/dev/null | grep -qx "$name" ;;
    k3d) k3d cluster get "$name" >/dev/null 2>&1 ;;
  esac
}

# serverTLSBootstrap: the kubelets ask the cluster CA for their serving certificates (instead of signing their
# own), so that metrics-server can verify them without --kubelet-insecure-tls.
kind_config() {
  cat <<KIND
kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
kubeadmConfigPatches:
  - |
    kind: KubeletConfiguration
    serverTLSBootstrap: true
nodes:
  - role: control-plane
KIND
}

step() { echo "==> $*"; }

# The Secrets of gitops/bootstrap-secrets.yaml (namespace/name a line), which a pod needs at its first sync.
bootstrap_secrets() { sed -n 's/^[[:space:]]*-[[:space:]]*\([a-z0-9.-]*\/[a-z0-9.-]*\)[[:space:]]*$/\1/p' gitops/bootstrap-secrets.yaml; }

# What each of them holds: KEY=VALUE lines with fresh random values. A name bootstrap.sh cannot fill is an error,
# so the file and this script cannot drift apart unnoticed.
bootstrap_secret_literals() { # $1 = namespace/name
  case $1 in
    monitoring/grafana-admin) echo "admin-user=admin"; echo "admin-password=$(new_token)" ;;
    *) die "gitops/bootstrap-secrets.yaml lists $1, which scripts/bootstrap.sh does not know how to create" ;;
  esac
}
k() { kubectl --context "$context" "$@"; }

# Argo CD's own server-side apply field manager (common.ArgoCDSSAManager in Argo CD's source). What bootstrap
# applies and Argo CD then manages is applied under that name, so Argo CD owns every field from the start and a
# field later deleted from git is removed from the cluster, not kept as the `kubectl` manager's.
argocd_manager=argocd-controller
argocd_apply=(apply --server-side --force-conflicts "--field-manager=$argocd_manager")

# Inside gitops/ (a hidden folder, which the policy and Argo CD skip), so that the overrides can name
# gitops/root by a relative path.
work=$(mktemp -d gitops/.bootstrap.XXXXXX)
trap 'rm -rf "$work"' EXIT

if [ "$dry_run" = 1 ]; then
  echo "dry run: nothing is created or applied"
  echo "provider: ${provider:-none}; kubectl context: $context; container engine: $engine"
  if [ ${#missing[@]} -gt 0 ]; then
    echo "missing (a real run stops here):"
    printf '  - %s\n' "${missing[@]}"
  fi
  echo "1. cluster $name (${provider:-kind or k3d}): create unless it exists$([ "$provider" = kind ] && echo ", kubelet serving certificates from the cluster CA (approved here) for metrics-server")$([ "$provider" = k3d ] && echo ", load balancer ports 127.0.0.1:$http_port->80 and :$https_port->443, without k3s's bundled metrics-server (gitops/metrics-server installs it)")"
  [ "$load_image" = 0 ] || echo "   load $image from $engine into the cluster"
  echo "2. namespace $tls_namespace (gitops/gateway/namespace.yaml) and, unless it exists, Secret $tls_namespace/$tls_secret: a self-signed certificate (openssl) for the Gateway"
  echo "3. Argo CD: kubectl ${argocd_apply[*]} -k gitops/argocd, wait for its CRDs and components"
  echo "4. the Secrets of gitops/bootstrap-secrets.yaml, created with random values unless they exist (a SealedSecret may take them over later):"
  for secret in $(bootstrap_secrets); do
    bootstrap_secret_literals "$secret" >/dev/null
    echo "   - Secret $secret"
  done
  echo "5. the root Application (gitops/root${repo:+, repo $repo}${revision:+, revision $revision}${image:+, image $image}):"
  if has kubectl; then
    write_root "$work"
    kubectl kustomize "$work" | sed 's/^/   | /'
  else
    echo "   (kubectl is needed to render it)"
  fi
  echo "6. print how to reach Argo CD, Grafana and the service"
  exit 0
fi

if [ ${#missing[@]} -gt 0 ]; then
  echo "error: missing tools; install them and run again:" >&2
  printf '  - %s\n' "${missing[@]}" >&2
  exit 1
fi

write_root "$work"
kubectl kustomize "$work" >"$work/root.yaml" || die "gitops/root does not render with the overrides"

step "cluster $name ($provider)"
if cluster_exists; then
  echo "exists; reusing it"
elif [ "$provider" = kind ]; then
  kind_config >"$work/kind.yaml"
  KIND_EXPERIMENTAL_PROVIDER=$([ "$engine" = podman ] && echo podman || echo docker) \
    kind create cluster --name "$name" --config "$work/kind.yaml" --wait 120s
  # Each kubelet asks for its serving certificate once it runs; on this throw-away local cluster they are ours.
  approved=""
  for _ in $(seq 60); do
    approved=$(k get csr --field-selector spec.signerName=kubernetes.io/kubelet-serving -o name)
    [ -z "$approved" ] || break
    sleep 2
  done
  [ -n "$approved" ] || die "no kubelet asked for a serving certificate within 120 s (serverTLSBootstrap)"
  # shellcheck disable=SC2086 # one CSR name per word
  k certificate approve $approved >/dev/null
else
  # k3s bundles a metrics-server of its own; gitops/metrics-server installs the one this repository pins.
  k3d cluster create "$name" --k3s-arg '--disable=traefik@server:*' --k3s-arg '--disable=metrics-server@server:*' \
    -p "127.0.0.1:$http_port:80@loadbalancer" -p "127.0.0.1:$https_port:443@loadbalancer" --wait
fi
k cluster-info >/dev/null || die "the cluster does not answer on context $context"

if [ "$load_image" = 1 ]; then
  step "load $image into the cluster"
  if [ "$provider" = kind ]; then
    KIND_EXPERIMENTAL_PROVIDER=$([ "$engine" = podman ] && echo podman || echo docker) kind load docker-image "$image" --name "$name"
  else
    k3d image import "$image" --cluster "$name"
  fi
fi

step "the Gateway's certificate ($tls_namespace/$tls_secret)"
k "${argocd_apply[@]}" -f gitops/gateway/namespace.yaml >/dev/null
if k -n "$tls_namespace" get secret "$tls_secret" >/dev/null 2>&1; then
  echo "exists; keeping it"
else
  # Self-signed, for this local cluster only: clients pass -k (or trust this certificate).
  openssl req -x509 -newkey rsa:2048 -nodes -days 90 -subj "/CN=users.example.com" \
    -addext "subjectAltName=DNS:users.example.com,DNS:users.dev.example.com" \
    -keyout "$work/tls.key" -out "$work/tls.crt" 2>/dev/null
  k -n "$tls_namespace" create secret tls "$tls_secret" --cert="$work/tls.crt" --key="$work/tls.key" >/dev/null
fi

step "Argo CD (gitops/argocd, server-side)"
k "${argocd_apply[@]}" -k gitops/argocd >/dev/null
k wait --for=condition=Established crd/applications.argoproj.io crd/appprojects.argoproj.io --timeout=120s
for workload in deployment/argocd-repo-server deployment/argocd-server statefulset/argocd-application-controller; do
  k -n argocd rollout status "$workload" --timeout="$wait_timeout"
done

step "Secrets the first sync needs (gitops/bootstrap-secrets.yaml)"
for secret in $(bootstrap_secrets); do
  namespace=${secret%%/*} secret_name=${secret#*/}
  if k -n "$namespace" get secret "$secret_name" >/dev/null 2>&1; then
    echo "Secret $secret exists; kept"
    continue
  fi
  k get namespace "$namespace" >/dev/null 2>&1 || k create namespace "$namespace" >/dev/null
  # Through a file of the work folder, not arguments: process listings would show the values.
  bootstrap_secret_literals "$secret" >"$work/secret.env"
  k -n "$namespace" create secret generic "$secret_name" --from-env-file="$work/secret.env" >/dev/null
  rm -f "$work/secret.env"
  # A SealedSecret of the same name, sealed later with scripts/seal-secrets.sh, may replace it.
  k -n "$namespace" annotate secret "$secret_name" sealedsecrets.bitnami.com/managed=true >/dev/null
  echo "Secret $secret created"
done

step "root Application (gitops/root)"
k "${argocd_apply[@]}" -f "$work/root.yaml"

# The envoy proxies' Service is ClusterIP (gitops/gateway/envoy-proxy.yaml): a port-forward reaches it.
gateway_how="first: kubectl --context $context -n envoy-gateway-system port-forward \\
              \"\$(kubectl --context $context -n envoy-gateway-system get service -o name \\
                  -l gateway.envoyproxy.io/owning-gateway-namespace=gateway,gateway.envoyproxy.io/owning-gateway-name=users-api)\" \\
              $https_port:443"
cat <<DONE

Argo CD now installs the rest from $(k -n argocd get application root -o jsonpath='{.spec.source.repoURL}@{.spec.source.targetRevision}'):
the platform (Argo CD itself, Envoy Gateway, the admission policy, Sealed Secrets, monitoring) first, then
users-api in users-dev and users-prod.
Watch it:   kubectl --context $context -n argocd get applications -w

Argo CD     kubectl --context $context -n argocd port-forward svc/argocd-server 8443:443
            https://localhost:8443, user admin, password:
            kubectl --context $context -n argocd get secret argocd-initial-admin-secret -o jsonpath='{.data.password}' | base64 -d
Grafana     kubectl --context $context -n monitoring port-forward svc/grafana 3000:3000   (http://localhost:3000)
            user admin, password (created by this script, or sealed later by scripts/seal-secrets.sh):
            kubectl --context $context -n monitoring get secret grafana-admin -o jsonpath='{.data.admin-password}' | base64 -d
users-api   through the Gateway (Envoy Gateway; HTTPS with the self-signed certificate, hence -k), after starting
            the port-forward below:
            curl -k --resolve users.dev.example.com:$https_port:127.0.0.1 https://users.dev.example.com:$https_port/
            $gateway_how
            health and metrics stay inside: kubectl --context $context -n users-dev port-forward svc/users-api 8081:8081

The service serves reads at once; writes need tokens: scripts/seal-secrets.sh dev (and prod), commit, push;
or, for a throw-away cluster, create users-dev/users-api-tokens by hand. prod appears with its first release:
scripts/promote.sh dev prod.
DONE
