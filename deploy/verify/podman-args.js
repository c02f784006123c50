#!/usr/bin/env node
// Turns a rendered overlay into `podman run` arguments, so that
// deploy/container-test.sh runs each workload the way its manifest says:
// the same command and args, the same environment (the downward API's memory
// limit included), the ConfigMaps as files at the same paths, the Secrets
// from FAZHI_SECRETS_DIR/<secret name>/, a directory for
// each volume claim, tmpfs for emptyDir, the user, a read-only root, no
// capabilities, no privilege escalation, the memory and CPU limits, and the
// grace period as the stop timeout.
//
//   node podman-args.js RENDERED.yaml WORKDIR
//
// For each Deployment and StatefulSet it writes WORKDIR/<name>.args (one
// podman argument a line, image and command last) and the files those
// arguments mount under WORKDIR/<name>/. Service names the flags dial (e.g.
// catalogue:50051) are mapped to 127.0.0.1 with --add-host, since every
// container runs in the host's network namespace. It prints, per workload:
//   <name> <grpc port> <readiness service> <startup budget s> <grace s> <data dirs...>
'use strict';

const fs = require('fs');
const path = require('path');
const YAML = require('yaml');

const [file, work] = process.argv.slice(2);
const objects = YAML.parseAllDocuments(fs.readFileSync(file, 'utf8')).map((d) => d.toJS()).filter(Boolean);
const find = (kind, name) => objects.find((o) => o.kind === kind && o.metadata.name === name);
const services = objects.filter((o) => o.kind === 'Service').map((o) => o.metadata.name);

const UNITS = { '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40 };
function bytes(q) {
  const m = /^([0-9.]+)([A-Za-z]*)$/.exec(String(q));
  if (!m || !(m[2] in UNITS)) throw new Error(`cannot read quantity ${q}`);
  return Math.round(parseFloat(m[1]) * UNITS[m[2]]);
}
function cpus(q) {
  const s = String(q);
  return s.endsWith('m') ? parseFloat(s) / 1000 : parseFloat(s);
}

for (const w of objects.filter((o) => o.kind === 'Deployment' || o.kind === 'StatefulSet')) {
  const name = w.metadata.name;
  const pod = w.spec.template.spec;
  const c = pod.containers[0];
  const dir = path.join(work, name);
  fs.mkdirSync(dir, { recursive: true });
  const psc = pod.securityContext || {};
  const sc = c.securityContext || {};
  const uid = sc.runAsUser !== undefined ? sc.runAsUser : psc.runAsUser;
  const gid = sc.runAsGroup !== undefined ? sc.runAsGroup : psc.runAsGroup;
  const args = ['--network=host', `--user=${uid}:${gid}`];
  if (psc.fsGroup !== undefined) args.push(`--group-add=${psc.fsGroup}`);
  if (sc.readOnlyRootFilesystem) args.push('--read-only');
  for (const cap of (sc.capabilities || {}).drop || []) args.push(`--cap-drop=${cap}`);
  if (sc.allowPrivilegeEscalation === false) args.push('--security-opt=no-new-privileges');
  const limits = (c.resources || {}).limits || {};
  if (limits.memory) args.push(`--memory=${bytes(limits.memory)}`);
  if (limits.cpu) args.push(`--cpus=${cpus(limits.cpu)}`);
  const grace = pod.terminationGracePeriodSeconds === undefined ? 30 : pod.terminationGracePeriodSeconds;
  args.push(`--stop-timeout=${grace}`);

  for (const e of c.env || []) {
    let value = e.value;
    const ref = e.valueFrom && e.valueFrom.resourceFieldRef;
    if (ref) {
      const q = ((c.resources || {})[ref.resource.split('.')[0]] || {})[ref.resource.split('.')[1]];
      value = String(Math.floor(bytes(q) / bytes(ref.divisor || '1')));
    }
    if (value === undefined) throw new Error(`${name}: env ${e.name} has no value this script can compute`);
    args.push(`--env=${e.name}=${value}`);
  }

  const dataDirs = [];
  const volumes = new Map((pod.volumes || []).map((v) => [v.name, v]));
  const claims = new Set((w.spec.volumeClaimTemplates || []).map((t) => t.metadata.name));
  for (const m of c.volumeMounts || []) {
    const v = volumes.get(m.name);
    const ro = m.readOnly ? ':ro' : '';
    if (claims.has(m.name)) {
      const host = path.join(dir, `claim-${m.name}`);
      fs.mkdirSync(host, { recursive: true });
      dataDirs.push(host);
      args.push(`--volume=${host}:${m.mountPath}`);
    } else if (v && v.configMap) {
      const cm = find('ConfigMap', v.configMap.name);
      if (!cm) throw new Error(`${name}: no ConfigMap ${v.configMap.name}`);
      const host = path.join(dir, `configmap-${m.name}`);
      fs.mkdirSync(host, { recursive: true });
      for (const [k, text] of Object.entries(cm.data || {})) fs.writeFileSync(path.join(host, k), text);
      const src = m.subPath ? path.join(host, m.subPath) : host;
      args.push(`--volume=${src}:${m.mountPath}${m.subPath ? ':ro' : ro}`);
    } else if (v && v.secret) {
      // Secrets are made by whoever runs the containers (their content is
      // not in the manifests): FAZHI_SECRETS_DIR/<secret name>/<key>.
      const host = path.join(process.env.FAZHI_SECRETS_DIR || '', v.secret.secretName);
      if (!process.env.FAZHI_SECRETS_DIR || !fs.existsSync(host)) {
        throw new Error(`${name}: Secret ${v.secret.secretName} not found under FAZHI_SECRETS_DIR`);
      }
      args.push(`--volume=${host}:${m.mountPath}:ro`);
    } else if (v && v.emptyDir) {
      args.push(`--tmpfs=${m.mountPath}:rw,nosuid,nodev,size=${v.emptyDir.sizeLimit ? bytes(v.emptyDir.sizeLimit) : 67108864}`);
    } else {
      throw new Error(`${name}: volume ${m.name} is of a kind this script does not run`);
    }
  }
  for (const s of services) args.push(`--add-host=${s}:127.0.0.1`);

  // Kubernetes' `command` replaces the image's ENTRYPOINT, `args` its CMD.
  args.push(`--entrypoint=${JSON.stringify(c.command)}`);
  args.push(c.image);
  args.push(...(c.args || []));
  fs.writeFileSync(path.join(work, `${name}.args`), args.join('\n') + '\n');

  const grpc = (c.ports || []).find((p) => p.name === 'grpc').containerPort;
  const readiness = ((c.readinessProbe || {}).grpc || {}).service || '';
  const sp = c.startupProbe || {};
  const startupBudget = (sp.periodSeconds || 10) * (sp.failureThreshold || 3);
  console.log([name, grpc, readiness, startupBudget, grace, ...dataDirs].join(' '));
}
