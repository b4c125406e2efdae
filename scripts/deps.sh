#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Install the Debian packages the project needs, or say how to.
set -euo pipefail
. "$(dirname "$0")/common.sh"

pkgs="gcc make flex bison bc libelf-dev libssl-dev python3 python3-ply python3-git
      perl git xz-utils
      coccinelle sparse dwarves quilt rsync
      nfs-kernel-server nfs-common rpcbind fio iproute2"
[ -n "${KERNEL_SRC:-}" ] || pkgs="$pkgs $BASE_PKG=$BASE_VERSION"

missing=""
for p in $pkgs; do
	name=${p%%=*}
	want=${p#*=}
	have=$(dpkg-query -W -f='${db:Status-Abbrev}${Version}' "$name" 2>/dev/null || true)
	case "$have" in
	ii*) [ "$want" = "$p" ] || [ "${have#ii }" = "$want" ] || missing="$missing $p" ;;
	*) missing="$missing $p" ;;
	esac
done
[ -z "$missing" ] && { note "dependencies present"; exit 0; }

if [ "$(id -u)" != 0 ]; then
	echo "missing packages:$missing" >&2
	echo "run as root:  apt-get install -y$missing" >&2
	exit 1
fi
note "installing:$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq || true
if ! apt-get install -y -qq --no-install-recommends $missing; then
	# The pinned base may have left the archive: take the newest 6.12.
	if [[ "$missing" == *"$BASE_PKG="* ]]; then
		echo "warning: $BASE_PKG=$BASE_VERSION unavailable;" \
		     "installing the newest $BASE_PKG, the base commit will differ" >&2
		apt-get install -y -qq --no-install-recommends \
			${missing//$BASE_PKG=$BASE_VERSION/$BASE_PKG}
	else
		exit 1
	fi
fi
