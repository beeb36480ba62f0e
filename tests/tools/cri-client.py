#!/usr/bin/python3
"""A small CRI client (runtime.v1.RuntimeService) for the integration tests.

No crictl and no grpcio on the test machines: the protobuf messages are
encoded and decoded here by hand, from the public CRI v1 field numbers
(k8s.io/cri-api, pkg/apis/runtime/v1/api.proto), and gRPC travels over the
engine's unix socket through curl --http2-prior-knowledge.

usage: cri-client.py [-s SOCKET] COMMAND [ARGS]

  version
  runp   POD...                      RunPodSandbox; prints the pod id
  create POD_ID NAME IMAGE POD... -- ARGV...
                                     CreateContainer; prints the container id
  start  CONTAINER_ID                StartContainer
  stop   CONTAINER_ID                StopContainer (timeout 0)
  rm     CONTAINER_ID                RemoveContainer
  stopp  POD_ID                      StopPodSandbox
  rmp    POD_ID                      RemovePodSandbox
  pods                               ListPodSandbox: id name namespace state
  ps     [POD_ID]                    ListContainers: id pod_id name state
  inspectp POD_ID                    PodSandboxStatus (verbose): "key value"
                                     lines id name namespace uid state ip pid netns
  inspect CONTAINER_ID               ContainerStatus (verbose): "key value"
                                     lines id name state pid image

POD (the sandbox config, given to runp and again to create):
  --name NAME --namespace NS --uid UID [--hostname H] [--log-dir DIR]
  [--label KEY=VALUE]...
Sandbox and containers get the Linux defaults a kubelet sends: network and
IPC namespaces of the pod, a pid namespace per container.

Exit status: 0 ok, 1 the engine refused (grpc-status and message on
stderr), 2 usage, 3 transport (curl) failure.
"""
import json
import os
import subprocess
import sys
import tempfile

SERVICE = "runtime.v1.RuntimeService"
POD_STATES = {0: "SANDBOX_READY", 1: "SANDBOX_NOTREADY"}
CONTAINER_STATES = {0: "CONTAINER_CREATED", 1: "CONTAINER_RUNNING",
                    2: "CONTAINER_EXITED", 3: "CONTAINER_UNKNOWN"}
# NamespaceMode
NS_POD, NS_CONTAINER = 0, 1


class Refused(Exception):
    pass


# ---- protobuf wire format -------------------------------------------------
def enc_varint(n):
    if n < 0:
        n += 1 << 64
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def fld_len(num, data):
    """a length-delimited field (string, bytes, message)"""
    if isinstance(data, str):
        data = data.encode()
    return enc_varint(num << 3 | 2) + enc_varint(len(data)) + data


def fld_int(num, value):
    """a varint field; proto3 omits zero values"""
    return enc_varint(num << 3) + enc_varint(value) if value else b""


def fld_str(num, s):
    return fld_len(num, s) if s else b""


def fld_map(num, mapping):
    """map<string,string>: repeated entries {key = 1, value = 2}"""
    return b"".join(fld_len(num, fld_len(1, k) + fld_len(2, v))
                    for k, v in sorted(mapping.items()))


def dec_varint(buf, i):
    n = shift = 0
    while True:
        if i >= len(buf):
            raise ValueError("truncated varint")
        c = buf[i]
        i += 1
        n |= (c & 0x7F) << shift
        shift += 7
        if not c & 0x80:
            return n, i


def decode(buf):
    """[(field number, int or bytes)], in wire order"""
    out, i = [], 0
    while i < len(buf):
        key, i = dec_varint(buf, i)
        num, wire = key >> 3, key & 7
        if wire == 0:
            v, i = dec_varint(buf, i)
        elif wire == 1:
            v, i = int.from_bytes(buf[i:i + 8], "little"), i + 8
        elif wire == 2:
            n, i = dec_varint(buf, i)
            if i + n > len(buf):
                raise ValueError("truncated field %d" % num)
            v, i = buf[i:i + n], i + n
        elif wire == 5:
            v, i = int.from_bytes(buf[i:i + 4], "little"), i + 4
        else:
            raise ValueError("wire type %d" % wire)
        out.append((num, v))
    return out


def first(fields, num, default=None):
    for n, v in fields:
        if n == num:
            return v
    return default


def all_of(fields, num):
    return [v for n, v in fields if n == num]


def text(v):
    return v.decode(errors="replace") if isinstance(v, bytes) else ""


def dec_map(fields, num):
    out = {}
    for entry in all_of(fields, num):
        kv = decode(entry)
        out[text(first(kv, 1, b""))] = text(first(kv, 2, b""))
    return out


# ---- gRPC over curl -------------------------------------------------------
def call(sock, method, request=b""):
    """one unary call; the decoded response message"""
    frame = b"\x00" + len(request).to_bytes(4, "big") + request
    with tempfile.NamedTemporaryFile(prefix="cri-hdr.") as hdr:
        p = subprocess.run(
            ["curl", "-sS", "-m", "60", "--http2-prior-knowledge",
             "--unix-socket", sock, "-X", "POST",
             "-H", "content-type: application/grpc", "-H", "te: trailers",
             "-D", hdr.name, "--data-binary", "@-",
             "http://localhost/%s/%s" % (SERVICE, method)],
            input=frame, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        headers = open(hdr.name, "rb").read().decode(errors="replace")
    if p.returncode != 0:
        sys.stderr.write("%s: curl exit %d: %s\n" %
                         (method, p.returncode, p.stderr.decode(errors="replace").strip()))
        sys.exit(3)
    status = message = None
    # headers and trailers alike (a refusal may come as trailers only)
    for line in headers.splitlines():
        name, _, value = line.partition(":")
        if name.strip().lower() == "grpc-status":
            status = value.strip()
        elif name.strip().lower() == "grpc-message":
            message = value.strip()
    if status is None:
        sys.stderr.write("%s: no grpc-status in the answer\n%s" % (method, headers))
        sys.exit(3)
    if status != "0":
        raise Refused("%s: grpc-status %s: %s" % (method, status, message or ""))
    body = p.stdout
    if len(body) < 5:
        return []
    n = int.from_bytes(body[1:5], "big")
    if body[0] != 0 or len(body) < 5 + n:
        sys.stderr.write("%s: bad gRPC frame (%d bytes)\n" % (method, len(body)))
        sys.exit(3)
    return decode(body[5:5 + n])


# ---- messages -------------------------------------------------------------
def namespace_options():
    # NamespaceOption: network = 1, pid = 2, ipc = 3
    return fld_int(1, NS_POD) + fld_int(2, NS_CONTAINER) + fld_int(3, NS_POD)


def pod_config(pod):
    # PodSandboxMetadata: name = 1, uid = 2, namespace = 3, attempt = 4
    md = fld_str(1, pod["name"]) + fld_str(2, pod["uid"]) + fld_str(3, pod["namespace"])
    # LinuxSandboxSecurityContext: namespace_options = 1
    # LinuxPodSandboxConfig: cgroup_parent = 1, security_context = 2
    linux = fld_len(2, fld_len(1, namespace_options()))
    # PodSandboxConfig: metadata = 1, hostname = 2, log_directory = 3,
    # labels = 6, linux = 8
    return (fld_len(1, md) + fld_str(2, pod["hostname"]) + fld_str(3, pod["log_dir"])
            + fld_map(6, pod["labels"]) + fld_len(8, linux))


def container_config(name, image, argv, labels):
    # LinuxContainerSecurityContext: namespace_options = 3
    # LinuxContainerConfig: resources = 1, security_context = 2
    linux = fld_len(2, fld_len(3, namespace_options()))
    # ContainerConfig: metadata = 1 {name = 1, attempt = 2}, image = 2
    # {image = 1}, command = 3, args = 4, labels = 9, log_path = 11,
    # linux = 15
    return (fld_len(1, fld_str(1, name)) + fld_len(2, fld_str(1, image))
            + b"".join(fld_len(3, a) for a in argv) + fld_map(9, labels)
            + fld_str(11, name + ".log") + fld_len(15, linux))


def parse_pod(args):
    pod = {"name": "", "namespace": "default", "uid": "", "hostname": "",
           "log_dir": "", "labels": {}}
    keys = {"--name": "name", "--namespace": "namespace", "--uid": "uid",
            "--hostname": "hostname", "--log-dir": "log_dir"}
    i = 0
    while i < len(args):
        a = args[i]
        if a in keys and i + 1 < len(args):
            pod[keys[a]] = args[i + 1]
        elif a == "--label" and i + 1 < len(args) and "=" in args[i + 1]:
            k, _, v = args[i + 1].partition("=")
            pod["labels"][k] = v
        else:
            usage("bad pod option %r" % a)
        i += 2
    if not pod["name"] or not pod["uid"]:
        usage("a pod needs --name and --uid")
    return pod


def usage(why=None):
    if why:
        sys.stderr.write("cri-client: %s\n" % why)
    sys.stderr.write(__doc__)
    sys.exit(2)


def main(argv):
    sock = "/run/containerd/containerd.sock"
    if argv[:1] == ["-s"] and len(argv) > 1:
        sock, argv = argv[1], argv[2:]
    if not argv:
        usage()
    cmd, args = argv[0], argv[1:]

    def one_arg():
        if len(args) != 1:
            usage("%s takes one argument" % cmd)
        return args[0]

    if cmd == "version":
        r = call(sock, "Version")
        # VersionResponse: version = 1, runtime_name = 2,
        # runtime_version = 3, runtime_api_version = 4
        print("%s %s %s" % tuple(text(first(r, i, b"")) for i in (2, 3, 4)))
    elif cmd == "runp":
        pod = parse_pod(args)
        if pod["log_dir"]:
            os.makedirs(pod["log_dir"], exist_ok=True)
        # RunPodSandboxRequest: config = 1, runtime_handler = 2
        r = call(sock, "RunPodSandbox", fld_len(1, pod_config(pod)))
        print(text(first(r, 1, b"")))
    elif cmd == "create":
        if "--" not in args or len(args) < 4:
            usage("create POD_ID NAME IMAGE POD... -- ARGV...")
        sep = args.index("--")
        pod_id, name, image = args[:3]
        pod, command = parse_pod(args[3:sep]), args[sep + 1:]
        if not command:
            usage("create needs a command after --")
        # CreateContainerRequest: pod_sandbox_id = 1, config = 2,
        # sandbox_config = 3
        r = call(sock, "CreateContainer",
                 fld_str(1, pod_id) + fld_len(2, container_config(name, image, command, pod["labels"]))
                 + fld_len(3, pod_config(pod)))
        print(text(first(r, 1, b"")))
    elif cmd == "start":
        call(sock, "StartContainer", fld_str(1, one_arg()))
    elif cmd == "stop":
        call(sock, "StopContainer", fld_str(1, one_arg()))
    elif cmd == "rm":
        call(sock, "RemoveContainer", fld_str(1, one_arg()))
    elif cmd == "stopp":
        call(sock, "StopPodSandbox", fld_str(1, one_arg()))
    elif cmd == "rmp":
        call(sock, "RemovePodSandbox", fld_str(1, one_arg()))
    elif cmd == "pods":
        # ListPodSandboxResponse: items = 1; PodSandbox: id = 1,
        # metadata = 2, state = 3
        for item in all_of(call(sock, "ListPodSandbox"), 1):
            f = decode(item)
            md = decode(first(f, 2, b""))
            print(text(first(f, 1, b"")), text(first(md, 1, b"")), text(first(md, 3, b"")),
                  POD_STATES.get(first(f, 3, 0), "?"))
    elif cmd == "ps":
        # ListContainersRequest: filter = 1 {pod_sandbox_id = 3}
        req = fld_len(1, fld_str(3, args[0])) if args else b""
        # ListContainersResponse: containers = 1; Container: id = 1,
        # pod_sandbox_id = 2, metadata = 3, state = 6
        for item in all_of(call(sock, "ListContainers", req), 1):
            f = decode(item)
            print(text(first(f, 1, b"")), text(first(f, 2, b"")),
                  text(first(decode(first(f, 3, b"")), 1, b"")),
                  CONTAINER_STATES.get(first(f, 6, 0), "?"))
    elif cmd == "inspectp":
        # PodSandboxStatusRequest: pod_sandbox_id = 1, verbose = 2
        r = call(sock, "PodSandboxStatus", fld_str(1, one_arg()) + fld_int(2, 1))
        # PodSandboxStatusResponse: status = 1, info = 2;
        # PodSandboxStatus: id = 1, metadata = 2, state = 3,
        # network = 5 {ip = 1}
        st = decode(first(r, 1, b""))
        md = decode(first(st, 2, b""))
        net = decode(first(st, 5, b""))
        info = json.loads(dec_map(r, 2).get("info", "{}") or "{}")
        netns = ""
        for ns in info.get("runtimeSpec", {}).get("linux", {}).get("namespaces", []):
            if ns.get("type") == "network":
                netns = ns.get("path", "")
        print("id", text(first(st, 1, b"")))
        print("name", text(first(md, 1, b"")))
        print("namespace", text(first(md, 3, b"")))
        print("uid", text(first(md, 2, b"")))
        print("state", POD_STATES.get(first(st, 3, 0), "?"))
        print("ip", text(first(net, 1, b"")))
        print("pid", info.get("pid", 0))
        print("netns", netns)
    elif cmd == "inspect":
        # ContainerStatusRequest: container_id = 1, verbose = 2;
        # ContainerStatusResponse: status = 1, info = 2; ContainerStatus:
        # id = 1, metadata = 2, state = 3, image = 8
        r = call(sock, "ContainerStatus", fld_str(1, one_arg()) + fld_int(2, 1))
        st = decode(first(r, 1, b""))
        info = json.loads(dec_map(r, 2).get("info", "{}") or "{}")
        print("id", text(first(st, 1, b"")))
        print("name", text(first(decode(first(st, 2, b"")), 1, b"")))
        print("state", CONTAINER_STATES.get(first(st, 3, 0), "?"))
        print("pid", info.get("pid", 0))
        print("image", text(first(decode(first(st, 8, b"")), 1, b"")))
    else:
        usage("unknown command %r" % cmd)


if __name__ == "__main__":
    try:
        main(sys.argv[1:])
    except Refused as e:
        sys.stderr.write("cri-client: %s\n" % e)
        sys.exit(1)
