# shellcheck shell=bash
# Sourced by .ci/run: makes podman usable in this CI sandbox, for every later podman call.
#   CONTAINERS_CONF   -> runc through runc-no-rlimits (the sandbox cannot set rlimits; crun cannot run)
#   BUILDAH_ISOLATION -> chroot for RUN steps of `podman build` (no nested OCI runtime needed)
# The product scripts know nothing of this; on a normal machine they use docker or podman as installed.
ci_podman_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ci_podman_conf_dir=${TMPDIR:-/tmp}/users-api-ci-podman
mkdir -p "$ci_podman_conf_dir"
sed "s|@WRAPPER@|$ci_podman_dir/runc-no-rlimits.sh|" "$ci_podman_dir/containers.conf.in" >"$ci_podman_conf_dir/containers.conf"
export CONTAINERS_CONF=$ci_podman_conf_dir/containers.conf
export BUILDAH_ISOLATION=chroot
unset ci_podman_dir ci_podman_conf_dir
