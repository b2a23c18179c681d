#!/usr/bin/env bash
# Installs the Debian packages given that are missing (apt only then), without letting any package's
# init script start a daemon. Used by the Makefile (prometheus: promtool for the alert-rule tests) and
# by the lab (scripts/lab/lab.sh). Usage: bash scripts/ensure-packages.sh PACKAGE...
set -euo pipefail

ensure_packages() {
  local p f found missing=() rc=0 policy=/usr/sbin/policy-rc.d made_policy=0 log=/tmp/stackwarden-apt.log
  # dpkg keeps /var/lib/dpkg/info/<package>[:<arch>].list for every installed
  # package: testing for it needs no process (dpkg-query is slow under load).
  for p in "$@"; do
    found=0
    for f in "/var/lib/dpkg/info/$p.list" "/var/lib/dpkg/info/$p":*.list; do
      [[ -e "$f" ]] && found=1 && break
    done
    ((found)) || missing+=("$p")
  done
  ((${#missing[@]})) || return 0
  echo "ensure-packages: installing ${missing[*]}" >&2
  # Never let a package's init script start a daemon (a system dockerd, registry or
  # Prometheus): the lab and the tests run only what they start themselves.
  if [[ ! -e "$policy" ]]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy"; chmod 755 "$policy"; made_policy=1
  fi
  { apt-get update -qq &&
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
  } >"$log" 2>&1 || rc=$?
  ((made_policy == 0)) || rm -f "$policy"
  if ((rc != 0)); then
    tail -n 20 "$log" >&2
    echo "ensure-packages: apt-get failed (log: $log)" >&2
    return 1
  fi
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  ensure_packages "$@"
fi
