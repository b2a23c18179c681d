# shellcheck shell=bash
# Test images. No registry outside this machine is reachable, so images are
# made locally: tiny busybox images (imported from a folder) and a JRE image
# (debootstrap, built once and cached), all pushed to the lab registry so
# every node pulls them by name, as in production.

LAB_TEST_IMAGES=(sleep web stubborn signals)
LAB_TEST_REFS=()   # repository:tag in the registry
for _img in "${LAB_TEST_IMAGES[@]}"; do LAB_TEST_REFS+=("stackwarden-lab/$_img:1"); done
unset _img
# The parity suite also names the sleep image without a tag, which means :latest.
LAB_TEST_REFS+=("stackwarden-lab/sleep:latest")

# Write the busybox root filesystem shared by the test images into DIR.
busybox_rootfs() {
  local dir=$1 applet
  rm -rf "$dir"
  mkdir -p "$dir/bin" "$dir/etc" "$dir/tmp" "$dir/www" "$dir/lab" "$dir/proc" "$dir/sys" "$dir/dev"
  chmod 1777 "$dir/tmp"
  cp /bin/busybox "$dir/bin/busybox"
  for applet in $(/bin/busybox --list); do
    [[ "$applet" == busybox ]] || ln -sf busybox "$dir/bin/$applet"
  done
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' >"$dir/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$dir/etc/group"
  echo '<html><body><h1>stackwarden lab web</h1></body></html>' >"$dir/www/index.html"

  # PID 1 in a container ignores every signal it has no handler for, so each
  # script installs its own. Long sleeps run in the background and are
  # waited for: `wait` returns as soon as a trapped signal arrives.
  cat >"$dir/lab/sleep.sh" <<'EOF'
#!/bin/sh
# Sleeps forever, exits 0 promptly on SIGTERM/SIGINT.
trap 'exit 0' TERM INT
while :; do sleep 86400 & wait $!; done
EOF
  cat >"$dir/lab/web.sh" <<'EOF'
#!/bin/sh
# busybox httpd on :8080 in the foreground; exits 0 promptly on SIGTERM/SIGINT.
trap 'kill $pid 2>/dev/null; exit 0' TERM INT
httpd -f -p 8080 -h /www &
pid=$!
wait $pid
EOF
  cat >"$dir/lab/stubborn.sh" <<'EOF'
#!/bin/sh
# Ignores SIGTERM (children inherit the ignore); only SIGKILL ends it.
trap '' TERM
echo "stubborn: ignoring SIGTERM"
while :; do sleep 86400 & wait $!; done
EOF
  cat >"$dir/lab/signals.sh" <<'EOF'
#!/bin/sh
# Prints "got SIG<NAME>" for TERM INT QUIT HUP USR1 USR2. On TERM/INT/QUIT it
# then waits EXIT_DELAY seconds (default 0) and exits 0.
EXIT_DELAY=${EXIT_DELAY:-0}
stop() { echo "got SIG$1"; sleep "$EXIT_DELAY"; echo "exiting after ${EXIT_DELAY}s"; exit 0; }
note() { echo "got SIG$1"; kill $pid 2>/dev/null; }
trap 'stop TERM' TERM
trap 'stop INT' INT
trap 'stop QUIT' QUIT
trap 'note HUP' HUP
trap 'note USR1' USR1
trap 'note USR2' USR2
echo "signals: ready (EXIT_DELAY=$EXIT_DELAY)"
while :; do sleep 86400 & pid=$!; wait $pid; done
EOF
  chmod 755 "$dir"/lab/*.sh
}

# Image config (docker import -c) per test image.
image_changes() {
  case "$1" in
    sleep)    echo 'CMD ["/bin/sh", "/lab/sleep.sh"]' ;;
    web)      printf '%s\n' 'CMD ["/bin/sh", "/lab/web.sh"]' 'EXPOSE 8080' ;;
    stubborn) echo 'CMD ["/bin/sh", "/lab/stubborn.sh"]' ;;
    signals)  printf '%s\n' 'CMD ["/bin/sh", "/lab/signals.sh"]' 'ENV EXIT_DELAY=0' ;;
  esac
}

# The recipe's fingerprint is its own text: the stamp holds the text of the
# functions above, and a rebuild happens when they change or when busybox is
# newer than the stamp (compared with builtins only: no process started).
images_recipe() { declare -f busybox_rootfs image_changes; }

images_stamp_current() {
  local stamp="$LAB_CACHE/test-images.stamp" recipe="" saved=""
  [[ -f "$stamp" && ! /bin/busybox -nt "$stamp" ]] || return 1
  recipe=$(images_recipe)
  { IFS= read -r -d '' saved <"$stamp"; } 2>/dev/null || true
  [[ "$saved" == "$recipe"$'\n' ]]
}

# Build the busybox test images into m1 and push them, unless the registry
# has them all and they were built from the current recipe (stamp).
test_images() {
  local name names line dir changes=()
  if images_stamp_current && registry_has "${LAB_TEST_REFS[@]}"; then
    return 0
  fi
  printf -v names '%s,' "${LAB_TEST_IMAGES[@]}"
  log "building test images ${LAB_IMAGE_PREFIX}/{${names%,}}:1"
  rm -rf "$LAB_CACHE"/busybox-rootfs.*     # left by an interrupted build
  dir=$(mktemp -d "$LAB_CACHE/busybox-rootfs.XXXXXX")
  busybox_rootfs "$dir"
  for name in "${LAB_TEST_IMAGES[@]}"; do
    changes=()
    while IFS= read -r line; do changes+=(-c "$line"); done < <(image_changes "$name")
    tar -C "$dir" --numeric-owner --owner=0 --group=0 -c . |
      ndocker m1 import "${changes[@]}" - "${LAB_IMAGE_PREFIX}/$name:1" >/dev/null
    NDOCKER_TIMEOUT=120 ndocker m1 push -q "${LAB_IMAGE_PREFIX}/$name:1" >/dev/null
  done
  ndocker m1 tag "${LAB_IMAGE_PREFIX}/sleep:1" "${LAB_IMAGE_PREFIX}/sleep:latest"
  NDOCKER_TIMEOUT=120 ndocker m1 push -q "${LAB_IMAGE_PREFIX}/sleep:latest" >/dev/null
  rm -rf "$dir"
  images_recipe >"$LAB_CACHE/test-images.stamp"
}

# All lab images present and current? (one stamp read, one curl)
images_ok() {
  images_stamp_current || return 1
  registry_has "${LAB_TEST_REFS[@]}" stackwarden-lab/jre:17
}

images_up() {
  images_ok && return 0
  test_images
  jre_image
}

# JRE 17 base image: debootstrap once (about a minute), cache the rootfs
# tarball, import it and push it to the registry unless it is there already.
jre_image() {
  local tar="$LAB_CACHE/jre17-rootfs.tar" ref="${LAB_IMAGE_PREFIX}/jre:17" tmp
  if registry_has stackwarden-lab/jre:17; then return 0; fi
  mkdir -p "$LAB_CACHE"
  if [[ ! -s "$tar" ]]; then
    tmp="$LAB_CACHE/jre17-rootfs.tmp"
    umount_under "$tmp"
    rm -rf "$tmp"
    log "debootstrap: building the JRE 17 root filesystem (about a minute, once)"
    if ! debootstrap --variant=minbase --include=openjdk-17-jre-headless,ca-certificates \
        bookworm "$tmp" >"$LAB_CACHE/debootstrap.log" 2>&1; then
      tail -n 20 "$LAB_CACHE/debootstrap.log" >&2
      umount_under "$tmp"
      die "debootstrap failed (log: $LAB_CACHE/debootstrap.log)"
    fi
    umount_under "$tmp"
    # Drop what an image doesn't need: apt lists and caches.
    rm -rf "$tmp"/var/cache/apt/archives/*.deb "$tmp"/var/lib/apt/lists/*
    tar -C "$tmp" --numeric-owner -cf "$tar.tmp" .
    mv -f "$tar.tmp" "$tar"
    rm -rf "$tmp"
  fi
  log "importing and pushing $ref"
  ndocker m1 import \
    -c "ENV JAVA_HOME=/usr/lib/jvm/java-17-openjdk-$(dpkg --print-architecture)" \
    -c 'ENV LANG=C.UTF-8' \
    -c 'CMD ["java", "-version"]' \
    "$tar" "$ref" >/dev/null
  NDOCKER_TIMEOUT=600 ndocker m1 push -q "$ref" >/dev/null
}

# The Stackwarden image, built by m1 from the packaged application (target/quarkus-app, `make build`) on the
# lab's JRE image and pushed as :dev and as :<content>, the first 12 hex digits of a hash of the files it is
# built from: two worktrees testing on one lab never run each other's build. The build is skipped when m1
# has that content's image already. Prints the :<content> reference.
stackwarden_image() {
  local project content ref out
  project=$(cd "$LAB_DIR/../.." && pwd)
  [[ -f "$project/target/quarkus-app/quarkus-run.jar" ]] \
    || die "no $project/target/quarkus-app/quarkus-run.jar: package the application first (make build)"
  jre_image
  content=$(cd "$project" && find src/main/docker target/quarkus-app -type f -print0 | sort -z | xargs -0 sha256sum |
    sha256sum | cut -c1-12)
  ref="$LAB_REGISTRY/stackwarden:$content"
  if ! ndocker m1 image inspect "$ref" >/dev/null 2>&1; then
    log "building $ref"
    # The legacy builder (no buildx on the lab) warns on stderr: shown only when the build fails.
    out=$(DOCKER_BUILDKIT=0 NDOCKER_TIMEOUT=600 ndocker m1 build -q -f "$project/src/main/docker/Dockerfile.jvm" \
      --build-arg BASE_IMAGE="${LAB_IMAGE_PREFIX}/jre:17" -t "$ref" "$project" 2>&1) || { echo "$out" >&2; die "image build failed"; }
  fi
  ndocker m1 tag "$ref" "$LAB_REGISTRY/stackwarden:dev"
  NDOCKER_TIMEOUT=600 ndocker m1 push -q "$ref" >/dev/null
  NDOCKER_TIMEOUT=600 ndocker m1 push -q "$LAB_REGISTRY/stackwarden:dev" >/dev/null
  echo "$ref"
}
