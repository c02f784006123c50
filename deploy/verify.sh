#!/usr/bin/env bash
# Renders every overlay of deploy/ and checks what comes out, with no cluster:
#
#   1. `kubectl kustomize` from Debian 12's kubernetes-client (kustomize
#      v2.0.3, the oldest this must work with) renders each overlay; a newer
#      kubectl on PATH renders them too, when there is one;
#   2. every object is validated against the Kubernetes schemas with npm
#      `kubernetes-models`, unknown fields rejected (deploy/verify/validate.js);
#   3. our own checks: probes, requests and limits, the restricted security
#      context on every container, a volume claim for every store, network
#      policies, grace periods against the drain flags, flags that exist in
#      the source, the rules file the same as data/rules.textproto; and a
#      self-test that breaks a rendering on purpose and expects each break to
#      be caught.
#
# Installs what it needs: node and npm with apt-get when root, the npm
# packages of deploy/verify/package-lock.json into deploy/verify/node_modules,
# and Debian's kubectl under deploy/.cache when it is not the kubectl
# installed. Exits non-zero on any problem. CI: `bash deploy/verify.sh`.
set -euo pipefail

DEPLOY="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$DEPLOY")"
CACHE="${FAZHI_DEPLOY_CACHE:-$DEPLOY/.cache}"
OVERLAYS=(local production)
START=$SECONDS

say() { echo "verify: $*"; }
die() { echo "verify: FAIL $*" >&2; exit 1; }
is_root() { [ "$(id -u)" -eq 0 ]; }
installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }

apt_install() {
  is_root || die "missing $*; install with: sudo apt-get install -y --no-install-recommends $*"
  say "installing $*"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# ---------------------------------------------------------------- node, npm
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  apt_install nodejs npm
fi

# ------------------------------------------------- kubectl with kustomize v2.0.3
# Debian 12's kubernetes-client is kubectl v1.20, whose `kustomize` is v2.0.3.
# When it is installed, use it. When no kubectl is installed at all, install
# it. When another kubectl owns /usr/bin/kubectl (e.g. the Google Cloud SDK's
# package), installing kubernetes-client would overwrite it, so fetch the
# same .deb with apt-get download and unpack it under $CACHE instead.
debian_kubectl() {
  if installed kubernetes-client; then
    echo /usr/bin/kubectl
    return
  fi
  if ! command -v kubectl >/dev/null && is_root; then
    apt_install kubernetes-client
    echo /usr/bin/kubectl
    return
  fi
  local dir="$CACHE/kubernetes-client"
  if [ ! -x "$dir/usr/bin/kubectl" ]; then
    mkdir -p "$dir"
    local tmp
    tmp="$(mktemp -d)"
    if ! (cd "$tmp" && apt-get download kubernetes-client >/dev/null 2>&1); then
      is_root || die "cannot download kubernetes-client (run 'sudo apt-get update' first?)"
      apt-get update -qq
      (cd "$tmp" && apt-get download kubernetes-client >/dev/null 2>&1) ||
        die "apt-get download kubernetes-client failed"
    fi
    dpkg-deb -x "$tmp"/kubernetes-client_*.deb "$dir"
    rm -rf "$tmp"
  fi
  echo "$dir/usr/bin/kubectl"
}

OLD_KUBECTL="$(debian_kubectl)"
"$OLD_KUBECTL" version --client 2>/dev/null | grep -q 'GitVersion:"v1\.20\.' ||
  die "$OLD_KUBECTL is not kubectl v1.20 (kustomize v2.0.3)"
RENDERERS=("$OLD_KUBECTL")
NEW_KUBECTL="$(command -v kubectl || true)"
if [ -n "$NEW_KUBECTL" ] && [ "$(readlink -f "$NEW_KUBECTL")" != "$(readlink -f "$OLD_KUBECTL")" ]; then
  RENDERERS+=("$NEW_KUBECTL")
fi

# ---------------------------------------------------------------- npm packages
VERIFY="$DEPLOY/verify"
STAMP="$VERIFY/node_modules/.fazhi-lock.sha256"
LOCK_SUM="$(sha256sum "$VERIFY/package-lock.json" | cut -d' ' -f1)"
if [ ! -f "$STAMP" ] || [ "$(cat "$STAMP")" != "$LOCK_SUM" ]; then
  say "installing npm packages (kubernetes-models, typescript, yaml)"
  (cd "$VERIFY" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  echo "$LOCK_SUM" >"$STAMP"
fi

# ---------------------------------------------------------------- the rules copy
# data/rules.textproto is a link to deploy/base/rules.textproto (kustomize
# reads only files under deploy/base, and no links): one file, not two.
cmp -s "$ROOT/data/rules.textproto" "$DEPLOY/base/rules.textproto" ||
  die "data/rules.textproto must be a link to deploy/base/rules.textproto: ln -sf ../deploy/base/rules.textproto data/rules.textproto"

# ---------------------------------------------------------------- render, check
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT
passed=0
failed=0
for kubectl in "${RENDERERS[@]}"; do
  version="$("$kubectl" version --client 2>/dev/null | grep -o 'v1\.[0-9]*\.[0-9]*' | head -1)"
  for overlay in "${OVERLAYS[@]}"; do
    label="$overlay (kubectl $version)"
    file="$OUT/$overlay-$version.yaml"
    # Newer kustomize warns about `bases` and `patchesStrategicMerge` on
    # stderr; those are kept on purpose for v2.0.3, so only errors count.
    if ! "$kubectl" kustomize "$DEPLOY/overlays/$overlay" >"$file" 2>"$OUT/err"; then
      say "FAIL $label does not render:"
      grep -v "^# Warning: '\(bases\|patchesStrategicMerge\)' is deprecated" "$OUT/err" >&2 || true
      failed=$((failed + 1))
      continue
    fi
    self_test=()
    [ "$kubectl" = "$OLD_KUBECTL" ] && self_test=(--self-test)
    if node "$VERIFY/validate.js" --root "$ROOT" --label "$label" "${self_test[@]}" "$file"; then
      say "ok   $label"
      passed=$((passed + 1))
    else
      failed=$((failed + 1))
    fi
  done
done

say "$((SECONDS - START)) s"
# The plain closing line CI reads.
echo "verify: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
