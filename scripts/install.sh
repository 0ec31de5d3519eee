#!/bin/sh
# Installs the codex-helper binary for this machine from the GitHub release, verified against the release's SHA256SUMS.
#
#   curl -fsSL https://github.com/OWNER/codex-helper/releases/latest/download/install.sh | sh
#
# Environment:
#   CODEX_HELPER_INSTALL_DIR   where to put codex-helper (default: $HOME/.local/bin)
#   CODEX_HELPER_VERSION       a release such as 0.1.0 (default: the latest release)
#   CODEX_HELPER_RELEASE_BASE  the folder holding the release files (default: the GitHub release download URL)
#   CODEX_HELPER_OS / CODEX_HELPER_ARCH / CODEX_HELPER_LIBC
#                              skip detection: linux|darwin, x64|arm64, glibc|musl
set -eu

REPO="${CODEX_HELPER_REPO:-OWNER/codex-helper}"
if [ -n "${CODEX_HELPER_VERSION:-}" ]; then
  VERSION="${CODEX_HELPER_VERSION#v}"
  DEFAULT_BASE="https://github.com/$REPO/releases/download/v$VERSION"
else
  VERSION=""
  DEFAULT_BASE="https://github.com/$REPO/releases/latest/download"
fi
BASE="${CODEX_HELPER_RELEASE_BASE:-$DEFAULT_BASE}"
BASE="${BASE%/}"
INSTALL_DIR="${CODEX_HELPER_INSTALL_DIR:-${HOME:?HOME is not set; set CODEX_HELPER_INSTALL_DIR}/.local/bin}"

say() { printf '%s\n' "$*"; }
die() {
  printf 'codex-helper install: %s\n' "$*" >&2
  exit 1
}

detect_os() {
  if [ -n "${CODEX_HELPER_OS:-}" ]; then
    printf '%s' "$CODEX_HELPER_OS"
    return
  fi
  case "$(uname -s)" in
    Linux) printf linux ;;
    Darwin) printf darwin ;;
    MINGW* | MSYS* | CYGWIN* | Windows_NT) printf windows ;;
    *) uname -s | tr '[:upper:]' '[:lower:]' ;;
  esac
}

detect_arch() {
  if [ -n "${CODEX_HELPER_ARCH:-}" ]; then
    printf '%s' "$CODEX_HELPER_ARCH"
    return
  fi
  case "$(uname -m)" in
    x86_64 | amd64 | x64)
      # A shell under Rosetta reports x86_64 on an Apple Silicon Mac: the native arm64 build is the right one.
      if [ "$1" = darwin ] && [ "$(sysctl -n sysctl.proc_translated 2>/dev/null || true)" = 1 ]; then
        printf arm64
      else
        printf x64
      fi
      ;;
    aarch64 | arm64) printf arm64 ;;
    *) uname -m ;;
  esac
}

# glibc or musl (Alpine, Void musl, distroless static). ldd names its libc; without ldd, look for musl's loader.
detect_libc() {
  if [ -n "${CODEX_HELPER_LIBC:-}" ]; then
    printf '%s' "$CODEX_HELPER_LIBC"
    return
  fi
  if command -v ldd >/dev/null 2>&1; then
    if ldd --version 2>&1 | grep -qi musl; then printf musl; else printf glibc; fi
    return
  fi
  for loader in /lib/ld-musl-*.so.1; do
    if [ -e "$loader" ]; then
      printf musl
      return
    fi
  done
  printf glibc
}

download() { # url file
  if command -v curl >/dev/null 2>&1; then
    curl -fsSL --retry 2 -o "$2" "$1"
  elif command -v wget >/dev/null 2>&1; then
    wget -q -O "$2" "$1"
  else
    die "neither curl nor wget is installed"
  fi
}

sha256_of() { # file
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum "$1" | cut -d ' ' -f 1
  elif command -v shasum >/dev/null 2>&1; then
    shasum -a 256 "$1" | cut -d ' ' -f 1
  else
    die "neither sha256sum nor shasum is installed: cannot verify the download"
  fi
}

OS="$(detect_os)"
case "$OS" in
  linux | darwin) ;;
  windows) die "on Windows, download codex-helper-<version>-windows-x64.exe from https://github.com/$REPO/releases and check it against SHA256SUMS" ;;
  *) die "unsupported operating system \"$OS\": release builds exist for linux and darwin (and windows-x64)" ;;
esac
ARCH="$(detect_arch "$OS")"
case "$ARCH" in
  x64 | arm64) ;;
  *) die "unsupported CPU architecture \"$ARCH\": release builds exist for x64 and arm64" ;;
esac
PLATFORM="$OS-$ARCH"
if [ "$OS" = linux ]; then
  LIBC="$(detect_libc)"
  case "$LIBC" in
    glibc) ;;
    musl) PLATFORM="$PLATFORM-musl" ;;
    *) die "unsupported libc \"$LIBC\": use glibc or musl" ;;
  esac
fi

TMP="$(mktemp -d 2>/dev/null || mktemp -d -t codex-helper)"
STAGED=""
trap 'rm -rf "$TMP"; [ -z "$STAGED" ] || rm -f "$STAGED"' EXIT
trap 'exit 130' INT TERM

download "$BASE/SHA256SUMS" "$TMP/SHA256SUMS" || die "could not download $BASE/SHA256SUMS"

# The release's file names carry its version; the checksum list says which one is ours.
if [ -n "$VERSION" ]; then
  NAME="codex-helper-$VERSION-$PLATFORM"
  LINE="$(awk -v f="$NAME" '$2 == f || $2 == "*" f { print; exit }' "$TMP/SHA256SUMS")"
else
  LINE="$(awk -v s="-$PLATFORM" '{ n = $2; sub(/^\*/, "", n) } n ~ /^codex-helper-/ && substr(n, length(n) - length(s) + 1) == s { print; exit }' "$TMP/SHA256SUMS")"
fi
[ -n "$LINE" ] || die "no $PLATFORM build in $BASE/SHA256SUMS"
EXPECTED="$(printf '%s\n' "$LINE" | awk '{ print $1 }')"
NAME="$(printf '%s\n' "$LINE" | awk '{ n = $2; sub(/^\*/, "", n); print n }')"
case "$EXPECTED" in
  *[!0-9a-f]* | "") die "malformed checksum line for $NAME in SHA256SUMS" ;;
esac
[ "${#EXPECTED}" -eq 64 ] || die "malformed checksum line for $NAME in SHA256SUMS"

say "downloading $NAME"
download "$BASE/$NAME" "$TMP/$NAME" || die "could not download $BASE/$NAME"
ACTUAL="$(sha256_of "$TMP/$NAME")"
if [ "$ACTUAL" != "$EXPECTED" ]; then
  die "checksum mismatch for $NAME: expected $EXPECTED, got $ACTUAL; nothing was installed"
fi
say "checksum verified (sha256 $ACTUAL)"

mkdir -p "$INSTALL_DIR" || die "cannot create $INSTALL_DIR"
TARGET="$INSTALL_DIR/codex-helper"
# Same-folder temp file, then rename: a running codex-helper keeps its old file, nobody sees a half-written one.
STAGED="$INSTALL_DIR/.codex-helper.install.$$"
cp "$TMP/$NAME" "$STAGED" || die "cannot write to $INSTALL_DIR"
chmod 755 "$STAGED"
mv -f "$STAGED" "$TARGET" || die "cannot replace $TARGET"
say "installed $TARGET"

if VERSION_LINE="$("$TARGET" --version 2>/dev/null)"; then
  say "codex-helper $VERSION_LINE"
else
  say "warning: $TARGET does not run on this machine; set CODEX_HELPER_OS, CODEX_HELPER_ARCH or CODEX_HELPER_LIBC and try again" >&2
fi

case ":${PATH:-}:" in
  *":$INSTALL_DIR:"*) ;;
  *)
    say ""
    say "$INSTALL_DIR is not on your PATH. Add it, e.g. in ~/.profile, ~/.bashrc or ~/.zshrc:"
    say "  export PATH=\"$INSTALL_DIR:\$PATH\""
    ;;
esac
