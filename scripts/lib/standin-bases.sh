#!/usr/bin/env bash
# Builds local stand-ins for the two base images of service/Dockerfile, from files on this machine, for
# hosts that cannot pull from a registry. Only the base images are substituted (through the build ARGs);
# the Dockerfile itself is the real one.
#   JDK stand-in      (for JDK_IMAGE, eclipse-temurin:25-*-jdk): the local Temurin 25 JDK at /opt/java/openjdk,
#                     its glibc, dash as /bin/sh (as on Ubuntu), busybox for the userland mvnw needs (unzip,
#                     sha256sum, sed...) and objcopy (jlink --strip-debug runs it).
#   runtime stand-in  (for RUNTIME_IMAGE, distroless base nonroot): the glibc files ldd lists for the JDK's
#                     native code, passwd/group with nonroot 65532, a 1777 /tmp, USER 65532.
# An image is rebuilt only when its inputs (this script, the JDK release, the copied libraries) changed.
#
# Usage: scripts/lib/standin-bases.sh JDK_TAG RUNTIME_TAG
# Env:   CONTAINER_ENGINE (podman|docker), STANDIN_JDK_HOME (default: the first Temurin/OpenJDK 25 found)
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/lib/java.sh
. scripts/lib/container-engine.sh

usage() { echo "usage: scripts/lib/standin-bases.sh JDK_TAG RUNTIME_TAG" >&2; exit 2; }
if [ $# -ne 2 ] || [ -z "$1" ] || [ -z "$2" ]; then usage; fi
jdk_tag=$1 runtime_tag=$2
standin_java_version=25

need() { command -v "$1" >/dev/null 2>&1 || { echo "error: '$1' not found: apt-get install $2" >&2; exit 1; }; }
need ldd libc-bin
need busybox busybox-static
need dash dash
need objcopy binutils
need sha256sum coreutils
if ldd "$(command -v busybox)" >/dev/null 2>&1; then
  echo "error: $(command -v busybox) is dynamically linked; the stand-in needs a static one: apt-get install busybox-static" >&2
  exit 1
fi

find_jdk25() {
  local c
  for c in ${STANDIN_JDK_HOME:+"$STANDIN_JDK_HOME"} ${JAVA_HOME:+"$JAVA_HOME"} /usr/lib/jvm/*; do
    if [ -x "$c/bin/jlink" ] && [ "$(java_feature_version "$c/bin/java")" = "$standin_java_version" ]; then
      printf '%s\n' "$c"; return 0
    fi
  done
  return 1
}
jdk_home=$(find_jdk25) || {
  echo "error: no JDK $standin_java_version with jlink found (looked at \$STANDIN_JDK_HOME, \$JAVA_HOME, /usr/lib/jvm/*)." >&2
  echo "  the JDK stand-in must match the Dockerfile's JDK_IMAGE (Temurin $standin_java_version); install Temurin $standin_java_version or set STANDIN_JDK_HOME" >&2
  exit 1
}
require_container_engine

# Native code of the JDK that a headless server or build uses; the AWT/sound/font libraries are left out
# (they pull in X11 and ALSA, which neither base image has).
jdk_native_files() {
  find "$jdk_home/bin" "$jdk_home/lib" -type f \( -perm -u+x -o -name '*.so' \) |
    grep -v -E '/lib(awt|awt_xawt|awt_headless|fontmanager|freetype|jawt|jsound|splashscreen|javajpeg|lcms|mlib_image)\.so$'
}

# Absolute paths of the shared libraries (and the loader) that ldd resolves for the given files.
shared_libs() {
  local f
  for f in "$@"; do ldd "$f" 2>/dev/null || true; done |
    sed -n -e 's/^.*=> \(\/[^ ]*\) (0x.*$/\1/p' -e 's/^[[:space:]]*\(\/[^ ]*\) (0x.*$/\1/p' |
    grep -v "^$jdk_home/" | sort -u
}

copy_libs() { # $1 = rootfs; the rest = library paths, copied with their links resolved
  local root=$1 lib; shift
  for lib in "$@"; do
    mkdir -p "$root$(dirname "$lib")"
    cp -L "$lib" "$root$lib"
    chmod 755 "$root$lib"
  done
}

write_accounts() { # $1 = rootfs; the accounts of the distroless images
  mkdir -p "$1/etc"
  cat >"$1/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/sbin/nologin
nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin
nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin
EOF
  cat >"$1/etc/group" <<'EOF'
root:x:0:
nobody:x:65534:
tty:x:5:
staff:x:50:
nonroot:x:65532:
EOF
}

inputs_hash() { # the script, the JDK build and every copied library: a change in any rebuilds the image
  { cat "$0"; cat "$jdk_home/release"; printf '%s\n' "$@"; sha256sum "$@" | cut -d' ' -f1; } | sha256sum | cut -c1-16
}

image_is_current() { # $1 = tag, $2 = inputs hash
  local have
  have=$("$ENGINE" image inspect --format '{{ index .Config.Labels "dev.usersapi.standin.inputs" }}' "$1" 2>/dev/null) || return 1
  [ "$have" = "$2" ]
}

import_rootfs() { # $1 = rootfs dir, $2 = tag, $3 = inputs hash, then --change options
  local root=$1 tag=$2 hash=$3 tarball; shift 3
  tarball=$(mktemp "${TMPDIR:-/tmp}/standin.XXXXXX.tar")
  # Owners are written as numbers so that building as a non-root user gives the same image.
  tar -C "$root" --numeric-owner --owner=0 --group=0 --exclude=./home/nonroot -cf "$tarball" .
  if [ -d "$root/home/nonroot" ]; then
    tar -C "$root" --numeric-owner --owner=65532 --group=65532 -rf "$tarball" ./home/nonroot
  fi
  local quiet=(); [ "$ENGINE" = podman ] && quiet=(--quiet)
  "$ENGINE" import "${quiet[@]}" "$@" --change "LABEL dev.usersapi.standin.inputs=$hash" \
    --change "LABEL org.opencontainers.image.description=offline stand-in built by scripts/lib/standin-bases.sh" \
    "$tarball" "$tag" >/dev/null
  rm -f "$tarball"
}

work=$(mktemp -d "${TMPDIR:-/tmp}/standin.XXXXXX")
trap 'rm -rf "$work"' EXIT

mapfile -t jdk_natives < <(jdk_native_files)
mapfile -t runtime_libs < <(shared_libs "${jdk_natives[@]}")
mapfile -t build_libs < <(shared_libs "${jdk_natives[@]}" "$(command -v objcopy)" "$(command -v dash)")

# --- runtime stand-in (distroless base, nonroot) ---
runtime_hash=$(inputs_hash "${runtime_libs[@]}")
if image_is_current "$runtime_tag" "$runtime_hash"; then
  echo "stand-in $runtime_tag is current"
else
  root=$work/runtime
  mkdir -p "$root/tmp" "$root/home/nonroot" "$root/etc"
  chmod 1777 "$root/tmp"
  chmod 700 "$root/home/nonroot"
  copy_libs "$root" "${runtime_libs[@]}"
  write_accounts "$root"
  printf 'hosts: files dns\n' >"$root/etc/nsswitch.conf"
  import_rootfs "$root" "$runtime_tag" "$runtime_hash" \
    --change "USER 65532" --change "WORKDIR /home/nonroot" \
    --change "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
  echo "stand-in $runtime_tag built: ${#runtime_libs[@]} libraries ($(printf '%s ' "${runtime_libs[@]##*/}"))"
fi

# --- JDK stand-in (Temurin JDK image) ---
build_hash=$(inputs_hash "${build_libs[@]}" "$(command -v busybox)" "$(command -v objcopy)" "$(command -v dash)")
if image_is_current "$jdk_tag" "$build_hash"; then
  echo "stand-in $jdk_tag is current"
else
  root=$work/jdk
  mkdir -p "$root/opt/java" "$root/bin" "$root/usr/bin" "$root/tmp" "$root/root" "$root/etc"
  chmod 1777 "$root/tmp"
  # The real image drops the sources too.
  cp -a "$jdk_home" "$root/opt/java/openjdk"
  rm -f "$root/opt/java/openjdk/lib/src.zip"
  # Distribution packages link some JDK files to the system (cacerts -> /etc/ssl/certs/java): copy the target.
  while IFS= read -r link; do
    target=$(readlink -f "$jdk_home/${link#"$root/opt/java/openjdk/"}")
    case $target in "$jdk_home"/*) ;; *) rm "$link"; cp -L "$target" "$link" ;; esac
  done < <(find "$root/opt/java/openjdk" -type l)
  copy_libs "$root" "${build_libs[@]}"
  cp "$(command -v busybox)" "$root/bin/busybox"
  # busybox's own sh would find its wget applet even without a link and mvnw would fetch Maven with it
  # (its TLS fails). dash, Ubuntu's /bin/sh, only sees PATH; without wget or curl there, mvnw downloads
  # with Java, as in the real image.
  cp "$(command -v dash)" "$root/bin/dash"
  ln -s dash "$root/bin/sh"
  for applet in $(busybox --list); do
    case $applet in busybox | sh | ash | hush | wget | ssl_client) continue ;; esac
    ln -s busybox "$root/bin/$applet"
  done
  cp "$(command -v objcopy)" "$root/usr/bin/objcopy"
  write_accounts "$root"
  printf 'hosts: files dns\n' >"$root/etc/nsswitch.conf"
  import_rootfs "$root" "$jdk_tag" "$build_hash" \
    --change "ENV JAVA_HOME=/opt/java/openjdk" \
    --change "ENV PATH=/opt/java/openjdk/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
    --change "ENV LANG=C.UTF-8" \
    --change "WORKDIR /"
  echo "stand-in $jdk_tag built from $jdk_home"
fi
