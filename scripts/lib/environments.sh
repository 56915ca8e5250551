# shellcheck shell=bash
# Sourced by the scripts that take an environment name: the environments are the folders of overlays/
# that hold a kustomization.

environments() {
  local dir
  for dir in overlays/*/; do
    [ -f "${dir}kustomization.yaml" ] && basename "$dir"
  done
  return 0
}

# True for the name of an environment; false for anything else, including paths and hidden names.
is_environment() {
  [ -n "$1" ] && [[ $1 != */* ]] && [[ $1 != .* ]] && [ -f "overlays/$1/kustomization.yaml" ]
}

# The file under gitops/apps of the Argo CD Application that deploys overlays/ENV; empty if there is none.
application_file_of() { # $1 = environment
  grep -rlE "^[[:space:]]+path: overlays/${1}[[:space:]]*$" gitops/apps --include='*.yaml' | head -n 1
}
