#!/usr/bin/python3
"""Runs every grpcurl command of a README's cookbook, as strictly as grpcurl.

    cookbook.py [--section TITLE] [--partial] README.md

grpcurl is neither in Debian 12 nor on npm, so this stands in for it, for
the verbs and options the cookbooks use (list, describe, a call; -plaintext,
-d, -H, -max-time, -emit-defaults), and reads what the servers send the way
grpcurl v1.8 does:

  * Every type comes from the server's reflection, never from local files:
    grpc.reflection.v1 first, v1alpha when a server lacks it. As grpcurl's
    client, it takes the FIRST file of each reply as the answer: when that
    file does not define the symbol asked for (or is not the file asked
    for), the command fails. The rest of a reply is kept for later imports.
  * The JSON body must parse with the protobuf JSON mapping (unknown fields
    rejected, enums by name), and a google.protobuf.FieldMask must be written
    {"paths":["a","b"]}: grpcurl rejects the string form "a,b" before sending
    (fullstorydev/grpcurl#393), so this does too.
  * A failed call's google.rpc.Status details are decoded by resolving each
    detail's type through reflection, as grpcurl does to print them; one that
    cannot be resolved fails the command.

The commands are the lines starting `grpcurl ` inside the code blocks of the
section TITLE (default "## grpcurl cookbook"); a line ending in `\\` goes on
to the next. A command passes when its call returns OK, or, when the comment
line just above it names a gRPC code in capitals (`# ... INVALID_ARGUMENT
...`), when it fails with that code and every detail decodes. A server stream
is read until it ends or `-max-time` (default 10 s) runs out; ending by the
time limit after at least one message passes, as such streams stay open. A
client stream sends each JSON object of `-d` as one message. The last line is
"cookbook: N passed, M failed". Unless --partial, every method of every
fazhi.* service that the servers named in the commands list must have a
command, or the run fails (FAZHI_COOKBOOK_ALLOW_MISSING=1 reports them and
goes on).

FAZHI_COOKBOOK_PORTS="50050=41234,50051=41235" sends the commands written
for a port to another one (the end-to-end tests run the servers on free
ports).

A -H value is sent as metadata ("name: value", the name lowercased), as
grpcurl sends it. Within it, and within -d, `$(cat FILE)` is replaced by the
file's content without surrounding blanks, as the shell would do it inside
double quotes: -H "authorization: Bearer $(cat var/secrets/admin.token)".
FAZHI_COOKBOOK_FILES="var/secrets/admin.token=/tmp/x/admin.token" reads
another file in the place of one a command names (the end-to-end tests keep
their tokens in a temporary directory).

Debian packages only: python3-grpcio and python3-protobuf (run it with
/usr/bin/python3).
"""
import argparse
import json
import os
import queue
import re
import shlex
import sys

import grpc
from google.protobuf import descriptor_pb2, descriptor_pool, json_format, message_factory

GRPC_CODES = {c.name: c for c in grpc.StatusCode}


class CommandError(Exception):
    """A command that grpcurl would refuse or fail, with grpcurl's reason."""


# --------------------------------------------------------------- the README

def commands(readme, title):
    """(expected code or None, command line) for each grpcurl command."""
    text = open(readme, encoding="utf-8").read()
    section = re.search(r"^" + re.escape(title) + r"\n(.*?)(?=^## |\Z)", text, re.S | re.M)
    if not section:
        sys.exit(f"cookbook: no '{title}' section in {readme}")
    found, in_code, comment, pending = [], False, "", None
    for line in section.group(1).splitlines():
        if line.startswith("```"):
            in_code, comment = not in_code, ""
            continue
        if not in_code:
            continue
        if pending is not None:
            pending += " " + line.strip()
        elif line.startswith("grpcurl "):
            pending = line
        else:
            comment = line if line.startswith("#") else ""
            continue
        if pending.endswith("\\"):
            pending = pending[:-1]
            continue
        codes = [w for w in re.findall(r"\b[A-Z_]{4,}\b", comment) if w in GRPC_CODES]
        found.append((codes[0] if codes else None, pending))
        pending, comment = None, ""
    return found


def port_map():
    """FAZHI_COOKBOOK_PORTS as {"50050": "41234", ...}."""
    pairs = os.environ.get("FAZHI_COOKBOOK_PORTS", "")
    return dict(p.split("=", 1) for p in pairs.split(",") if p)


def dial_address(address):
    address = address.replace("localhost", "127.0.0.1")
    host, _, port = address.rpartition(":")
    return f"{host}:{port_map().get(port, port)}"


# ---------------------------------------------------- the reflection client

def reflection_messages():
    """ServerReflectionRequest and ServerReflectionResponse classes for both
    versions, built from the published names and field numbers (the runner
    needs them before it can ask anything)."""
    def field(message, name, number, kind, label=1, type_name=None, oneof=None):
        f = message.field.add(name=name, number=number, type=kind, label=label)
        if type_name:
            f.type_name = type_name
        if oneof is not None:
            f.oneof_index = oneof
    fdp = descriptor_pb2.FieldDescriptorProto
    pool = descriptor_pool.DescriptorPool()
    classes = {}
    for version in ("v1", "v1alpha"):
        pkg = f"grpc.reflection.{version}"
        f = descriptor_pb2.FileDescriptorProto(name=f"cookbook/{version}/reflection.proto",
                                               package=pkg, syntax="proto3")
        req = f.message_type.add(name="ServerReflectionRequest")
        req.oneof_decl.add(name="message_request")
        field(req, "host", 1, fdp.TYPE_STRING)
        field(req, "file_by_filename", 3, fdp.TYPE_STRING, oneof=0)
        field(req, "file_containing_symbol", 4, fdp.TYPE_STRING, oneof=0)
        field(req, "list_services", 7, fdp.TYPE_STRING, oneof=0)
        resp = f.message_type.add(name="ServerReflectionResponse")
        resp.oneof_decl.add(name="message_response")
        field(resp, "valid_host", 1, fdp.TYPE_STRING)
        field(resp, "file_descriptor_response", 4, fdp.TYPE_MESSAGE,
              type_name=f".{pkg}.FileDescriptorResponse", oneof=0)
        field(resp, "list_services_response", 6, fdp.TYPE_MESSAGE,
              type_name=f".{pkg}.ListServiceResponse", oneof=0)
        field(resp, "error_response", 7, fdp.TYPE_MESSAGE,
              type_name=f".{pkg}.ErrorResponse", oneof=0)
        files = f.message_type.add(name="FileDescriptorResponse")
        field(files, "file_descriptor_proto", 1, fdp.TYPE_BYTES, label=3)
        services = f.message_type.add(name="ListServiceResponse")
        field(services, "service", 1, fdp.TYPE_MESSAGE, label=3,
              type_name=f".{pkg}.ServiceResponse")
        field(f.message_type.add(name="ServiceResponse"), "name", 1, fdp.TYPE_STRING)
        error = f.message_type.add(name="ErrorResponse")
        field(error, "error_code", 1, fdp.TYPE_INT32)
        field(error, "error_message", 2, fdp.TYPE_STRING)
        pool.Add(f)
        classes[version] = (message_class(pool, f"{pkg}.ServerReflectionRequest"),
                            message_class(pool, f"{pkg}.ServerReflectionResponse"))
    return classes


def message_class(pool, full_name):
    desc = pool.FindMessageTypeByName(full_name)
    if hasattr(message_factory, "GetMessageClass"):
        return message_factory.GetMessageClass(desc)
    return message_factory.MessageFactory(pool).GetPrototype(desc)


def defined_symbols(fdp):
    """Every full name a FileDescriptorProto defines."""
    prefix = f"{fdp.package}." if fdp.package else ""
    names = []

    def message(m, scope):
        name = scope + m.name
        names.append(name)
        names.extend(f"{name}.{f.name}" for f in m.field)
        for e in m.enum_type:
            names.append(f"{name}.{e.name}")
        for nested in m.nested_type:
            message(nested, name + ".")
    for m in fdp.message_type:
        message(m, prefix)
    names.extend(prefix + e.name for e in fdp.enum_type)
    for e in fdp.enum_type:
        names.extend(prefix + v.name for v in e.value)
    for s in fdp.service:
        names.append(prefix + s.name)
        names.extend(f"{prefix}{s.name}.{m.name}" for m in s.method)
    names.extend(prefix + x.name for x in fdp.extension)
    return set(names)


class Server:
    """One server reached through its reflection, as grpcurl reaches it."""

    MESSAGES = reflection_messages()

    def __init__(self, address):
        self.channel = grpc.insecure_channel(address)
        self.pool = descriptor_pool.DescriptorPool()
        self.seen = {}      # file name -> FileDescriptorProto, from any reply
        self.stream = None
        for version in ("v1", "v1alpha"):
            try:
                self._open(version)
                self.services = [s.name for s in self._ask(list_services="").
                                 list_services_response.service]
                return
            except grpc.RpcError as e:
                self.outbox.put(None)
                if e.code() != grpc.StatusCode.UNIMPLEMENTED:
                    raise
        self.stream = None
        raise CommandError(f"{address} serves no server reflection")

    def _open(self, version):
        request_cls, response_cls = self.MESSAGES[version]
        self.request_cls = request_cls
        self.outbox = queue.Queue()

        def requests():
            while True:
                item = self.outbox.get()
                if item is None:
                    return
                yield item
        call = self.channel.stream_stream(
            f"/grpc.reflection.{version}.ServerReflection/ServerReflectionInfo",
            request_serializer=request_cls.SerializeToString,
            response_deserializer=response_cls.FromString)
        # One stream per server for the whole run, as long as a run may take.
        self.stream = call(requests(), timeout=900)

    def _ask(self, **request):
        self.outbox.put(self.request_cls(**request))
        return next(self.stream)

    def close(self):
        if self.stream is not None:
            self.outbox.put(None)
        self.channel.close()

    def _file_reply(self, asked, **request):
        """The first file of the reply to `request`; every file of it kept."""
        reply = self._ask(**request)
        if reply.WhichOneof("message_response") != "file_descriptor_response":
            raise CommandError(f"Symbol not found: {asked}: {reply.error_response.error_message}")
        files = [descriptor_pb2.FileDescriptorProto.FromString(b)
                 for b in reply.file_descriptor_response.file_descriptor_proto]
        if not files:
            raise CommandError(f"an empty reply for {asked}")
        for f in files:
            self.seen.setdefault(f.name, f)
        return files[0]

    def _load(self, fdp):
        """Adds `fdp` to the pool, its imports first (asked for by name when
        no earlier reply held them)."""
        try:
            return self.pool.FindFileByName(fdp.name)
        except KeyError:
            pass
        for name in fdp.dependency:
            dep = self.seen.get(name)
            if dep is None:
                dep = self._file_reply(name, file_by_filename=name)
                if dep.name != name:
                    raise CommandError(f"asked for file {name}, the reply starts with {dep.name}")
            self._load(dep)
        self.pool.Add(fdp)
        return self.pool.FindFileByName(fdp.name)

    def resolve(self, symbol):
        """Makes `symbol` known to the pool through reflection."""
        try:
            self.pool.FindFileContainingSymbol(symbol)
            return
        except KeyError:
            pass
        first = self._file_reply(symbol, file_containing_symbol=symbol)
        if symbol not in defined_symbols(first):
            raise CommandError(f"Symbol not found: {symbol} (the reply's first file, "
                               f"{first.name}, does not define it)")
        self._load(first)

    def service(self, name):
        self.resolve(name)
        return self.pool.FindServiceByName(name)

    def message(self, full_name):
        self.resolve(full_name)
        return message_class(self.pool, full_name)


# ------------------------------------------------------------ JSON, as grpcurl

def camel(path):
    return re.sub(r"_([a-z0-9])", lambda m: m.group(1).upper(), path)


def check_field_masks(value, desc, where):
    """Rejects a FieldMask written as a string, as grpcurl does, and rewrites
    the {"paths":[...]} form for the JSON parser of python3-protobuf, which
    reads only the string form."""
    if not isinstance(value, dict):
        return value
    out = {}
    for key, item in value.items():
        field = desc.fields_by_name.get(key) or next(
            (f for f in desc.fields if f.json_name == key), None)
        if field is None or field.message_type is None:
            out[key] = item
            continue
        path = f"{where}{key}"
        if field.message_type.full_name == "google.protobuf.FieldMask":
            if not isinstance(item, dict) or set(item) - {"paths"}:
                raise CommandError(
                    f"{path}: a field mask is written {{\"paths\":[\"a\",\"b\"]}}; grpcurl "
                    f"rejects {json.dumps(item, ensure_ascii=False)} "
                    "(fullstorydev/grpcurl#393)")
            out[key] = ",".join(camel(p) for p in item.get("paths", []))
        elif field.message_type.GetOptions().map_entry:
            out[key] = item
        elif field.label == field.LABEL_REPEATED and isinstance(item, list):
            out[key] = [check_field_masks(x, field.message_type, f"{path}[{i}].")
                        for i, x in enumerate(item)]
        else:
            out[key] = check_field_masks(item, field.message_type, f"{path}.")
    return out


def parse_body(obj, cls, pool):
    return json_format.ParseDict(check_field_masks(obj, cls.DESCRIPTOR, ""), cls(),
                                 descriptor_pool=pool)


def json_objects(body):
    """Each JSON object of -d, as grpcurl reads a stream of them."""
    objects, decoder, rest = [], json.JSONDecoder(), (body or "").strip()
    while rest:
        obj, end = decoder.raw_decode(rest)
        objects.append(obj)
        rest = rest[end:].strip()
    return objects


def resolve_anys(message, server):
    """Resolves through reflection the type of every google.protobuf.Any
    inside `message` (a per-item google.rpc.Status carries some), as
    grpcurl's printer does; one that cannot be resolved fails the command."""
    if message.DESCRIPTOR.full_name == "google.protobuf.Any":
        if message.type_url:
            type_name = message.type_url.rsplit("/", 1)[-1]
            try:
                inner = server.message(type_name).FromString(message.value)
            except (CommandError, KeyError) as e:
                raise CommandError(f"{type_name} is not recognized: {e}")
            resolve_anys(inner, server)
        return
    for field, value in message.ListFields():
        if field.message_type is None:
            continue
        if field.message_type.GetOptions().map_entry:
            values = value.values() if field.message_type.fields_by_name[
                "value"].message_type is not None else []
        elif field.label == field.LABEL_REPEATED:
            values = value
        else:
            values = [value]
        for item in values:
            resolve_anys(item, server)


def to_json(message, server, emit_defaults):
    resolve_anys(message, server)
    return json_format.MessageToJson(message, indent=None, ensure_ascii=False,
                                     including_default_value_fields=emit_defaults,
                                     descriptor_pool=server.pool)


def error_details(server, error):
    """A failed call's detail types and its google.rpc.Status as JSON, every
    detail decoded through the server's reflection."""
    raw = dict(error.trailing_metadata() or ()).get("grpc-status-details-bin")
    if raw is None:
        return "no details"
    status = server.message("google.rpc.Status").FromString(raw)
    types = [d.type_url.rsplit("/", 1)[-1] for d in status.details]
    return "details " + ", ".join(types) + ": " + to_json(status, server, False)


# -------------------------------------------------------------- one command

def file_map():
    mapping = {}
    for pair in filter(None, os.environ.get("FAZHI_COOKBOOK_FILES", "").split(",")):
        named, _, actual = pair.partition("=")
        mapping[named] = actual
    return mapping


def substitute(value):
    """`value` with each $(cat FILE) replaced by the file's content."""
    files = file_map()

    def content(match):
        path = files.get(match.group(1), match.group(1))
        try:
            with open(path, encoding="utf-8") as f:
                return f.read().strip()
        except OSError as e:
            raise CommandError(f"$(cat {match.group(1)}): {e}") from e
    return re.sub(r"\$\(cat ([^()\s]+)\)", content, value)


def run(line, servers):
    args = shlex.split(line, comments=True)[1:]
    body, max_time, metadata, emit_defaults, positional = None, 10.0, [], False, []
    i = 0
    while i < len(args):
        if args[i] == "-plaintext":
            pass
        elif args[i] == "-emit-defaults":
            emit_defaults = True
        elif args[i] in ("-d", "-max-time", "-H") and i + 1 < len(args):
            value = substitute(args[i + 1])
            if args[i] == "-d":
                body = value
            elif args[i] == "-max-time":
                max_time = float(value)
            else:
                key, _, val = value.partition(":")
                if not key.strip() or not _:
                    raise CommandError(f"-H wants 'name: value', got {value!r}")
                metadata.append((key.strip().lower(), val.strip()))
            i += 1
        elif args[i].startswith("-"):
            raise CommandError(f"option {args[i]} is not understood here")
        else:
            positional.append(args[i])
        i += 1
    address = dial_address(positional[0])
    if address not in servers:
        servers[address] = Server(address)
    server = servers[address]
    verb = positional[1:]
    if verb == ["list"]:
        return ", ".join(sorted(server.services))
    if verb[:1] == ["describe"]:
        symbols = verb[1:] or server.services   # no symbol: every service
        for symbol in symbols:
            server.resolve(symbol)
        return f"described {len(symbols)}: " + ", ".join(symbols)
    if len(verb) != 1 or "/" not in verb[0]:
        raise CommandError(f"not a grpcurl command this runner knows: {' '.join(verb)}")
    service_name, method_name = verb[0].rsplit("/", 1)
    mdesc = server.service(service_name).methods_by_name.get(method_name)
    if mdesc is None:
        raise CommandError(f"service {service_name} has no method {method_name}")
    req_cls = server.message(mdesc.input_type.full_name)
    resp_cls = server.message(mdesc.output_type.full_name)
    requests = [parse_body(obj, req_cls, server.pool) for obj in json_objects(body)]
    if not mdesc.client_streaming and len(requests) > 1:
        raise CommandError("-d holds several messages for a unary request")
    request = requests[0] if requests else req_cls()
    path = f"/{service_name}/{method_name}"
    kinds = dict(request_serializer=req_cls.SerializeToString,
                 response_deserializer=resp_cls.FromString)
    try:
        if mdesc.client_streaming and mdesc.server_streaming:
            raise CommandError("bidirectional streams are not run here")
        if mdesc.client_streaming:
            response = server.channel.stream_unary(path, **kinds)(
                iter(requests), timeout=max_time, metadata=metadata)
            return to_json(response, server, emit_defaults)
        if mdesc.server_streaming:
            received = []
            try:
                for message in server.channel.unary_stream(path, **kinds)(
                        request, timeout=max_time, metadata=metadata):
                    received.append(message)
            except grpc.RpcError as e:
                if e.code() != grpc.StatusCode.DEADLINE_EXCEEDED or not received:
                    raise
            if not received:
                return "0 messages"
            return f"{len(received)} messages, first: " + to_json(received[0], server,
                                                                  emit_defaults)
        response = server.channel.unary_unary(path, **kinds)(
            request, timeout=max_time, metadata=metadata)
        return to_json(response, server, emit_defaults)
    except grpc.RpcError as e:
        e.details_json = error_details(server, e)
        raise


def uncovered(servers, lines):
    """Methods of fazhi.* services the servers list with no command."""
    covered = {shlex.split(line, comments=True)[-1] for _, line in lines}
    missing = set()
    for server in servers.values():
        for name in server.services:
            if name.startswith("fazhi."):
                for method in server.service(name).methods:
                    if f"{name}/{method.name}" not in covered:
                        missing.add(f"{name}/{method.name}")
    return sorted(missing)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--section", default="## grpcurl cookbook")
    parser.add_argument("--partial", action="store_true",
                        help="do not require a command for every fazhi.* method")
    parser.add_argument("readme")
    options = parser.parse_args()
    lines = commands(options.readme, options.section)
    servers = {}
    passed = failed = 0
    for expected, line in lines:
        name = shlex.split(line, comments=True)[-1]
        try:
            out = run(line, servers)
            if expected is None:
                print(f"ok   {name}: {out[:97] + '...' if len(out) > 100 else out}")
                passed += 1
            else:
                print(f"FAIL {name}: succeeded, but the comment above it expects {expected}")
                failed += 1
        except grpc.RpcError as e:
            details = getattr(e, "details_json", "")
            if expected == e.code().name:
                print(f"ok   {name}: {e.code().name} as expected; {details[:300]}")
                passed += 1
            else:
                print(f"FAIL {name}: {e.code().name}: {e.details()} {details[:200]}")
                failed += 1
        except Exception as e:  # a command this runner cannot read is a failure too
            print(f"FAIL {name}: {type(e).__name__}: {e}")
            failed += 1
    if not options.partial:
        try:
            missing = uncovered(servers, lines)
        except (CommandError, grpc.RpcError) as e:
            missing = [f"(the services could not be described: {e})"]
        if missing:
            print("no cookbook command for: " + ", ".join(missing))
            if os.environ.get("FAZHI_COOKBOOK_ALLOW_MISSING") != "1":
                failed += len(missing)
    for server in servers.values():
        server.close()
    print(f"cookbook: {passed} passed, {failed} failed")
    return 1 if failed or not passed else 0


if __name__ == "__main__":
    sys.exit(main())
