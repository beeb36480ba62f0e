#!/bin/bash
# First README command: on a fresh Debian 12 machine as root, install what
# turtlecap needs to build, test and run, build it, install the extcap into
# the installed Wireshark's extcap folder and the dissector plugin into its
# plugin folder, and run the main job (`turtlecap --list`).
set -euo pipefail
cd "$(dirname "$0")/.."

export DEBIAN_FRONTEND=noninteractive
PACKAGES=(
	# build
	build-essential cmake pkg-config clang clang-format libclang-rt-14-dev
	libpcap-dev libjansson-dev libcurl4-openssl-dev libglib2.0-dev
	# containerd's and the CRI's gRPC: protobuf-c (and its code generator),
	# and libnghttp2 for the tests' fake gRPC server
	libprotobuf-c-dev protobuf-c-compiler libnghttp2-dev
	wireshark-dev libwireshark-dev
	# run and test: the real Wireshark tools, namespaces, traffic
	tshark iproute2 iputils-ping util-linux procps strace curl python3
	# the capture benchmark's side-by-side tool (tests/bench/run.sh)
	tcpdump
	# remote hosts: the ssh client turtlecap runs; sshd for the remote test
	openssh-client openssh-server
	# the Debian package (cpack -G DEB, which needs file(1) to find the
	# binaries to strip, dpkg-shlibdeps; its postinst's setcap; man
	# turtlecap)
	dpkg-dev file libcap2-bin adduser man-db
	# real container engines for the integration tests
	docker.io containerd runc busybox-static
	# CNI for containerd's CRI plugin and ctr --cni (bridge, host-local)
	containernetworking-plugins
	# rootful podman (runc: crun cannot use hybrid cgroups; netavark
	# networking needs iptables)
	podman conmon netavark aardvark-dns catatonit iptables
)
missing=()
for p in "${PACKAGES[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	echo "setup: installing ${missing[*]}"
	apt-get update -qq
	# tshark asks whether non-root users may capture: keep Debian's default
	# (no) without a prompt
	echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections
	apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTURTLECAP_WERROR=ON >/dev/null
cmake --build build -j"$(nproc)"
cmake --install build >/dev/null
echo "setup: installed $(command -v turtlecap) -> $(readlink -f "$(command -v turtlecap)")"
# the dissector plugin (turtle.* fields), in Wireshark's global plugin folder
plugin=$(grep -m1 '/turtle\.so$' build/install_manifest.txt || true)
if [ -z "$plugin" ]; then
	echo "setup: the Wireshark plugin was not built (wireshark-dev missing?)" >&2
	exit 1
fi
if tshark -G plugins 2>/dev/null | grep -q "^turtle\.so.*$plugin\$"; then
	echo "setup: installed the Wireshark plugin $plugin (tshark -G plugins lists it)"
else
	echo "setup: installed $plugin, but tshark does not load it" >&2
	exit 1
fi
turtlecap --list
