#!/usr/bin/env bash
# Installs the Debian packages pvefleet's tests and tools need, only those missing.
# Usage: ensure-system-packages.sh [test|demo|bench]
set -euo pipefail
purpose=${1:-test}

declare -A need=(
  [/usr/sbin/sshd]=openssh-server
  [/usr/bin/ssh]=openssh-client
  [/usr/bin/ssh-keygen]=openssh-client
  [/usr/bin/pgrep]=procps
)
if [ -z "${REDIS_URL:-}" ]; then need[/usr/bin/redis-server]=redis-server; fi
case "$purpose" in
  test)
    need[/usr/bin/parallel-ssh]=pssh
    need[/usr/bin/sshpass]=sshpass
    need[/usr/bin/docker-compose]=docker-compose
    need[/usr/bin/curl]=curl # the demo e2e runs the demo's printed examples as printed
    ;;
  demo)
    need[/usr/bin/curl]=curl # what the demo's examples use
    ;;
  bench)
    need[/usr/bin/parallel-ssh]=pssh
    need[/usr/bin/sshpass]=sshpass
    need[/usr/bin/ansible]=ansible
    ;;
esac

missing=()
for bin in "${!need[@]}"; do
  [ -x "$bin" ] || missing+=("${need[$bin]}")
done
[ ${#missing[@]} -eq 0 ] && exit 0
mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u)

if [ "$(id -u)" -eq 0 ]; then sudo=""; elif command -v sudo >/dev/null; then sudo="sudo"; else
  echo "pvefleet: missing Debian packages: ${missing[*]} (install them, or run as root)" >&2
  exit 1
fi
echo "pvefleet: installing Debian packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
# --no-install-recommends: docker-compose would otherwise pull in the whole docker engine.
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
