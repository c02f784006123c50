#!/usr/bin/env node
// Checks rendered Kubernetes manifests (the output of `kubectl kustomize`)
// with no cluster. Run by deploy/verify.sh; exits 1 on any problem.
//
//   node validate.js --root REPO [--label NAME] RENDERED.yaml...
//   node validate.js --root REPO --self-test
//
// Three layers:
//   1. schema: every object through its kubernetes-models class's validate()
//      (types, required fields, formats, enums);
//   2. unknown fields: the same package's TypeScript interfaces, with the
//      compiler's excess-property check (validate() alone lets unknown fields
//      through);
//   3. our own rules for this suite (ownChecks below), most of them tied to
//      the source: flag names from ABSL_FLAG, service names from the protos,
//      which binaries open a store or read the rules file from their main.cc,
//      which flags and backends each has from every source of its folder.
'use strict';

const fs = require('fs');
const path = require('path');
const YAML = require('yaml');
const ts = require('typescript');

// Seconds RocksDB may take to sync the WAL, flush memtables and close, on top
// of the drain and the in-flight grace, within terminationGracePeriodSeconds.
const STORE_CLOSE_SECONDS = 30;
// Flags absl itself defines; allowed on every binary.
const ABSL_BUILTIN_FLAGS = ['flagfile', 'fromenv', 'tryfromenv', 'undefok'];
// Volume types the Pod Security "restricted" profile allows.
const RESTRICTED_VOLUME_TYPES = ['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral',
  'persistentVolumeClaim', 'projected', 'secret'];
const NAMESPACED_EXCEPTIONS = ['Namespace'];
const PROMETHEUS_POD_LABELS = { 'app.kubernetes.io/name': 'prometheus' };

// ---------------------------------------------------------------- arguments

function parseArgs(argv) {
  const args = { files: [], label: null, root: null, selfTest: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--root') args.root = argv[++i];
    else if (a === '--label') args.label = argv[++i];
    else if (a === '--self-test') args.selfTest = true;
    else args.files.push(a);
  }
  if (!args.root) throw new Error('--root REPO is required');
  return args;
}

// ------------------------------------------------------- facts from the source

// What the source says about each service: binary, full gRPC service name,
// whether it opens a store and reads the rules file, and the flags it accepts.
function readSourceFacts(root) {
  const flagNames = (file) => {
    const text = fs.readFileSync(path.join(root, file), 'utf8');
    return [...text.matchAll(/ABSL_FLAG\(\s*[^,]+,\s*([a-z0-9_]+)\s*,/g)].map((m) => m[1]);
  };
  // A service's own sources: every .cc of its folder (its flags may live
  // beside main.cc, e.g. services/gateway/gateway_flags.cc).
  const serviceSources = (name) =>
    fs.readdirSync(path.join(root, 'services', name)).filter((f) => f.endsWith('.cc')).sort()
      .map((f) => path.join('services', name, f));
  // Every server links these: the common server flags, the TLS flags and
  // the security flags (policy, development tokens, audit).
  const common = [...flagNames('common/server/service_main.cc'), ...flagNames('common/server/tls_flags.cc'),
    ...flagNames('common/server/security_flags.cc')];
  const services = {};
  const dir = path.join(root, 'services');
  for (const name of fs.readdirSync(dir).sort()) {
    const mainFile = path.join('services', name, 'main.cc');
    const proto = path.join(root, 'proto/fazhi', name, 'v1', `${name}_service.proto`);
    if (!fs.existsSync(path.join(root, mainFile)) || !fs.existsSync(proto)) continue;
    const main = fs.readFileSync(path.join(root, mainFile), 'utf8');
    const protoText = fs.readFileSync(proto, 'utf8');
    const pkg = /^package\s+([\w.]+);/m.exec(protoText);
    const svc = /^service\s+(\w+)\s*\{/m.exec(protoText);
    if (!pkg || !svc) throw new Error(`${proto}: no package or service`);
    services[name] = {
      binary: `${name}_server`,
      fullName: `${pkg[1]}.${svc[1]}`,
      store: main.includes('StoreOptionsFromFlags'),
      rules: main.includes('RulesPathFromFlags'),
      // The services it dials: an address flag named after one (--metrics=…).
      calls: new Set(),
      flags: new Set([...common, ...serviceSources(name).flatMap(flagNames), ...ABSL_BUILTIN_FLAGS]),
    };
  }
  if (Object.keys(services).length === 0) throw new Error(`no services found under ${dir}`);
  for (const [name, svc] of Object.entries(services)) {
    const sources = serviceSources(name).map((f) => fs.readFileSync(path.join(root, f), 'utf8'));
    for (const other of Object.keys(services)) {
      const flag = new RegExp(`ABSL_FLAG\\(std::string,\\s*${other},`);
      if (other !== name && sources.some((text) => flag.test(text))) svc.calls.add(other);
    }
  }
  const rules = fs.readFileSync(path.join(root, 'data/rules.textproto'), 'utf8');
  return { services, rules };
}

// ------------------------------------------------------------------ helpers

function id(obj) {
  const m = obj.metadata || {};
  return `${obj.kind}/${m.name}`;
}

function isSubset(small, big) {
  return Object.entries(small || {}).every(([k, v]) => (big || {})[k] === v);
}

function sameMap(a, b) {
  return isSubset(a, b) && isSubset(b, a);
}

// A label selector ({matchLabels, matchExpressions}) against labels. Only
// matchLabels is used in these manifests; expressions are refused so that a
// check never silently passes on something it cannot read.
function selects(selector, labels, problems, where) {
  if (!selector) return false;
  if (selector.matchExpressions && selector.matchExpressions.length) {
    problems.push(`${where}: matchExpressions are not understood by the checks; use matchLabels`);
    return false;
  }
  return isSubset(selector.matchLabels, labels);
}

const QUANTITY_SUFFIX = {
  '': 1, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
  Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
};

function parseQuantity(q) {
  const m = /^([0-9]+(?:\.[0-9]+)?)(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/.exec(String(q));
  if (!m) return NaN;
  return parseFloat(m[1]) * QUANTITY_SUFFIX[m[2] || ''];
}

// absl flagfile text -> Map(name -> value). "--x=y", "--x" (true), "--nox".
function parseFlagFile(text) {
  const flags = new Map();
  const bad = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const m = /^--?([A-Za-z0-9_]+)(?:=(.*))?$/.exec(line);
    if (!m) {
      bad.push(line);
      continue;
    }
    flags.set(m[1], m[2] === undefined ? 'true' : m[2]);
  }
  return { flags, bad };
}

function hostPort(value) {
  const m = /^(.*):([0-9]+)$/.exec(value || '');
  return m ? { host: m[1], port: Number(m[2]) } : null;
}

// --------------------------------------------------------------- 1. schema

function modelFor(apiVersion, kind) {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : [null, apiVersion];
  const module = group ? `kubernetes-models/${group}/${version}/${kind}` : `kubernetes-models/v1/${kind}`;
  let mod;
  try {
    mod = require(module);
  } catch (e) {
    return { module, error: `no schema for ${apiVersion} ${kind} in kubernetes-models` };
  }
  if (!mod[kind]) return { module, error: `no class ${kind} in ${module}` };
  return { module, Model: mod[kind] };
}

function schemaChecks(docs, problems) {
  for (const d of docs) {
    const { obj } = d;
    if (!obj || typeof obj !== 'object' || !obj.apiVersion || !obj.kind) {
      problems.push(`${d.where}: not a Kubernetes object (no apiVersion or kind)`);
      continue;
    }
    const { module, Model, error } = modelFor(obj.apiVersion, obj.kind);
    d.module = module;
    if (error) {
      problems.push(`${d.where}: ${error}`);
      continue;
    }
    try {
      new Model(obj).validate();
    } catch (e) {
      problems.push(`${d.where}: schema: ${e.message}`);
    }
  }
}

// ------------------------------------------------------ 2. unknown fields

// The JSON path of the object literal property at `pos` in the generated file.
function pathAt(sourceFile, pos) {
  let found = null;
  const visit = (node) => {
    if (pos >= node.getStart(sourceFile) && pos < node.getEnd()) {
      found = node;
      ts.forEachChild(node, visit);
    }
  };
  visit(sourceFile);
  const parts = [];
  for (let n = found; n; n = n.parent) {
    if (ts.isPropertyAssignment(n)) parts.unshift(n.name.text);
    if (n.parent && ts.isArrayLiteralExpression(n.parent)) {
      parts.unshift(`[${n.parent.elements.indexOf(n)}]`);
    }
    if (ts.isVariableDeclaration(n)) break;
  }
  return parts.join('.').replace(/\.\[/g, '[');
}

function unknownFieldChecks(docs, problems) {
  const file = path.join(__dirname, '__rendered__.ts');
  const lines = [];
  const ranges = [];
  docs.forEach((d, i) => {
    if (!d.module || !d.obj || !d.obj.kind) return;
    lines.push(`import type { I${d.obj.kind} as T${i} } from ${JSON.stringify(d.module)};`);
  });
  docs.forEach((d, i) => {
    if (!d.module || !d.obj || !d.obj.kind) return;
    const literal = JSON.stringify(d.obj, null, 2).split('\n');
    literal[0] = `export const d${i}: T${i} = ${literal[0]}`;
    literal[literal.length - 1] += ';';
    ranges.push({ start: lines.length, end: lines.length + literal.length, d });
    lines.push(...literal);
  });
  const text = lines.join('\n') + '\n';
  const options = {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
    target: ts.ScriptTarget.ES2020,
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
  };
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists, readFile } = host;
  host.getSourceFile = (name, ...rest) => (path.resolve(name) === file
    ? ts.createSourceFile(name, text, ts.ScriptTarget.ES2020, true)
    : getSourceFile.call(host, name, ...rest));
  host.fileExists = (name) => path.resolve(name) === file || fileExists.call(host, name);
  host.readFile = (name) => (path.resolve(name) === file ? text : readFile.call(host, name));
  const program = ts.createProgram([file], options, host);
  const sourceFile = program.getSourceFile(file);
  for (const diag of ts.getPreEmitDiagnostics(program)) {
    const message = ts.flattenDiagnosticMessageText(diag.messageText, ' ');
    if (!diag.file || path.resolve(diag.file.fileName) !== file) {
      problems.push(`typescript: ${message}`);
      continue;
    }
    const { line } = diag.file.getLineAndCharacterOfPosition(diag.start);
    const range = ranges.find((r) => line >= r.start && line < r.end);
    const where = range ? range.d.where : `line ${line + 1}`;
    problems.push(`${where}: ${pathAt(sourceFile, diag.start)}: ${message}`);
  }
}

// ------------------------------------------------------------ 3. own rules

function ownChecks(objects, facts, problems) {
  const byKind = (kind) => objects.filter((o) => o.kind === kind);
  const find = (kind, name) => objects.find((o) => o.kind === kind && o.metadata.name === name);
  const err = (o, msg) => problems.push(`${typeof o === 'string' ? o : id(o)}: ${msg}`);

  // Names are unique per kind.
  const seen = new Set();
  for (const o of objects) {
    if (!o.metadata || !o.metadata.name) {
      err(`${o.kind}/?`, 'no metadata.name');
      continue;
    }
    const key = id(o);
    if (seen.has(key)) err(o, 'appears twice');
    seen.add(key);
  }

  // One Namespace, enforcing "restricted", and everything in it.
  const namespaces = byKind('Namespace');
  let ns = null;
  if (namespaces.length !== 1) {
    problems.push(`expected exactly one Namespace, found ${namespaces.length}`);
  } else {
    ns = namespaces[0];
    const labels = ns.metadata.labels || {};
    if (labels['pod-security.kubernetes.io/enforce'] !== 'restricted') {
      err(ns, 'does not enforce Pod Security "restricted" (label pod-security.kubernetes.io/enforce)');
    }
    for (const o of objects) {
      if (NAMESPACED_EXCEPTIONS.includes(o.kind)) continue;
      if ((o.metadata || {}).namespace !== ns.metadata.name) {
        err(o, `namespace is ${(o.metadata || {}).namespace}, expected ${ns.metadata.name}`);
      }
    }
  }

  // ServiceAccounts carry no token.
  for (const sa of byKind('ServiceAccount')) {
    if (sa.automountServiceAccountToken !== false) err(sa, 'automountServiceAccountToken is not false');
  }

  // The workloads: exactly one per service, a StatefulSet for each service
  // that opens a store, a Deployment for the others.
  const workloads = [...byKind('Deployment'), ...byKind('StatefulSet')];
  for (const [name, svc] of Object.entries(facts.services)) {
    const kind = svc.store ? 'StatefulSet' : 'Deployment';
    const mine = workloads.filter((w) => w.metadata.name === name);
    if (mine.length !== 1 || mine[0].kind !== kind) {
      problems.push(`${name}: expected one ${kind} named ${name} (${svc.store ? 'it opens a store' : 'stateless'})`);
    }
  }
  for (const w of workloads) {
    if (!facts.services[w.metadata.name]) err(w, 'matches no service under services/');
  }

  const podLabels = (w) => (((w.spec || {}).template || {}).metadata || {}).labels || {};
  const configMapText = (name, key) => {
    const cm = find('ConfigMap', name);
    return cm && cm.data ? cm.data[key] : undefined;
  };

  for (const w of workloads) {
    const svc = facts.services[w.metadata.name];
    if (!svc) continue;
    const spec = w.spec || {};
    const pod = (spec.template || {}).spec || {};
    const labels = podLabels(w);
    if (!selects(spec.selector, labels, problems, id(w))) err(w, 'selector does not match its pod template labels');

    // Service account, no token, no host namespaces or host paths.
    if (pod.automountServiceAccountToken !== false) err(w, 'pod automountServiceAccountToken is not false');
    const sa = find('ServiceAccount', pod.serviceAccountName);
    if (!pod.serviceAccountName || !sa) err(w, `serviceAccountName ${pod.serviceAccountName} names no ServiceAccount here`);
    for (const h of ['hostNetwork', 'hostPID', 'hostIPC']) if (pod[h]) err(w, `${h} is set`);
    const volumes = new Map((pod.volumes || []).map((v) => [v.name, v]));
    for (const v of pod.volumes || []) {
      const type = Object.keys(v).find((k) => k !== 'name');
      if (!RESTRICTED_VOLUME_TYPES.includes(type)) err(w, `volume ${v.name} is ${type}, not allowed by "restricted"`);
      if (v.configMap && !find('ConfigMap', v.configMap.name)) err(w, `volume ${v.name}: no ConfigMap ${v.configMap.name}`);
    }

    // Pod-level security context.
    const psc = pod.securityContext || {};
    if (psc.runAsUser === 0) err(w, 'pod runAsUser is 0');
    if (psc.runAsGroup === 0) err(w, 'pod runAsGroup is 0');

    const containers = [...(pod.initContainers || []), ...(pod.containers || [])];
    if ((pod.containers || []).length !== 1) err(w, 'expected one container');
    for (const c of containers) {
      const where = `${id(w)} container ${c.name}`;
      const sc = c.securityContext || {};
      // Pod Security "restricted", container by container.
      if (sc.allowPrivilegeEscalation !== false) err(where, 'allowPrivilegeEscalation is not false');
      if (sc.readOnlyRootFilesystem !== true) err(where, 'readOnlyRootFilesystem is not true');
      if (sc.privileged) err(where, 'privileged');
      const caps = sc.capabilities || {};
      if (!(caps.drop || []).includes('ALL')) err(where, 'capabilities do not drop ALL');
      if ((caps.add || []).some((a) => a !== 'NET_BIND_SERVICE')) err(where, `adds capabilities ${caps.add}`);
      const nonRoot = sc.runAsNonRoot !== undefined ? sc.runAsNonRoot : psc.runAsNonRoot;
      if (nonRoot !== true) err(where, 'runAsNonRoot is not true (pod or container)');
      const user = sc.runAsUser !== undefined ? sc.runAsUser : psc.runAsUser;
      if (user === 0 || user === undefined) err(where, 'runs as root, or as no explicit user');
      const seccomp = (sc.seccompProfile || psc.seccompProfile || {}).type;
      if (!['RuntimeDefault', 'Localhost'].includes(seccomp)) err(where, `seccompProfile is ${seccomp}, not RuntimeDefault`);
      for (const p of c.ports || []) if (p.hostPort) err(where, `hostPort ${p.hostPort}`);

      // Requests and limits, cpu and memory, limit >= request.
      const res = c.resources || {};
      for (const r of ['cpu', 'memory']) {
        const req = (res.requests || {})[r];
        const lim = (res.limits || {})[r];
        if (req === undefined) err(where, `no ${r} request`);
        if (lim === undefined) err(where, `no ${r} limit`);
        if (req !== undefined && Number.isNaN(parseQuantity(req))) err(where, `${r} request ${req} unreadable`);
        if (lim !== undefined && Number.isNaN(parseQuantity(lim))) err(where, `${r} limit ${lim} unreadable`);
        if (req !== undefined && lim !== undefined && parseQuantity(lim) < parseQuantity(req)) {
          err(where, `${r} limit ${lim} below request ${req}`);
        }
      }

      // The image comes from an overlay, with a tag.
      const image = c.image || '';
      if (!/^[^:@]+(:[\w][\w.-]*|@sha256:[0-9a-f]{64})$/.test(image.replace(/^([^/]+:\d+)\//, 'host/'))) {
        err(where, `image ${image} has no tag or digest`);
      }
      if (image.endsWith(':latest')) err(where, 'image tag is latest');
      if (!image.includes('/')) err(where, `image ${image} was not set by the overlay (images:)`);
    }

    const c = (pod.containers || [])[0];
    if (!c) continue;
    const where = `${id(w)} container ${c.name}`;
    if (!c.command || c.command[0] !== svc.binary) err(where, `command is ${JSON.stringify(c.command)}, expected ${svc.binary}`);
    const portByName = new Map((c.ports || []).map((p) => [p.name, p.containerPort]));
    const grpcPort = portByName.get('grpc');
    const metricsPort = portByName.get('metrics');
    if (!grpcPort) err(where, 'no container port named grpc');
    if (!metricsPort) err(where, 'no container port named metrics');
    const mountAt = (p) => (c.volumeMounts || []).filter((m) => p === m.mountPath || p.startsWith(m.mountPath.replace(/\/?$/, '/')))
      .sort((a, b) => b.mountPath.length - a.mountPath.length)[0];

    // Flags: from a ConfigMap through --flagfile, known to the binary.
    const flagfiles = (c.args || []).filter((a) => a.startsWith('--flagfile='));
    const flags = new Map();
    // Several flag files are read in order; a later one adds flags (the
    // local overlay's development flags).
    if (flagfiles.length < 1) err(where, 'expected a --flagfile= argument (flags come from a ConfigMap)');
    for (const a of c.args || []) {
      if (a.startsWith('--flagfile=')) continue;
      const m = /^--([A-Za-z0-9_]+)(?:=(.*))?$/.exec(a);
      if (m) flags.set(m[1], m[2] === undefined ? 'true' : m[2]);
    }
    for (const ff of flagfiles) {
      const file = ff.slice('--flagfile='.length);
      const mount = mountAt(file);
      const vol = mount && volumes.get(mount.name);
      if (!vol || !vol.configMap) {
        err(where, `${file} is not on a ConfigMap volume`);
        continue;
      }
      const key = mount.subPath || path.posix.relative(mount.mountPath, file);
      const text = configMapText(vol.configMap.name, key);
      if (text === undefined) {
        err(where, `ConfigMap ${vol.configMap.name} has no key ${key} for ${file}`);
        continue;
      }
      const parsed = parseFlagFile(text);
      for (const b of parsed.bad) err(where, `flag file line not understood: ${b}`);
      for (const [k, v] of parsed.flags) if (!flags.has(k)) flags.set(k, v);
    }
    for (const k of flags.keys()) {
      if (!svc.flags.has(k)) err(where, `--${k} is not a flag of ${svc.binary} (no ABSL_FLAG for it in its sources)`);
    }
    const listen = hostPort(flags.get('listen'));
    if (!listen || listen.port !== grpcPort) err(where, `--listen=${flags.get('listen')} does not serve container port grpc (${grpcPort})`);
    else if (!['0.0.0.0', '[::]'].includes(listen.host)) err(where, `--listen host ${listen.host} is not reachable from outside the pod`);
    const mport = flags.has('metrics_port') ? Number(flags.get('metrics_port')) : (grpcPort || 0) + 1000;
    if (mport !== metricsPort) err(where, `Prometheus port ${mport} is not container port metrics (${metricsPort})`);
    if (flags.get('metrics_address') !== '0.0.0.0') err(where, '--metrics_address is not 0.0.0.0: Prometheus could not reach it');
    const ann = ((spec.template || {}).metadata || {}).annotations || {};
    if (ann['prometheus.io/port'] !== undefined && Number(ann['prometheus.io/port']) !== metricsPort) {
      err(w, `annotation prometheus.io/port ${ann['prometheus.io/port']} is not the metrics port ${metricsPort}`);
    }

    // TLS: the files on a Secret mounted as a directory (the kubelet
    // updates a Secret in place only without subPath, and the servers re-read
    // the files: rotation without a restart); the probes on the plaintext
    // health-only port, since the kubelet's gRPC probes cannot speak TLS.
    const tls = flags.has('tls_cert_file');
    const probePort = portByName.get('probe');
    for (const f of ['tls_cert_file', 'tls_key_file', 'tls_client_ca_file', 'tls_ca_file']) {
      if (!flags.has(f)) continue;
      const file = flags.get(f);
      const mount = mountAt(file);
      const vol = mount && volumes.get(mount.name);
      if (!vol || !vol.secret) err(where, `--${f}=${file} is not on a Secret volume`);
      else if (mount.subPath) err(where, `--${f}=${file} is mounted with subPath, which never sees the Secret's updates (no rotation)`);
    }
    if (tls && !flags.has('tls_key_file')) err(where, '--tls_cert_file without --tls_key_file');
    if (flags.has('probe_listen')) {
      const pl = hostPort(flags.get('probe_listen'));
      if (!pl || pl.port !== probePort) err(where, `--probe_listen=${flags.get('probe_listen')} does not serve container port probe (${probePort})`);
      else if (!['0.0.0.0', '[::]'].includes(pl.host)) err(where, `--probe_listen host ${pl.host} is not reachable by the kubelet`);
    } else if (probePort) err(where, `container port probe (${probePort}) but no --probe_listen`);
    if (tls && !flags.has('probe_listen')) err(where, 'serves TLS but has no --probe_listen: the kubelet\'s gRPC probes cannot speak TLS');

    // Trust: plaintext only when asked for (a server refuses to start
    // otherwise), and then never beside TLS; the policy from a ConfigMap; a
    // store's audit signing key from a Secret and its signed heads off the
    // data volume, so that whoever rewrites the store cannot make them match.
    if (!tls && flags.get('insecure_development') !== 'true') err(where, 'plaintext without --insecure_development: the server refuses to start');
    if (tls && (flags.has('insecure_development') || flags.has('dev_token_key_file'))) {
      err(where, 'serves TLS but takes development tokens (--insecure_development/--dev_token_key_file)');
    }
    const onVolume = (flag, kind) => {
      if (!flags.has(flag)) return err(where, `no --${flag}`);
      const mount = mountAt(flags.get(flag));
      const vol = mount && volumes.get(mount.name);
      if (!vol || !vol[kind]) err(where, `--${flag}=${flags.get(flag)} is not on a ${kind} volume`);
      return mount;
    };
    onVolume('policy_file', 'configMap');
    if (flags.has('dev_token_key_file')) onVolume('dev_token_key_file', 'secret');
    if (svc.store) {
      onVolume('audit_signing_key_file', 'secret');
      const heads = flags.get('audit_heads_file');
      const headsMount = heads && mountAt(heads);
      const dataMount = flags.has('data_dir') && mountAt(flags.get('data_dir'));
      if (!heads) err(where, 'no --audit_heads_file: signed heads are not exported');
      else if (!headsMount || (dataMount && headsMount.name === dataMount.name)) {
        err(where, `--audit_heads_file=${heads} is not on a volume of its own (apart from the data)`);
      }
    }
    // Only for servers that serve TLS: the main port is probed in plaintext.
    const probeTarget = tls ? probePort : grpcPort;
    const probeTargetName = tls ? 'the plaintext probe port' : 'the gRPC port';

    // Probes: native gRPC; readiness on the service's name (NOT_SERVING while
    // draining), startup and liveness on "liveness" (SERVING while the
    // process can answer). Liveness may be left off a store only.
    const probe = (p, kind, names) => {
      if (!p) return;
      if (!p.grpc) {
        err(where, `${kind} is not a native gRPC probe`);
        return;
      }
      if (p.grpc.port !== probeTarget) err(where, `${kind} probes port ${p.grpc.port}, not ${probeTargetName} ${probeTarget}`);
      const name = p.grpc.service === undefined ? '' : p.grpc.service;
      if (!names.includes(name)) err(where, `${kind} asks health for "${name}", expected one of ${JSON.stringify(names)}`);
    };
    if (!c.readinessProbe) err(where, 'no readinessProbe');
    if (!c.startupProbe) err(where, 'no startupProbe');
    if (!c.livenessProbe && !svc.store) err(where, 'no livenessProbe (only a store may go without one)');
    probe(c.readinessProbe, 'readinessProbe', [svc.fullName, '']);
    probe(c.startupProbe, 'startupProbe', ['liveness', svc.fullName, '']);
    probe(c.livenessProbe, 'livenessProbe', ['liveness']);

    // Graceful shutdown fits in the grace period.
    const drain = Number(flags.has('drain_seconds') ? flags.get('drain_seconds') : 0);
    const grace = Number(flags.has('shutdown_grace_seconds') ? flags.get('shutdown_grace_seconds') : 10);
    const need = drain + grace + (svc.store ? STORE_CLOSE_SECONDS : 0);
    const tgps = pod.terminationGracePeriodSeconds === undefined ? 30 : pod.terminationGracePeriodSeconds;
    if (!(tgps > need)) {
      err(w, `terminationGracePeriodSeconds ${tgps} is not above drain ${drain} + grace ${grace}` +
        `${svc.store ? ` + store close ${STORE_CLOSE_SECONDS}` : ''} = ${need}`);
    }

    // The rules file, where the binary reads one, is the repository's.
    if (svc.rules) {
      const file = flags.get('rules');
      const mount = file && mountAt(file);
      const vol = mount && volumes.get(mount.name);
      if (!vol || !vol.configMap) {
        err(where, `--rules=${file} is not on a ConfigMap volume`);
      } else {
        const key = mount.subPath || path.posix.relative(mount.mountPath, file);
        const text = configMapText(vol.configMap.name, key);
        if (text === undefined) err(where, `ConfigMap ${vol.configMap.name} has no key ${key}`);
        else if (text !== facts.rules) err(where, `ConfigMap ${vol.configMap.name} differs from data/rules.textproto`);
      }
    }

    // A Service (ClusterIP) and a PodDisruptionBudget select the pods.
    const services = byKind('Service').filter((s) => s.spec && s.spec.selector && isSubset(s.spec.selector, labels));
    const clusterIp = services.filter((s) => s.spec.clusterIP !== 'None');
    if (clusterIp.length === 0) err(w, 'no ClusterIP Service selects its pods');
    const pdbs = byKind('PodDisruptionBudget').filter((p) => selects(p.spec.selector, labels, problems, id(p)));
    if (pdbs.length !== 1) err(w, `expected one PodDisruptionBudget, found ${pdbs.length}`);

    if (svc.store) {
      // One replica: a second one would be a second, different database.
      if (spec.replicas !== 1) err(w, `replicas is ${spec.replicas}; a store has exactly one (split it to scale)`);
      // The governing Service is headless and selects the pods.
      const gov = find('Service', spec.serviceName);
      if (!gov || gov.spec.clusterIP !== 'None' || !isSubset(gov.spec.selector, labels)) {
        err(w, `serviceName ${spec.serviceName} is not a headless Service selecting its pods`);
      }
      // A volume claim per pod, mounted where --data_dir points.
      const claims = spec.volumeClaimTemplates || [];
      const dataDir = flags.get('data_dir');
      const mount = dataDir && mountAt(dataDir);
      const claim = mount && claims.find((t) => t.metadata.name === mount.name);
      if (!dataDir) err(where, 'no --data_dir');
      else if (!claim) err(w, `--data_dir=${dataDir} is not on a volumeClaimTemplate`);
      else {
        const storage = (((claim.spec || {}).resources || {}).requests || {}).storage;
        if (!storage || Number.isNaN(parseQuantity(storage))) err(w, `claim ${claim.metadata.name} requests no storage`);
        if (!((claim.spec || {}).accessModes || []).includes('ReadWriteOnce')) err(w, `claim ${claim.metadata.name} is not ReadWriteOnce`);
        if (mount.readOnly) err(where, 'the data volume is mounted read-only');
      }
      if (volumes.has((mount || {}).name)) err(w, 'the data volume is a pod volume, not a claim');
      // The memory limit reaches the RocksDB budget.
      const env = (c.env || []).find((e) => e.name === 'FAZHI_MEMORY_LIMIT_BYTES');
      const ref = env && env.valueFrom && env.valueFrom.resourceFieldRef;
      if (!ref || ref.resource !== 'limits.memory' || (ref.containerName && ref.containerName !== c.name) ||
        (ref.divisor !== undefined && parseQuantity(ref.divisor) !== 1)) {
        err(where, 'FAZHI_MEMORY_LIMIT_BYTES is not the downward API limits.memory of this container, in bytes');
      }
      if (flags.has('memory_budget_mb') && Number(flags.get('memory_budget_mb')) !== 0) {
        err(where, '--memory_budget_mb overrides the budget taken from the memory limit');
      }
      if (flags.get('sync_writes') === 'false') err(where, '--sync_writes=false: acknowledged writes could be lost');
    } else {
      // A stateless Deployment: several replicas possible, autoscaled.
      const hpas = byKind('HorizontalPodAutoscaler').filter((h) => h.spec.scaleTargetRef.kind === w.kind &&
        h.spec.scaleTargetRef.name === w.metadata.name && h.spec.scaleTargetRef.apiVersion === w.apiVersion);
      if (hpas.length !== 1) err(w, `expected one HorizontalPodAutoscaler, found ${hpas.length}`);
      for (const h of hpas) {
        if (h.apiVersion !== 'autoscaling/v2') err(h, `is ${h.apiVersion}, expected autoscaling/v2`);
        if (!(h.spec.minReplicas >= 1 && h.spec.maxReplicas >= h.spec.minReplicas)) err(h, 'min/max replicas make no sense');
        if (spec.replicas < h.spec.minReplicas || spec.replicas > h.spec.maxReplicas) {
          err(w, `replicas ${spec.replicas} outside the autoscaler's ${h.spec.minReplicas}..${h.spec.maxReplicas}`);
        }
      }
    }
  }

  // A workload's flags: every flag file it reads, in order.
  const flagsOf = (w) => {
    const c = w.spec.template.spec.containers[0];
    const volumes = w.spec.template.spec.volumes || [];
    const texts = (c.args || []).filter((a) => a.startsWith('--flagfile=')).map((ff) => {
      const mount = (c.volumeMounts || []).find((m) => ff.slice('--flagfile='.length).startsWith(m.mountPath.replace(/\/?$/, '/')));
      const vol = mount && volumes.find((v) => v.name === mount.name && v.configMap);
      const cm = vol && find('ConfigMap', vol.configMap.name);
      return cm ? Object.values(cm.data || {}).join('\n') : '';
    });
    return parseFlagFile(texts.join('\n')).flags;
  };
  // The gateway's backend flags name Services that reach the stores.
  const storeWorkloads = workloads.filter((w) => (facts.services[w.metadata.name] || {}).store);
  const gatewayWorkloads = workloads.filter((w) => !(facts.services[w.metadata.name] || {}).store);
  for (const g of gatewayWorkloads) {
    const flags = flagsOf(g);
    for (const s of storeWorkloads) {
      const name = s.metadata.name;
      if (!facts.services[g.metadata.name].flags.has(name)) continue;
      const target = hostPort(flags.get(name));
      const grpc = (s.spec.template.spec.containers[0].ports || []).find((p) => p.name === 'grpc');
      const svcObj = target && find('Service', target.host.split('.')[0]);
      const port = svcObj && (svcObj.spec.ports || []).find((p) => p.port === target.port);
      if (!svcObj || !port || !isSubset(svcObj.spec.selector, podLabels(s)) ||
        !(port.targetPort === 'grpc' || port.targetPort === (grpc || {}).containerPort)) {
        err(g, `--${name}=${flags.get(name)} does not reach the ${name} pods' gRPC port through a Service`);
      }
    }
  }

  // TLS is all or nothing between services: a store that serves TLS asks
  // its callers for a certificate (mutual TLS), and each caller dials it
  // with TLS and has a certificate to show.
  for (const s of workloads.filter((w) => (facts.services[w.metadata.name] || {}).store)) {
    const storeFlags = flagsOf(s);
    if (!storeFlags.has('tls_cert_file')) continue;
    if (!storeFlags.has('tls_client_ca_file')) err(s, 'serves TLS without --tls_client_ca_file: its callers are not asked for a certificate');
    for (const caller of workloads.filter((w) => ((facts.services[w.metadata.name] || {}).calls || new Set()).has(s.metadata.name))) {
      const callerFlags = flagsOf(caller);
      for (const f of ['tls_ca_file', 'tls_cert_file', 'tls_key_file']) {
        if (!callerFlags.has(f)) err(caller, `calls ${s.metadata.name}, which serves mutual TLS, without --${f}`);
      }
    }
  }

  // Services: each selects a workload, and its target ports exist there.
  for (const s of byKind('Service')) {
    const targets = workloads.filter((w) => s.spec.selector && isSubset(s.spec.selector, podLabels(w)));
    if (targets.length !== 1) {
      err(s, `selects ${targets.length} workloads, expected 1`);
      continue;
    }
    const ports = targets[0].spec.template.spec.containers.flatMap((c) => c.ports || []);
    for (const p of s.spec.ports || []) {
      const t = p.targetPort === undefined ? p.port : p.targetPort;
      if (!ports.some((cp) => cp.name === t || cp.containerPort === t)) err(s, `targetPort ${t} is no container port`);
    }
  }
  for (const p of byKind('PodDisruptionBudget')) {
    const targets = workloads.filter((w) => selects(p.spec.selector, podLabels(w), problems, id(p)));
    if (targets.length !== 1) err(p, `selects ${targets.length} workloads, expected 1`);
  }

  networkPolicyChecks(objects, facts, workloads, podLabels, problems);
}

// A store's gRPC port admits exactly the services that call it — as their
// code says: the gateway calls every store, the report service calls metrics
// to publish figures — and each caller may reach it; only Prometheus (pods
// labelled app.kubernetes.io/name=prometheus in the namespace named by the
// policy) reaches any metrics port; everything else is denied by default.
function networkPolicyChecks(objects, facts, workloads, podLabels, problems) {
  const policies = objects.filter((o) => o.kind === 'NetworkPolicy');
  const err = (o, msg) => problems.push(`${typeof o === 'string' ? o : id(o)}: ${msg}`);
  const denyAll = policies.find((p) => sameMap((p.spec.podSelector || {}).matchLabels, {}) &&
    !(p.spec.podSelector || {}).matchExpressions && (p.spec.policyTypes || []).includes('Ingress') &&
    (p.spec.policyTypes || []).includes('Egress') && !(p.spec.ingress || []).length && !(p.spec.egress || []).length);
  if (!denyAll) problems.push('no default-deny NetworkPolicy (empty podSelector, Ingress and Egress, no rules)');

  const callersOf = (store) => workloads.filter((w) => ((facts.services[w.metadata.name] || {}).calls || new Set()).has(store));
  const isPrometheusPeer = (peer) => peer.namespaceSelector && peer.podSelector && !peer.ipBlock &&
    sameMap(peer.podSelector.matchLabels, PROMETHEUS_POD_LABELS) && !peer.podSelector.matchExpressions &&
    Object.keys(peer.namespaceSelector.matchLabels || {}).length > 0;
  // A peer selecting the pods of one of the store's callers, and no others'.
  const isCallerPeer = (store) => (peer) => peer.podSelector && !peer.namespaceSelector && !peer.ipBlock &&
    !peer.podSelector.matchExpressions && Object.keys(peer.podSelector.matchLabels || {}).length > 0 &&
    callersOf(store).some((c) => isSubset(peer.podSelector.matchLabels, podLabels(c))) &&
    workloads.filter((w) => isSubset(peer.podSelector.matchLabels, podLabels(w)))
      .every((w) => callersOf(store).includes(w));

  for (const w of workloads) {
    const svc = facts.services[w.metadata.name];
    if (!svc) continue;
    const labels = podLabels(w);
    const c = w.spec.template.spec.containers[0];
    const portOf = (name) => ((c.ports || []).find((p) => p.name === name) || {}).containerPort;
    const grpcPort = portOf('grpc');
    const metricsPort = portOf('metrics');
    const probePort = portOf('probe');
    const mine = policies.filter((p) => p.spec.podSelector && (p === denyAll || isSubset(p.spec.podSelector.matchLabels, labels)));
    const callerAllowed = new Set();
    let prometheusAllowed = false;
    for (const p of mine) {
      for (const rule of p.spec.ingress || []) {
        const where = `${id(p)} (for ${w.metadata.name})`;
        if (!rule.ports || rule.ports.length === 0) {
          err(where, 'an ingress rule with no ports opens every port');
          continue;
        }
        for (const port of rule.ports) {
          const n = port.port === 'grpc' ? grpcPort : port.port === 'metrics' ? metricsPort : port.port;
          if (port.endPort) err(where, 'port ranges are not expected');
          const peers = rule.from;
          if (n === grpcPort) {
            if (svc.store) {
              const callers = callersOf(w.metadata.name);
              if (!peers || peers.length === 0 || !peers.every(isCallerPeer(w.metadata.name))) {
                err(where, `the store's gRPC port ${n} is open to more than its callers (podSelectors matching the pods of ${callers.map((c) => c.metadata.name).join(', ')}, nothing else)`);
              } else {
                for (const c of callers) {
                  if (peers.some((peer) => isSubset(peer.podSelector.matchLabels, podLabels(c)))) callerAllowed.add(c);
                }
              }
            }
          } else if (n === metricsPort) {
            if (!peers || peers.length === 0 || !peers.every(isPrometheusPeer)) {
              err(where, `metrics port ${n} admits peers other than Prometheus (a namespaceSelector with a podSelector of exactly app.kubernetes.io/name=prometheus)`);
            } else prometheusAllowed = true;
          } else if (n === probePort && probePort !== undefined) {
            // The kubelet probes from the pod's own node, which policies do
            // not filter; a rule would only open plaintext health to others.
            err(where, `opens the plaintext probe port ${n}; the kubelet needs no rule, and nothing else may reach it`);
          } else {
            err(where, `opens port ${port.port}, which the container does not serve`);
          }
        }
      }
    }
    if (svc.store) {
      for (const c of callersOf(w.metadata.name)) {
        if (!callerAllowed.has(c)) err(w, `${c.metadata.name}, which calls it, may not reach its gRPC port`);
      }
    }
    if (!prometheusAllowed) err(w, 'Prometheus may not reach its metrics port');
  }

  // Each caller may reach the gRPC port of every store it calls.
  for (const g of workloads.filter((w) => ((facts.services[w.metadata.name] || {}).calls || new Set()).size)) {
    const egress = policies.filter((p) => p !== denyAll && p.spec.podSelector &&
      isSubset(p.spec.podSelector.matchLabels, podLabels(g))).flatMap((p) => p.spec.egress || []);
    for (const s of workloads.filter((w) => facts.services[g.metadata.name].calls.has(w.metadata.name))) {
      const port = (s.spec.template.spec.containers[0].ports || []).find((p) => p.name === 'grpc');
      const ok = egress.some((rule) => (!rule.to || rule.to.some((peer) => peer.podSelector && !peer.namespaceSelector &&
        isSubset(peer.podSelector.matchLabels, podLabels(s)))) &&
        (!rule.ports || rule.ports.some((p) => p.port === port.containerPort || p.port === 'grpc')));
      if (!ok) err(g, `egress to ${s.metadata.name}:${port.containerPort} is not allowed`);
    }
  }
}

// ------------------------------------------------------------------- driver

function loadDocs(file, label) {
  const text = fs.readFileSync(file, 'utf8');
  const docs = [];
  for (const doc of YAML.parseAllDocuments(text)) {
    if (doc.errors.length) throw new Error(`${file}: ${doc.errors[0].message}`);
    const obj = doc.toJS();
    if (obj === null) continue;
    const name = obj && obj.metadata ? obj.metadata.name : '?';
    docs.push({ obj, where: `${label}: ${obj && obj.kind}/${name}` });
  }
  return docs;
}

function checkRendering(docs, facts, label) {
  const problems = [];
  schemaChecks(docs, problems);
  unknownFieldChecks(docs, problems);
  const objects = docs.map((d) => d.obj).filter((o) => o && o.kind);
  const own = [];
  ownChecks(objects, facts, own);
  for (const p of own) problems.push(`${label}: ${p}`);
  return problems;
}

// Breaks a copy of a good rendering in ways each layer must catch, and fails
// if any of them goes unnoticed: a check that cannot fail proves nothing.
function selfTest(docs, facts) {
  const clone = () => docs.map((d) => ({ where: d.where, obj: JSON.parse(JSON.stringify(d.obj)) }));
  const sts = (ds, name) => ds.find((d) => d.obj.kind === 'StatefulSet' && (!name || d.obj.metadata.name === name)).obj;
  const container = (o) => o.spec.template.spec.containers[0];
  // The first StatefulSet's container when it serves TLS (has a probe port).
  const tlsContainer = (ds) => {
    const c = container(sts(ds));
    return (c.ports || []).some((p) => p.name === 'probe') ? c : null;
  };
  const cases = [
    ['unknown field in a probe', (ds) => { container(sts(ds)).readinessProbe.grcp = {}; }, /grcp/],
    ['unknown field at the top of a spec', (ds) => { sts(ds).spec.replica = 2; }, /replica/],
    ['wrong type', (ds) => { sts(ds).spec.replicas = 'one'; }, /replicas/],
    ['no memory limit', (ds) => { delete container(sts(ds)).resources.limits.memory; }, /no memory limit/],
    ['privilege escalation', (ds) => { container(sts(ds)).securityContext.allowPrivilegeEscalation = true; }, /allowPrivilegeEscalation/],
    ['no readiness probe', (ds) => { delete container(sts(ds)).readinessProbe; }, /no readinessProbe/],
    ['no volume claim', (ds) => { delete sts(ds).spec.volumeClaimTemplates; }, /volumeClaimTemplate/],
    ['two store replicas', (ds) => { sts(ds).spec.replicas = 2; }, /exactly one/],
    ['grace too short', (ds) => { sts(ds).spec.template.spec.terminationGracePeriodSeconds = 10; }, /terminationGracePeriodSeconds/],
    ['store open to all', (ds) => {
      const np = ds.find((d) => d.obj.kind === 'NetworkPolicy' && d.obj.metadata.name === sts(ds).metadata.name).obj;
      delete np.spec.ingress[0].from;
    }, /open to more than its callers/],
    ['audit signing key on the data volume', (ds) => {
      const c = container(sts(ds));
      const m = c.volumeMounts.find((v) => v.mountPath === '/etc/fazhi/audit-signing-key');
      m.name = 'data';
    }, /audit_signing_key_file=.* is not on a secret volume/],
    ['no policy file', (ds) => {
      const c = container(sts(ds));
      c.volumeMounts = c.volumeMounts.filter((v) => v.mountPath !== '/etc/fazhi/policy');
    }, /policy_file=.* is not on a configMap volume/],
    // The TLS cases apply to renderings with TLS (production) only; the
    // others return false and are skipped.
    ['TLS server probed on its TLS port', (ds) => {
      const c = tlsContainer(ds);
      if (!c) return false;
      c.readinessProbe.grpc.port = c.ports.find((p) => p.name === 'grpc').containerPort;
      return true;
    }, /not the plaintext probe port/],
    ['TLS Secret mounted with subPath', (ds) => {
      const c = tlsContainer(ds);
      if (!c) return false;
      const m = c.volumeMounts.find((v) => v.mountPath === '/etc/fazhi/tls');
      m.mountPath = '/etc/fazhi/tls/tls.crt';
      m.subPath = 'tls.crt';
      return true;
    }, /subPath/],
    ['probe port opened to all', (ds) => {
      const c = tlsContainer(ds);
      if (!c) return false;
      const np = ds.find((d) => d.obj.kind === 'NetworkPolicy' && d.obj.metadata.name === sts(ds).metadata.name).obj;
      np.spec.ingress.push({ ports: [{ protocol: 'TCP', port: c.ports.find((p) => p.name === 'probe').containerPort }] });
      return true;
    }, /plaintext probe port/],
  ];
  const failures = [];
  for (const [name, breakIt, expect] of cases) {
    const ds = clone();
    if (breakIt(ds) === false) continue;
    const problems = checkRendering(ds, facts, 'self-test');
    if (!problems.some((p) => expect.test(p))) failures.push(`self-test: "${name}" was not caught`);
  }
  return failures;
}

function main() {
  const args = parseArgs(process.argv.slice(2));
  const facts = readSourceFacts(args.root);
  let problems = [];
  let count = 0;
  for (const file of args.files) {
    const label = args.label || path.basename(file);
    const docs = loadDocs(file, label);
    count += docs.length;
    problems = problems.concat(checkRendering(docs, facts, label));
    if (args.selfTest) problems = problems.concat(selfTest(docs, facts));
  }
  for (const p of problems) console.error(`FAIL ${p}`);
  if (problems.length) {
    console.error(`${problems.length} problem(s) in ${count} objects`);
    process.exit(1);
  }
  console.log(`ok: ${count} objects in ${args.files.length} rendering(s)${args.selfTest ? ', self-test passed' : ''}`);
}

main();
