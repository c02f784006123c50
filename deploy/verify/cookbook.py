#!/usr/bin/python3
"""Runs every grpcurl command of deploy/README.md's cookbook, as grpcurl would.

    cookbook.py README.md DESCRIPTORS.pb

grpcurl is not packaged for Debian 12, so this does what it does for the
commands the cookbook uses: the JSON body is turned into the request message
with the protobuf JSON mapping (proto and JSON field names both accepted,
enums by name), the method is called with grpcio on the address given
(`localhost` is 127.0.0.1), and `list` asks the reflection service. A
server stream is read until it ends or `-max-time` runs out; ending by
`-max-time` (DEADLINE_EXCEEDED) after at least one message passes, as the
stream is meant to stay open. A client stream sends each JSON object of
`-d` as one message, as grpcurl does. The
message types come from DESCRIPTORS.pb, a FileDescriptorSet made by protoc
from proto/ (deploy/container-test.sh makes it). A command passes when its
call returns OK; the last line is "cookbook: N passed, M failed". Every
method of every fazhi.* service in DESCRIPTORS.pb must have a command, or
the run fails (FAZHI_COOKBOOK_ALLOW_MISSING=1 reports them and goes on).
FAZHI_COOKBOOK_PORTS="50050=41234,50051=41235" sends the commands written
for a port to another one (the end-to-end test runs the servers on free
ports).

Debian packages only: python3-grpcio (which brings python3-protobuf).
"""
import json
import os
import re
import shlex
import sys

import grpc
from google.protobuf import descriptor_pb2, descriptor_pool, json_format, message_factory


def commands(readme):
    """The grpcurl lines inside code blocks of the cookbook section."""
    text = open(readme, encoding="utf-8").read()
    section = re.search(r"^## grpcurl cookbook\n(.*?)(?=^## )", text, re.S | re.M)
    if not section:
        sys.exit("cookbook: no '## grpcurl cookbook' section in " + readme)
    found, in_code = [], False
    for line in section.group(1).splitlines():
        if line.startswith("```"):
            in_code = not in_code
        elif in_code and line.startswith("grpcurl "):
            found.append(line)
    return found


def port_map():
    """FAZHI_COOKBOOK_PORTS as {"50050": "41234", ...}."""
    pairs = os.environ.get("FAZHI_COOKBOOK_PORTS", "")
    return dict(p.split("=", 1) for p in pairs.split(",") if p)


def message_class(pool, full_name):
    desc = pool.FindMessageTypeByName(full_name)
    if hasattr(message_factory, "GetMessageClass"):
        return message_factory.GetMessageClass(desc)
    return message_factory.MessageFactory(pool).GetPrototype(desc)


def run(pool, line):
    args = shlex.split(line)[1:]
    body = None
    max_time = 10.0
    positional = []
    i = 0
    while i < len(args):
        if args[i] == "-plaintext":
            pass
        elif args[i] == "-d":
            i += 1
            body = args[i]
        elif args[i] == "-max-time":
            i += 1
            max_time = float(args[i])
        elif args[i].startswith("-"):
            raise ValueError(f"option {args[i]} is not understood here")
        else:
            positional.append(args[i])
        i += 1
    address = positional[0].replace("localhost", "127.0.0.1")
    host, _, port = address.rpartition(":")
    address = f"{host}:{port_map().get(port, port)}"
    with grpc.insecure_channel(address) as channel:
        if positional[1:] == ["list"]:
            req_cls = message_class(pool, "grpc.reflection.v1alpha.ServerReflectionRequest")
            resp_cls = message_class(pool, "grpc.reflection.v1alpha.ServerReflectionResponse")
            call = channel.stream_stream(
                "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo",
                request_serializer=req_cls.SerializeToString,
                response_deserializer=resp_cls.FromString)
            responses = list(call(iter([req_cls(list_services="")]), timeout=10))
            names = [s.name for s in responses[0].list_services_response.service]
            return ", ".join(sorted(names))
        service, method = positional[1].rsplit("/", 1)
        sdesc = pool.FindServiceByName(service)
        mdesc = sdesc.methods_by_name[method]
        req_cls = message_class(pool, mdesc.input_type.full_name)
        resp_cls = message_class(pool, mdesc.output_type.full_name)
        request = req_cls()
        if body is not None and not mdesc.client_streaming:
            json_format.Parse(body, request)
        if mdesc.client_streaming:
            # grpcurl sends each JSON object of -d as one message.
            requests, decoder, rest = [], json.JSONDecoder(), (body or "").strip()
            while rest:
                obj, end = decoder.raw_decode(rest)
                requests.append(json_format.ParseDict(obj, req_cls()))
                rest = rest[end:].strip()
            if mdesc.server_streaming:
                raise ValueError("bidirectional streams are not run here")
            call = channel.stream_unary(f"/{service}/{method}",
                                        request_serializer=req_cls.SerializeToString,
                                        response_deserializer=resp_cls.FromString)
            response = call(iter(requests), timeout=max_time)
            text = json_format.MessageToJson(response, indent=None, ensure_ascii=False,
                                          descriptor_pool=pool)
        elif mdesc.server_streaming:
            call = channel.unary_stream(f"/{service}/{method}",
                                        request_serializer=req_cls.SerializeToString,
                                        response_deserializer=resp_cls.FromString)
            received = []
            try:
                for message in call(request, timeout=max_time):
                    received.append(message)
            except grpc.RpcError as e:
                if e.code() != grpc.StatusCode.DEADLINE_EXCEEDED or not received:
                    raise
            text = f"{len(received)} messages, first: " + json_format.MessageToJson(
                received[0], indent=None, ensure_ascii=False,
                descriptor_pool=pool) if received else "0 messages"
        else:
            call = channel.unary_unary(f"/{service}/{method}",
                                       request_serializer=req_cls.SerializeToString,
                                       response_deserializer=resp_cls.FromString)
            response = call(request, timeout=max_time)
            text = json_format.MessageToJson(response, indent=None, ensure_ascii=False,
                                          descriptor_pool=pool)
        return text if len(text) <= 100 else text[:97] + "..."


def main():
    readme, descriptors = sys.argv[1:3]
    fds = descriptor_pb2.FileDescriptorSet()
    fds.ParseFromString(open(descriptors, "rb").read())
    pool = descriptor_pool.DescriptorPool()
    for f in fds.file:
        pool.Add(f)
    passed = failed = 0
    lines = commands(readme)
    covered = {shlex.split(line)[-1] for line in lines}
    missing = sorted(
        f"{service.full_name}/{method.name}"
        for f in fds.file if f.package.startswith("fazhi.")
        for service in (pool.FindServiceByName(f"{f.package}.{s.name}") for s in f.service)
        for method in service.methods
        if f"{service.full_name}/{method.name}" not in covered)
    for line in lines:
        name = shlex.split(line)[-1]
        try:
            out = run(pool, line)
            print(f"ok   {name}: {out}")
            passed += 1
        except grpc.RpcError as e:
            print(f"FAIL {name}: {e.code().name}: {e.details()}")
            failed += 1
        except Exception as e:  # a command this runner cannot read is a failure too
            print(f"FAIL {name}: {type(e).__name__}: {e}")
            failed += 1
    if missing:
        print("no cookbook command for: " + ", ".join(missing))
        if os.environ.get("FAZHI_COOKBOOK_ALLOW_MISSING") != "1":
            failed += len(missing)
    print(f"cookbook: {passed} passed, {failed} failed")
    return 1 if failed or not passed else 0


if __name__ == "__main__":
    sys.exit(main())
