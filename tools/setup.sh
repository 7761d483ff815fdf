#!/usr/bin/env bash
# Installs what Emu needs beyond the .NET SDK, idempotently:
#   gcc + gcc-multilib (x86_64 and i386 layout oracle), clang-14 (aarch64 and armv7 oracle),
#   dwarves (pahole), binutils, and Debian's linux-source-6.12 at the pinned version, unpacked
#   to ~/.cache/emu/linux-source-6.12 (or $EMU_LINUX_SRC) for reading the upstream C.
set -euo pipefail

LINUX_DEB_VERSION="6.12.117-1~deb12u1"
SRC_DIR="${EMU_LINUX_SRC:-$HOME/.cache/emu/linux-source-6.12}"

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then sudo_cmd=(sudo); else
    echo "setup: not root and no sudo; install the packages below by hand" >&2; fi
fi

installed_version() { dpkg-query -W -f='${Version}' "$1" 2>/dev/null || true; }

need=()
command -v gcc >/dev/null 2>&1 || need+=(gcc)
echo 'int x;' | gcc -m32 -x c -c -o /dev/null - >/dev/null 2>&1 || need+=(gcc-multilib)
command -v clang-14 >/dev/null 2>&1 || need+=(clang-14)
command -v pahole >/dev/null 2>&1 || need+=(dwarves)
command -v readelf >/dev/null 2>&1 || need+=(binutils)
ctags --version 2>/dev/null | grep -q "Universal Ctags" || need+=(universal-ctags)
[ "$(installed_version linux-source-6.12)" = "$LINUX_DEB_VERSION" ] || need+=("linux-source-6.12=$LINUX_DEB_VERSION")
# The archive keeps only the newest linux-config-6.12; the amd64 config is read for option values,
# which a later 6.12 stable update does not change for mm. Take the pinned one when offered.
if [ -z "$(installed_version linux-config-6.12)" ]; then
  if apt-cache madison linux-config-6.12 2>/dev/null | grep -qF "$LINUX_DEB_VERSION"; then
    need+=("linux-config-6.12=$LINUX_DEB_VERSION")
  else
    echo "setup: linux-config-6.12 $LINUX_DEB_VERSION is no longer in the archive; installing the newest 6.12 config"
    need+=(linux-config-6.12)
  fi
fi

if [ ${#need[@]} -gt 0 ]; then
  echo "setup: installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -q >/dev/null
  "${sudo_cmd[@]}" apt-get install -y -q --allow-downgrades "${need[@]}" >/dev/null
fi

# The parts of the tree Emu reads; unpacked once, and any part missing from an older unpack is added
# (without disturbing what is there, so running tests keep their files).
MEMBERS="Makefile COPYING mm include lib arch/x86/include arch/x86/mm arch/x86/kernel/sys_x86_64.c kernel/fork.c kernel/locking fs/proc tools/testing/selftests/kselftest.h tools/testing/selftests/mm"
if [ "$(cat "$SRC_DIR/.emu-version" 2>/dev/null)" != "$LINUX_DEB_VERSION" ]; then
  rm -rf "$SRC_DIR"
fi
missing=()
for m in $MEMBERS; do
  [ -e "$SRC_DIR/$m" ] || missing+=("linux-source-6.12/$m")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: unpacking ${missing[*]#linux-source-6.12/} of linux-source-6.12 ($LINUX_DEB_VERSION) to $SRC_DIR"
  parent=$(dirname "$SRC_DIR")
  mkdir -p "$parent"
  if [ "$parent/linux-source-6.12" != "$SRC_DIR" ]; then
    tmp=$(mktemp -d)
    tar xJf /usr/src/linux-source-6.12.tar.xz -C "$tmp" "${missing[@]}"
    mkdir -p "$SRC_DIR" && cp -a "$tmp/linux-source-6.12/." "$SRC_DIR/" && rm -rf "$tmp"
  else
    tar xJf /usr/src/linux-source-6.12.tar.xz -C "$parent" "${missing[@]}"
  fi
  echo "$LINUX_DEB_VERSION" > "$SRC_DIR/.emu-version"
fi
echo "setup: ok (gcc, gcc -m32, clang-14, pahole; Linux $LINUX_DEB_VERSION at $SRC_DIR)"
