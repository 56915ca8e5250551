#!/usr/bin/env bash
# Creates the secrets an environment needs and commits-ready SealedSecrets for them, without ever writing a
# secret in clear: new API tokens (printed once; only their SHA-256 hashes go into the Secret) and, unless
# --no-grafana, new Grafana admin credentials (the password printed once); with --db-backup, the object store
# access key of the database's backups, and with --alert-receivers Alertmanager's receiver secrets, both taken
# from the environment. kubeseal encrypts each Secret with the public key of the Sealed Secrets controller of
# the target cluster; only that controller can decrypt it.
# Usage: scripts/seal-secrets.sh [--dry-run] [--no-grafana] [--db-backup] [--alert-receivers] [--cert FILE] ENV
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/environments.sh

controller_namespace=sealed-secrets
controller_name=sealed-secrets-controller
token_roles=(writer admin)
# Alertmanager's receiver secrets: environment variable -> key of Secret alertmanager-receivers (the files
# monitoring/alertmanager/alertmanager.yml reads).
receiver_vars=(ALERT_PAGERDUTY_ROUTING_KEY ALERT_CHAT_WEBHOOK_URL ALERT_DEADMANSSWITCH_URL)
receiver_keys=(pagerduty-routing-key slack-webhook-url deadmansswitch-url)

usage() {
  cat <<USAGE
usage: scripts/seal-secrets.sh [--dry-run] [--no-grafana] [--db-backup] [--alert-receivers] [--cert FILE] ENV
  ENV           an environment under overlays/ ($(environments | tr '\n' ' ' | sed 's/ $//'))
  --dry-run     show what would be generated, sealed and written; needs no kubeseal, writes nothing
  --no-grafana  leave Grafana's admin credentials alone (they are per cluster, not per environment)
  --db-backup   also seal the database backups' object store key (Secret users-api-db-backup, keys
                ACCESS_KEY_ID and ACCESS_SECRET_KEY) from the environment variables
                USERS_API_DB_BACKUP_ACCESS_KEY_ID and USERS_API_DB_BACKUP_SECRET_ACCESS_KEY
                into overlays/ENV/sealed-users-api-db-backup.yaml (prod: see overlays/prod/database.yaml)
  --alert-receivers
                also seal Alertmanager's receivers (per cluster) into monitoring/sealed-alertmanager-receivers.yaml
                (Secret alertmanager-receivers), from the environment, never from arguments:
                  ${receiver_vars[0]}  PagerDuty Events API v2 routing key (critical alerts)
                  ${receiver_vars[1]}       Slack-compatible incoming webhook URL (warnings)
                  ${receiver_vars[2]}     heartbeat URL of the dead man's switch (Watchdog)
  --cert FILE   seal offline with this public certificate (kubeseal --fetch-cert) instead of asking
                the controller of the current kubectl context
Writes overlays/ENV/sealed-users-api-tokens.yaml (Secret users-api-tokens, key tokens: one
'<role> <sha256-hex>' line per role: ${token_roles[*]}) and monitoring/sealed-grafana-admin.yaml
(Secret grafana-admin, keys admin-user and admin-password), lists them in their kustomizations and
lets the AppProjects deploy SealedSecrets. Needs kubeseal (same release as gitops/sealed-secrets).
USAGE
}

die() { echo "error: $*" >&2; exit 1; }

. scripts/lib/token.sh

# A Secret manifest on stdout, for kubeseal's stdin only: the values are base64 here and encrypted by kubeseal.
secret_manifest() { # name namespace key=value...
  local name=$1 namespace=$2 pair
  shift 2
  printf 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: %s\n  namespace: %s\ntype: Opaque\ndata:\n' "$name" "$namespace"
  for pair in "$@"; do
    printf '  %s: %s\n' "${pair%%=*}" "$(printf '%s' "${pair#*=}" | base64 | tr -d '\n')"
  done
}

# What the dry run puts where the sealed file will be: the shape of kubeseal's output, with no ciphertext.
placeholder_sealed_secret() { # name namespace key...
  local name=$1 namespace=$2 key
  shift 2
  printf 'apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nmetadata:\n  name: %s\n  namespace: %s\nspec:\n  encryptedData:\n' "$name" "$namespace"
  for key in "$@"; do printf '    %s: dry-run\n' "$key"; done
  printf '  template:\n    metadata:\n      name: %s\n      namespace: %s\n' "$name" "$namespace"
}

seal() { # output file; the Secret manifest on stdin
  local args=(--format yaml --scope strict --controller-namespace "$controller_namespace" --controller-name "$controller_name")
  [ -z "$cert" ] || args+=(--cert "$cert")
  kubeseal "${args[@]}" >"$1.tmp" || { rm -f "$1.tmp"; die "kubeseal failed (is the controller running in namespace $controller_namespace of the current context, or is --cert right?)"; }
  grep -q '^kind: SealedSecret' "$1.tmp" || { rm -f "$1.tmp"; die "kubeseal wrote no SealedSecret"; }
  mv "$1.tmp" "$1"
}

# Adds `  - ITEM` to the top-level `resources:` list of a kustomization unless it is there already.
add_resource() { # kustomization file, item
  grep -qE "^[[:space:]]+- $2[[:space:]]*$" "$1" && return 0
  grep -q '^resources:[[:space:]]*$' "$1" || die "$1 has no 'resources:' list to add $2 to"
  awk -v item="$2" '
    /^resources:[[:space:]]*$/ { print; inside = 1; next }
    inside && /^[[:space:]]+- / { print; last = NR; next }
    inside && (/^[[:space:]]*$/ || /^[^[:space:]]/) { print "  - " item; inside = 0 }
    { print }
    END { if (inside) print "  - " item }
  ' "$1" >"$1.tmp" && mv "$1.tmp" "$1"
}

# Lets an AppProject deploy SealedSecrets: least privilege means the grant comes with the first one.
grant_sealed_secrets() { # project file
  grep -q 'kind: SealedSecret' "$1" && return 0
  grep -q '^  namespaceResourceWhitelist:[[:space:]]*$' "$1" || die "$1 has no namespaceResourceWhitelist to add SealedSecret to"
  awk '
    { print }
    /^  namespaceResourceWhitelist:[[:space:]]*$/ { print "    - group: bitnami.com"; print "      kind: SealedSecret" }
  ' "$1" >"$1.tmp" && mv "$1.tmp" "$1"
}

# The repository edits that go with the sealed files, below ROOT (the repository, or a copy for --dry-run).
edit_repository() { # root
  add_resource "$1/$overlay/kustomization.yaml" sealed-users-api-tokens.yaml
  [ "$db_backup" = 0 ] || add_resource "$1/$overlay/kustomization.yaml" sealed-users-api-db-backup.yaml
  grant_sealed_secrets "$1/$project_file"
  if [ "$grafana" = 1 ]; then
    add_resource "$1/monitoring/kustomization.yaml" sealed-grafana-admin.yaml
    grant_sealed_secrets "$1/gitops/apps/projects/platform.yaml"
  fi
  if [ "$receivers" = 1 ]; then
    add_resource "$1/monitoring/kustomization.yaml" sealed-alertmanager-receivers.yaml
    grant_sealed_secrets "$1/gitops/apps/projects/platform.yaml"
  fi
}

# The edited repository still renders, with the SealedSecrets in their kustomizations and the grants in place.
verify_repository() { # root
  kubectl kustomize "$1/$overlay" | grep -q '^kind: SealedSecret' || die "$overlay does not render the SealedSecret after the edit"
  grep -q 'kind: SealedSecret' "$1/$project_file" || die "$project_file does not grant SealedSecret after the edit"
  kubectl kustomize "$1/gitops/apps" >/dev/null || die "gitops/apps does not render after the edit"
  if [ "$grafana" = 1 ] || [ "$receivers" = 1 ]; then
    kubectl kustomize "$1/monitoring" | grep -q '^kind: SealedSecret' || die "monitoring does not render the SealedSecret after the edit"
  fi
}

namespace_of() { # overlay
  local ns
  ns=$(sed -n 's/^namespace:[[:space:]]*\([a-z0-9-]*\)[[:space:]]*$/\1/p' "overlays/$1/kustomization.yaml" | head -n 1)
  [ -n "$ns" ] || die "overlays/$1/kustomization.yaml sets no namespace:"
  printf '%s\n' "$ns"
}

dry_run=0 grafana=1 db_backup=0 receivers=0 cert="" env=""
while [ $# -gt 0 ]; do
  case $1 in
    -h|--help) usage; exit 0 ;;
    --dry-run) dry_run=1 ;;
    --no-grafana) grafana=0 ;;
    --db-backup) db_backup=1 ;;
    --alert-receivers) receivers=1 ;;
    --cert)
      if [ $# -lt 2 ] || [ -z "$2" ]; then echo "error: --cert needs a file" >&2; usage >&2; exit 2; fi
      cert=$2; shift ;;
    -*) echo "error: unknown option '$1'" >&2; usage >&2; exit 2 ;;
    *) [ -z "$env" ] || { usage >&2; exit 2; }; env=$1 ;;
  esac
  shift
done
[ -n "$env" ] || { usage >&2; exit 2; }
is_environment "$env" || { echo "error: unknown environment '$env'" >&2; usage >&2; exit 2; }
[ -z "$cert" ] || [ -f "$cert" ] || { echo "error: --cert $cert: no such file" >&2; usage >&2; exit 2; }
if [ "$receivers" = 1 ] && [ "$dry_run" = 0 ]; then
  for var in "${receiver_vars[@]}"; do
    [ -n "${!var:-}" ] || { echo "error: --alert-receivers needs $var in the environment (see usage)" >&2; usage >&2; exit 2; }
  done
fi

namespace=$(namespace_of "$env")
overlay=overlays/$env
# The AppProject of the environment's Application: users-api for dev, users-api-prod (gitops/apps/prod) for prod.
app_file=$(application_file_of "$env")
[ -n "$app_file" ] || { echo "error: no Application under gitops/apps deploys $overlay" >&2; exit 1; }
project_name=$(sed -n 's/^[[:space:]]*project:[[:space:]]*\([a-z0-9-]*\).*/\1/p' "$app_file" | head -n 1)
project_file=""
while IFS= read -r f; do
  if grep -qE "^[[:space:]]+name: ${project_name}[[:space:]]*$" "$f"; then project_file=$f; break; fi
done < <(grep -rlE "^kind: AppProject" gitops/apps --include='*.yaml')
[ -n "$project_file" ] || { echo "error: no AppProject $project_name under gitops/apps" >&2; exit 1; }
tokens_file=$overlay/sealed-users-api-tokens.yaml
grafana_file=monitoring/sealed-grafana-admin.yaml
db_backup_file=$overlay/sealed-users-api-db-backup.yaml
receivers_file=monitoring/sealed-alertmanager-receivers.yaml
sealing="kubeseal --format yaml --scope strict --controller-namespace $controller_namespace --controller-name $controller_name${cert:+ --cert $cert}"

if [ "$dry_run" = 1 ]; then
  echo "dry run: nothing is generated, sealed or written"
  echo "1. generate one token per role (${token_roles[*]}), 32 random bytes each, to be printed once"
  echo "2. Secret users-api-tokens in namespace $namespace, key tokens = one '<role> <sha256-hex>' line per role"
  echo "   -> $sealing > $tokens_file"
  echo "   -> add sealed-users-api-tokens.yaml to $overlay/kustomization.yaml resources"
  echo "   -> let AppProject $project_name deploy bitnami.com/SealedSecret ($project_file)"
  if [ "$db_backup" = 1 ]; then
    echo "2b. Secret users-api-db-backup in namespace $namespace, keys ACCESS_KEY_ID and ACCESS_SECRET_KEY from"
    echo "   USERS_API_DB_BACKUP_ACCESS_KEY_ID and USERS_API_DB_BACKUP_SECRET_ACCESS_KEY ($([ -n "${USERS_API_DB_BACKUP_ACCESS_KEY_ID:-}" ] && [ -n "${USERS_API_DB_BACKUP_SECRET_ACCESS_KEY:-}" ] && echo set || echo "not set: a real run stops"))"
    echo "   -> $sealing > $db_backup_file"
    echo "   -> add sealed-users-api-db-backup.yaml to $overlay/kustomization.yaml resources"
  fi
  if [ "$grafana" = 1 ]; then
    echo "3. Secret grafana-admin in namespace monitoring, keys admin-user (admin) and admin-password (24 random bytes), printed once"
    echo "   -> $sealing > $grafana_file"
    echo "   -> add sealed-grafana-admin.yaml to monitoring/kustomization.yaml resources"
    echo "   -> let AppProject platform deploy bitnami.com/SealedSecret (gitops/apps/projects/platform.yaml)"
  fi
  if [ "$receivers" = 1 ]; then
    echo "$((3 + grafana)). Secret alertmanager-receivers in namespace monitoring, keys ${receiver_keys[*]}, from ${receiver_vars[*]}"
    echo "   -> $sealing > $receivers_file"
    echo "   -> add sealed-alertmanager-receivers.yaml to monitoring/kustomization.yaml resources"
    echo "   -> let AppProject platform deploy bitnami.com/SealedSecret (gitops/apps/projects/platform.yaml)"
  fi
  if command -v kubeseal >/dev/null 2>&1; then
    echo "kubeseal: $(command -v kubeseal)"
  else
    echo "kubeseal: not installed (needed for a real run; use the release of gitops/sealed-secrets)"
  fi
  # The same edits on a copy, with stand-in SealedSecrets (no ciphertext), rendered and shown as diffs.
  command -v kubectl >/dev/null 2>&1 || die "kubectl not found: the dry run renders the edited copy with 'kubectl kustomize'"
  copy=$(mktemp -d "${TMPDIR:-/tmp}/seal-secrets.XXXXXX")
  trap 'rm -rf "$copy"' EXIT
  cp -R base overlays monitoring gitops "$copy/"
  placeholder_sealed_secret users-api-tokens "$namespace" tokens >"$copy/$tokens_file"
  [ "$grafana" = 0 ] || placeholder_sealed_secret grafana-admin monitoring admin-user admin-password >"$copy/$grafana_file"
  [ "$db_backup" = 0 ] || placeholder_sealed_secret users-api-db-backup "$namespace" ACCESS_KEY_ID ACCESS_SECRET_KEY >"$copy/$db_backup_file"
  [ "$receivers" = 0 ] || placeholder_sealed_secret alertmanager-receivers monitoring "${receiver_keys[@]}" >"$copy/$receivers_file"
  edit_repository "$copy"
  verify_repository "$copy"
  for f in "$overlay/kustomization.yaml" "$project_file" monitoring/kustomization.yaml gitops/apps/projects/platform.yaml; do
    diff -u --label "a/$f" --label "b/$f" "$f" "$copy/$f" || true
  done
  echo "the edited copy renders: $overlay$([ "$grafana" = 0 ] && [ "$receivers" = 0 ] || echo ", monitoring"), gitops/apps"
  exit 0
fi

command -v kubeseal >/dev/null 2>&1 ||
  die "kubeseal not found: install the kubeseal of the Sealed Secrets release in gitops/sealed-secrets/upstream.yaml (or run with --dry-run to see the plan)"
command -v base64 >/dev/null 2>&1 || die "base64 not found (GNU coreutils)"
if [ "$db_backup" = 1 ] && { [ -z "${USERS_API_DB_BACKUP_ACCESS_KEY_ID:-}" ] || [ -z "${USERS_API_DB_BACKUP_SECRET_ACCESS_KEY:-}" ]; }; then
  die "--db-backup needs USERS_API_DB_BACKUP_ACCESS_KEY_ID and USERS_API_DB_BACKUP_SECRET_ACCESS_KEY in the environment (the object store's access key for the backups)"
fi

declare -A tokens
hashes=""
for role in "${token_roles[@]}"; do
  tokens[$role]=$(new_token)
  hashes+="$role $(sha256_hex "${tokens[$role]}")"$'\n'
done
command -v kubectl >/dev/null 2>&1 || die "kubectl not found: the result is rendered with 'kubectl kustomize' before it is kept"
secret_manifest users-api-tokens "$namespace" "tokens=$hashes" | seal "$tokens_file"
echo "sealed Secret users-api-tokens ($namespace) into $tokens_file"
if [ "$db_backup" = 1 ]; then
  secret_manifest users-api-db-backup "$namespace" "ACCESS_KEY_ID=$USERS_API_DB_BACKUP_ACCESS_KEY_ID" \
    "ACCESS_SECRET_KEY=$USERS_API_DB_BACKUP_SECRET_ACCESS_KEY" | seal "$db_backup_file"
  echo "sealed Secret users-api-db-backup ($namespace) into $db_backup_file"
fi
if [ "$grafana" = 1 ]; then
  grafana_password=$(new_token)
  secret_manifest grafana-admin monitoring "admin-user=admin" "admin-password=$grafana_password" | seal "$grafana_file"
  echo "sealed Secret grafana-admin (monitoring) into $grafana_file"
fi
if [ "$receivers" = 1 ]; then
  pairs=()
  for i in "${!receiver_vars[@]}"; do pairs+=("${receiver_keys[$i]}=${!receiver_vars[$i]}"); done
  secret_manifest alertmanager-receivers monitoring "${pairs[@]}" | seal "$receivers_file"
  echo "sealed Secret alertmanager-receivers (monitoring) into $receivers_file"
fi
edit_repository .
verify_repository .

cat <<DONE

Shown once, stored nowhere (the repository holds only sealed data and hashes):
$(for role in "${token_roles[@]}"; do printf '  %-7s token: %s\n' "$role" "${tokens[$role]}"; done)
DONE
[ "$grafana" = 0 ] || printf '  grafana admin: admin / %s\n' "$grafana_password"
cat <<NEXT

Next: review and commit the sealed files and the changed kustomizations and projects (git status); Argo CD
syncs them and the controller creates the Secrets (the service re-reads its tokens file within 10 s).
NEXT
