#!/usr/bin/env bash
# The container test: build the image from Debian's archive alone and run the
# four containers the way the local overlay's manifests run them.
#
#   1. a bookworm root file system made with debootstrap (minbase, the same
#      package set as bookworm-slim), imported into podman, serves as both
#      base images of deploy/Containerfile: no registry but Debian's archive;
#   2. podman builds deploy/Containerfile (runc, explicit ulimits);
#   3. deploy/verify.sh renders and checks the overlays; the local one is
#      turned into `podman run` arguments (deploy/verify/podman-args.js): same
#      command, args, environment, ConfigMaps, user, read-only root, dropped
#      capabilities, limits, grace period;
#   4. the four containers start; each is probed as the kubelet would, with
#      grpc.health.v1.Health/Check on the startup, readiness and liveness
#      names; the demo data is loaded with fazhictl (from the image); a summary
#      is fetched through the gateway; Prometheus answers; every grpcurl
#      command of the README's cookbook runs (deploy/verify/cookbook.py);
#   5. SIGTERM (podman stop) ends each one with exit 0 within its grace
#      period, and after a restart on the same volumes the summary is the same.
#
# Needs root (rootful podman) and the network to Debian's archive and npm.
# Takes about 15-25 minutes on 2 cores the first time (most of it compiling);
# the root file system and the image are cached (deploy/.cache, podman's
# store), so later runs rebuild only what changed. Not part of CI: too slow.
#
#   FAZHI_DEBIAN_MIRROR   the archive for debootstrap (default: deb.debian.org)
#   FAZHI_KEEP=1          leave the containers and their data for a look
set -euo pipefail

DEPLOY="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$DEPLOY")"
CACHE="${FAZHI_DEPLOY_CACHE:-$DEPLOY/.cache}"
MIRROR="${FAZHI_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
BASE_IMAGE=localhost/fazhi-debian:bookworm
IMAGE=localhost/fazhi:dev
PREFIX=fazhi-ct-
START=$SECONDS

say() { echo "container-test: $*"; }
die() { echo "container-test: FAIL $*" >&2; exit 1; }
step() { echo; echo "== $* ($((SECONDS - START)) s)"; }

[ "$(id -u)" -eq 0 ] || die "needs root (rootful podman, debootstrap)"

need=()
# The cookbook runner reads every type through the servers' reflection; it
# needs only python3-grpcio and python3-protobuf.
for p in podman buildah runc debootstrap python3-grpcio python3-protobuf; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
  say "installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# runc, and explicit ulimits: podman's defaults ask for more than a container
# may have in a sandbox like this one ("error setting rlimit type 6"). Open
# files: this shell's hard limit. Processes (containers run only): 32768,
# plenty for a gRPC server's threads; 65536 is refused here, 32768 is not.
NOFILE="$(ulimit -Hn)"
[ "$NOFILE" = unlimited ] && NOFILE=65536
PODMAN=(podman --runtime runc)
ULIMITS=(--ulimit "nofile=$NOFILE:$NOFILE")
RUN_ULIMITS=("${ULIMITS[@]}" --ulimit "nproc=32768:32768")

for port in 50050 50051 50052 50053 51050 51051 51052 51053; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    die "port $port is in use (the demo?); the containers use the host's network"
  fi
done

# ------------------------------------------------------------ 1. base image
step "base image: debootstrap bookworm (minbase) from $MIRROR"
if "${PODMAN[@]}" image exists "$BASE_IMAGE"; then
  say "$BASE_IMAGE already imported"
else
  mkdir -p "$CACHE"
  tarball="$CACHE/bookworm-minbase.tar"
  if [ ! -f "$tarball" ]; then
    rootfs="$(mktemp -d "$CACHE/rootfs.XXXXXX")"
    debootstrap --variant=minbase bookworm "$rootfs" "$MIRROR" >"$CACHE/debootstrap.log" 2>&1 ||
      { tail -20 "$CACHE/debootstrap.log" >&2; die "debootstrap failed"; }
    # What the official image does too: no apt caches, an empty lists dir.
    rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
    tar -C "$rootfs" --numeric-owner -cf "$tarball.tmp" .
    mv "$tarball.tmp" "$tarball"
    rm -rf "$rootfs"
  fi
  "${PODMAN[@]}" import --change 'CMD ["/bin/bash"]' "$tarball" "$BASE_IMAGE" >/dev/null
  say "imported $BASE_IMAGE ($(du -h "$tarball" | cut -f1))"
fi

# ------------------------------------------------------------ 2. the image
step "podman build -f deploy/Containerfile"
build_start=$SECONDS
"${PODMAN[@]}" build "${ULIMITS[@]}" --network host --layers \
  --build-arg "BUILD_IMAGE=$BASE_IMAGE" --build-arg "RUNTIME_IMAGE=$BASE_IMAGE" \
  -f "$DEPLOY/Containerfile" -t "$IMAGE" "$ROOT" >"$CACHE/build.log" 2>&1 ||
  { tail -40 "$CACHE/build.log" >&2; die "podman build failed (log: $CACHE/build.log)"; }
say "built $IMAGE in $((SECONDS - build_start)) s; $("${PODMAN[@]}" image inspect "$IMAGE" --format '{{.Size}}' | awk '{printf "%.0f MB", $1/1e6}')"
say "user: $("${PODMAN[@]}" image inspect "$IMAGE" --format '{{.Config.User}}'), binaries: $("${PODMAN[@]}" run --rm "${RUN_ULIMITS[@]}" --entrypoint '["/bin/ls"]' "$IMAGE" /usr/local/bin | tr '\n' ' ')"

# ------------------------------------------------------------ 3. the manifests
step "deploy/verify.sh, then the local overlay as podman arguments"
bash "$DEPLOY/verify.sh" | tail -1
if dpkg-query -W -f='${Status}' kubernetes-client 2>/dev/null | grep -q "install ok installed"; then
  KUBECTL=/usr/bin/kubectl
else
  KUBECTL="$CACHE/kubernetes-client/usr/bin/kubectl"
fi
WORK="$(mktemp -d "${TMPDIR:-/tmp}/fazhi-ct.XXXXXX")"
"$KUBECTL" kustomize "$DEPLOY/overlays/local" >"$WORK/local.yaml"
# The Secrets the local overlay mounts, made as deploy/README.md ("Apply")
# says; readable by the containers' user (a scratch directory of this run).
mkdir -p "$WORK/secrets/fazhi-dev-token" "$WORK/secrets/fazhi-audit-signing-key" \
  "$WORK/secrets/fazhi-page-token-key" "$WORK/tokens"
openssl rand -base64 48 >"$WORK/secrets/fazhi-page-token-key/page-token.key"
openssl rand -hex 32 >"$WORK/secrets/fazhi-dev-token/dev-token.key"
openssl genpkey -algorithm ed25519 -out "$WORK/secrets/fazhi-audit-signing-key/signing.key"
chmod 0444 "$WORK/secrets"/*/*
FAZHI_SECRETS_DIR="$WORK/secrets" node "$DEPLOY/verify/podman-args.js" "$WORK/local.yaml" "$WORK" >"$WORK/workloads"

NAMES=()
cleanup() {
  if [ "${FAZHI_KEEP:-0}" = 1 ]; then
    say "kept containers ${NAMES[*]/#/$PREFIX} and $WORK"
    return
  fi
  for n in "${NAMES[@]}"; do "${PODMAN[@]}" rm -f -t 0 "$PREFIX$n" >/dev/null 2>&1 || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

# Health as the kubelet's gRPC probe asks it. Prints the status name.
health() {
  /usr/bin/python3 - "$1" "$2" <<'PY'
import sys, grpc
port, service = sys.argv[1], sys.argv[2].encode()
req = b"\x0a" + bytes([len(service)]) + service if service else b""
names = {0: "UNKNOWN", 1: "SERVING", 2: "NOT_SERVING", 3: "SERVICE_UNKNOWN"}
try:
    with grpc.insecure_channel(f"127.0.0.1:{port}") as ch:
        resp = ch.unary_unary("/grpc.health.v1.Health/Check")(req, timeout=2)
    print(names.get(resp[1] if resp[:1] == b"\x08" else 0, "?"))
except grpc.RpcError as e:
    print(e.code().name)
PY
}

start_all() {
  while read -r name port readiness startup grace dirs; do
    for d in $dirs; do chown 10001:10001 "$d"; done
    mapfile -t args <"$WORK/$name.args"
    "${PODMAN[@]}" run -d --name "$PREFIX$name" "${RUN_ULIMITS[@]}" "${args[@]}" >/dev/null
  done <"$WORK/workloads"
}

wait_healthy() {
  while read -r name port readiness startup grace dirs; do
    local t0=$SECONDS
    until [ "$(health "$port" liveness)" = SERVING ]; do
      if [ $((SECONDS - t0)) -gt "$startup" ]; then
        "${PODMAN[@]}" logs "$PREFIX$name" 2>&1 | tail -20 >&2
        die "$name: startup probe (liveness) not SERVING within ${startup} s"
      fi
      sleep 1
    done
    local r l
    r="$(health "$port" "$readiness")"
    l="$(health "$port" liveness)"
    [ "$r" = SERVING ] || die "$name: readiness ($readiness) is $r"
    say "$name :$port  startup+liveness(\"liveness\")=$l  readiness(\"$readiness\")=$r  overall(\"\")=$(health "$port" "")  after $((SECONDS - t0)) s"
  done <"$WORK/workloads"
}

fazhictl() {
  "${PODMAN[@]}" run --rm --network host "${RUN_ULIMITS[@]}" --read-only --cap-drop ALL \
    --security-opt no-new-privileges -v "$ROOT/data/demo:/demo:ro" -v "$WORK/secrets/fazhi-dev-token:/dev-token:ro" -v "$WORK/tokens:/tokens:ro" \
    --entrypoint '["fazhictl"]' "$IMAGE" "$@"
}

summary_check() {
  local json
  json="$(fazhictl summary --region 310113 --year 2023 --gateway 127.0.0.1:50050 --json)" ||
    die "summary through the gateway failed"
  echo "$json" >"$WORK/summary-$1.json"
  /usr/bin/python3 - "$WORK/summary-$1.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
backends = {b.get("service"): b.get("answered", False) for b in s.get("backends", [])}
print(f"  region {s['region'].get('displayName')} {s.get('year')}: partial={s.get('partial', False)}, "
      f"backends answered={backends}, findings={len(s.get('findings', []))}, "
      f"indicators={len(s.get('indicators', {}).get('indicators', []))}, "
      f"projects={s.get('projects', {}).get('total', 0)}")
if s.get("partial") or not backends or not all(backends.values()):
    sys.exit("summary is partial")
PY
}

# ------------------------------------------------------------ 4. run
step "run the four containers as the manifests say"
while read -r name _; do NAMES+=("$name"); done <"$WORK/workloads"
for n in "${NAMES[@]}"; do
  say "$n: podman run $(grep -v '^--volume\|^--add-host\|^--tmpfs' "$WORK/$n.args" | tr '\n' ' ')"
done
start_all
wait_healthy

step "load the demo data (fazhictl import, from the image) and fetch a summary through the gateway"
# The tokens of the principals the import and the cookbook act as
# (var/secrets/<name>.token in the cookbook's lines).
for p in admin:dev/admin reader:dev/reader auditor:dev/auditor security:dev/security report:svc/report; do
  fazhictl token mint --key /dev-token/dev-token.key --principal "${p#*:}" >"$WORK/tokens/${p%%:*}.token"
done
fazhictl import /demo --token_file=/tokens/admin.token
summary_check first
fazhictl summary --region 310113 --year 2023 --gateway 127.0.0.1:50050 | head -12
metrics_lines="$(curl -fsS http://127.0.0.1:51050/metrics | grep -c '^fazhi_' || true)"
[ "$metrics_lines" -gt 0 ] || die "the gateway's Prometheus endpoint has no fazhi_ samples"
say "Prometheus :51050/metrics: $metrics_lines fazhi_ samples, e.g. $(curl -fsS http://127.0.0.1:51050/metrics | grep '^fazhi_.*GetDistrictComplianceSummary' | head -1)"

step "the grpcurl cookbook of deploy/README.md, every command"
FAZHI_COOKBOOK_FILES="$(for n in admin reader auditor security report; do printf 'var/secrets/%s.token=%s,' "$n" "$WORK/tokens/$n.token"; done)" \
  /usr/bin/python3 "$DEPLOY/verify/cookbook.py" "$DEPLOY/README.md" ||
  die "a cookbook command failed"

# ------------------------------------------------------------ 5. stop, restart
step "SIGTERM each container (podman stop, timeout = terminationGracePeriodSeconds)"
while read -r name port readiness startup grace dirs; do
  t0=$SECONDS
  "${PODMAN[@]}" stop -t "$grace" "$PREFIX$name" >/dev/null
  took=$((SECONDS - t0))
  code="$("${PODMAN[@]}" inspect "$PREFIX$name" --format '{{.State.ExitCode}}')"
  last="$("${PODMAN[@]}" logs "$PREFIX$name" 2>&1 | tail -1)"
  [ "$code" = 0 ] || die "$name exited $code after SIGTERM: $last"
  [ "$took" -lt "$grace" ] || die "$name took $took s to stop, grace is $grace s"
  say "$name: exit 0 after $took s (grace $grace s): ${last#* }"
done <"$WORK/workloads"
for n in "${NAMES[@]}"; do "${PODMAN[@]}" rm "$PREFIX$n" >/dev/null; done

step "start again on the same volumes: the data is still there"
start_all
wait_healthy
summary_check second
cmp -s "$WORK/summary-first.json" "$WORK/summary-second.json" ||
  die "the summary changed across a restart"
say "same summary after the restart"

echo
say "passed in $((SECONDS - START)) s"
echo "container-test: 1 passed, 0 failed"
