#!/bin/bash
# The turtle dissector plugin of the build tree, loaded by the real tshark:
# registration (plugins, protocol, every field), the fields on captures
# written by turtlecap on real namespaces (ground truth: the netns inode),
# exact frame selection in merged files, container metadata from fixtures
# (tests/fuzz/corpus/turtle-meta, written into pcapng by
# turtlecap-mkpcapng), malformed metadata (expert info, exit 0, no crash)
# and frames of other interfaces left alone.
#
# Wireshark ignores WIRESHARK_PLUGIN_DIR and the personal plugin folder
# when started by root, so tshark runs as nobody (uid 65534) with
# WIRESHARK_PLUGIN_DIR=$TC_TMP/plugins holding VERSION/epan/turtle.so.
TC_TEST=plug
# shellcheck source=lib.sh
source "${TC_TESTS:?TC_TESTS must point to the tests/ directory}/integration/lib.sh"

if [ -z "${TC_PLUGIN:-}" ]; then
	echo "SKIP: the plugin was not built (TURTLECAP_PLUGIN=OFF or no wireshark-dev)"
	exit 77
fi
: "${TC_MKPCAPNG:?TC_MKPCAPNG must point to the built turtlecap-mkpcapng}"
: "${TC_PLUGIN_ABI:?TC_PLUGIN_ABI must be the Wireshark major.minor}"
for tool in setpriv mergecap dumpcap nsenter unshare; do
	command -v "$tool" >/dev/null || tc_fail "$tool is missing"
done

CORPUS=$TC_TESTS/fuzz/corpus/turtle-meta
NOBODY=65534
PLUGDIR=$TC_TMP/plugins
SEP=' ▸ '
HOST=$(uname -n)
NS_A=tct-plug-a
NS_B=tct-plug-b

mkdir -p "$PLUGDIR/$TC_PLUGIN_ABI/epan" "$TC_TMP/noplugins/$TC_PLUGIN_ABI/epan" "$TC_TMP/home"
cp "$TC_PLUGIN" "$PLUGDIR/$TC_PLUGIN_ABI/epan/turtle.so"
chmod -R a+rX "$PLUGDIR" "$TC_TMP/noplugins"
chown "$NOBODY:$NOBODY" "$TC_TMP/home"
cd "$TC_TMP"

# ts ARGS...: tshark as nobody with the plugin of the build tree. Files it
# reads must be readable by nobody (TC_TMP is 0755, files 0644).
ts_with() {
	local dir=$1
	shift
	setpriv --reuid=$NOBODY --regid=$NOBODY --clear-groups \
		env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME="$TC_TMP/home" \
		LC_ALL=C.UTF-8 WIRESHARK_PLUGIN_DIR="$dir" tshark "$@"
}
ts() { ts_with "$PLUGDIR" "$@"; }
# the control: the same tshark without any plugin
ts_noplug() { ts_with "$TC_TMP/noplugins" "$@"; }

is() { [ "$1" = "$2" ]; }
# frames FILE FILTER: the frame numbers FILTER selects, one per line
frames() { ts -r "$1" -Y "$2" -T fields -e frame.number; }
# count FILE FILTER
count() { frames "$1" "$2" | wc -l; }
# same_frames FILE FILTER1 FILTER2: both select the same, non-empty set
same_frames() {
	local x y
	x=$(frames "$1" "$2") && y=$(frames "$1" "$3") || return 1
	[ -n "$x" ] && [ "$x" = "$y" ]
}
# uniq_fields FILE FILTER FIELD...: the distinct lines of -T fields
uniq_fields() {
	local f=$1 flt=$2 args=()
	shift 2
	for x in "$@"; do args+=(-e "$x"); done
	[ -z "$flt" ] || args+=(-Y "$flt")
	ts -r "$f" -T fields "${args[@]}" | LC_ALL=C sort -u
}
tab() { local IFS=$'\t'; echo "$*"; }

# --- the version folder Wireshark loads from is that of this tshark
ws_abi=$(tshark --version 2>/dev/null | sed -n '1s/^TShark (Wireshark) \([0-9]*\.[0-9]*\)\..*/\1/p')
tc_check "plugin built for the installed tshark ($TC_PLUGIN_ABI = $ws_abi)" is "$ws_abi" "$TC_PLUGIN_ABI"

# --- registration
ts -G plugins >"$TC_TMP/plugins.out" 2>"$TC_TMP/plugins.err"
tc_check "tshark -G plugins lists turtle.so from the build tree, as a dissector" \
	grep -Eq "^turtle\\.so[[:space:]]+[0-9.]+[[:space:]]+dissector[[:space:]]+$PLUGDIR/$TC_PLUGIN_ABI/epan/turtle\\.so\$" \
	"$TC_TMP/plugins.out"
ts_noplug -G plugins >"$TC_TMP/plugins-noplug.out" 2>&1
tc_check "control: with an empty plugin folder it is not listed" \
	bash -c "! grep -q '^turtle\.so' '$TC_TMP/plugins-noplug.out'"
tc_check "tshark -G protocols has the turtle protocol" \
	grep -qx $'Turtle lineage (turtlecap)\tTurtle\tturtle' <(ts -G protocols)

ts -G fields | awk -F'\t' '$1 == "F" && $5 == "turtle" { print $3 "\t" $4 }' |
	LC_ALL=C sort >"$TC_TMP/fields.out"
ts_noplug -G fields | awk -F'\t' '$1 == "F" && $3 ~ /^turtle\./' >"$TC_TMP/fields-noplug.out"
tc_check "control: no turtle.* field without the plugin" [ ! -s "$TC_TMP/fields-noplug.out" ]
missing=()
while read -r f t; do
	grep -qx "$f"$'\t'"$t" "$TC_TMP/fields.out" || missing+=("$f ($t)")
done <<'EOF'
turtle.container FT_STRING
turtle.id FT_STRING
turtle.engine FT_STRING
turtle.engine_version FT_STRING
turtle.image FT_STRING
turtle.pod FT_STRING
turtle.pod_namespace FT_STRING
turtle.pid FT_UINT32
turtle.netns FT_UINT64
turtle.lineage FT_STRING
turtle.depth FT_UINT32
turtle.kind FT_STRING
turtle.name FT_STRING
turtle.host FT_STRING
turtle.target FT_STRING
turtle.if FT_STRING
turtle.version FT_UINT32
turtle.level.name FT_STRING
turtle.level.kind FT_STRING
turtle.level.engine FT_STRING
turtle.level.id FT_STRING
EOF
tc_check "tshark -G fields has every turtle.* field with its type (missing: ${missing[*]:-none})" \
	[ ${#missing[@]} = 0 ]

# --- real captures by turtlecap: two named namespaces, an unnamed one, the
# host. a: 198.51.100.1 on tcpa, b: 198.51.100.2 on tcpb.
tc_pair a b tcpa tcpb 0
INO_A=$(tc_ns_inode $NS_A)
INO_B=$(tc_ns_inode $NS_B)
# a process in a, so that the metadata has a pid
tc_bg sleeper-a ip netns exec $NS_A sleep 600
SLEEPER_A=$TC_BG_PID
# an unnamed namespace (no ip netns name): named by its inode
tc_bg anon unshare --net sleep 600
ANON_PID=$TC_BG_PID
for _ in $(seq 100); do
	[ "$(readlink /proc/$ANON_PID/ns/net 2>/dev/null)" != "$(readlink /proc/self/ns/net)" ] &&
		[ "$(cat /proc/$ANON_PID/comm 2>/dev/null)" = sleep ] && break
	sleep 0.05
done
INO_X=$(stat -L -c %i /proc/$ANON_PID/ns/net)
nsenter -t "$ANON_PID" -n ip link set lo up

fa=$TC_TMP/a.pcapng fb=$TC_TMP/b.pcapng fx=$TC_TMP/x.pcapng fh=$TC_TMP/host.pcapng
tc_capture "$fa" tc-netns-$NS_A
cap_a=$TC_CAP_PID
tc_capture "$fb" tc-netns-$NS_B
cap_b=$TC_CAP_PID
tc_capture "$fx" "tc-ns-$INO_X"
cap_x=$TC_CAP_PID
tc_capture "$fh" tc-host --netifs lo
cap_h=$TC_CAP_PID
ip netns exec $NS_B ping -c 3 -i 0.2 198.51.100.1 >/dev/null
ip netns exec $NS_A ping -c 2 -i 0.2 127.0.0.1 >/dev/null
nsenter -t "$ANON_PID" -n ping -c 2 -i 0.2 127.0.0.1 >/dev/null
ping -c 2 -i 0.2 127.0.0.1 >/dev/null
sleep 0.3
for p in $cap_a $cap_b $cap_x $cap_h; do
	rc=0
	tc_capture_stop "$p" || rc=$?
	tc_check "capture $p ends with exit 0" is "$rc" 0
done
chmod 0644 "$fa" "$fb" "$fx" "$fh"

# a: every frame carries a's metadata, and only it
n_a=$(ts -r "$fa" | wc -l)
tc_check "a's capture has frames ($n_a)" [ "$n_a" -ge 10 ]
got=$(uniq_fields "$fa" "" turtle.name turtle.lineage turtle.depth turtle.kind turtle.netns)
tc_check "a: name, lineage, depth, kind, netns inode (got: $got)" \
	is "$got" "$(tab "$NS_A" "$HOST$SEP$NS_A" 1 netns "$INO_A")"
tc_check "a: every frame has them" is "$(count "$fa" "turtle.name == \"$NS_A\" && turtle.netns == $INO_A")" "$n_a"
got=$(uniq_fields "$fa" "" turtle.host turtle.target turtle.version turtle.level.name turtle.level.kind)
tc_check "a: host, target, version, lineage levels (got: $got)" \
	is "$got" "$(tab "$HOST" tc-netns-$NS_A 1 "$HOST,$NS_A" host,netns)"
pid=$(uniq_fields "$fa" "" turtle.pid)
tc_check "a: turtle.pid ($pid) is a process inside a" \
	is "$(stat -L -c %i /proc/"$pid"/ns/net 2>/dev/null)" "$INO_A"
tc_check "a: turtle.if tells lo from the veth end" \
	same_frames "$fa" 'turtle.if == "lo" && icmp' "frame.interface_name == \"tc-netns-$NS_A/lo\" && icmp"
tc_check "a: turtle.if == tcpa selects the veth frames" \
	same_frames "$fa" 'turtle.if == "tcpa"' "frame.interface_name == \"tc-netns-$NS_A/tcpa\""
tc_log "pid in a: $pid (sleeper $SLEEPER_A)"

got=$(uniq_fields "$fb" "" turtle.name turtle.lineage turtle.depth turtle.kind turtle.netns)
tc_check "b: name, lineage, depth, kind, netns inode (got: $got)" \
	is "$got" "$(tab "$NS_B" "$HOST$SEP$NS_B" 1 netns "$INO_B")"
tc_check "b: no pid (no process inside)" is "$(count "$fb" turtle.pid)" 0

got=$(uniq_fields "$fx" "" turtle.name turtle.lineage turtle.depth turtle.kind turtle.netns turtle.target)
tc_check "unnamed netns: named by its inode (got: $got)" \
	is "$got" "$(tab "$INO_X" "$HOST$SEP$INO_X" 1 netns "$INO_X" "tc-ns-$INO_X")"
tc_check "unnamed netns: its pings are there" [ "$(count "$fx" 'icmp.type == 8')" -ge 2 ]

got=$(uniq_fields "$fh" "" turtle.name turtle.lineage turtle.depth turtle.kind turtle.target)
tc_check "host: depth 0, lineage = the host (got: $got)" \
	is "$got" "$(tab "$HOST" "$HOST" 0 host tc-host)"

# --- two captures merged: the plugin's fields select exactly each one's
# frames (counted independently through frame.interface_name)
mergecap -w "$TC_TMP/ab.pcapng" "$fa" "$fb"
chmod 0644 "$TC_TMP/ab.pcapng"
n_ab=$(ts -r "$TC_TMP/ab.pcapng" | wc -l)
n_sel=$(count "$TC_TMP/ab.pcapng" "turtle.name == \"$NS_A\"")
n_if=$(count "$TC_TMP/ab.pcapng" "frame.interface_name matches \"^tc-netns-$NS_A/\"")
tc_log "merged: $n_ab frames, $n_sel selected by turtle.name, $n_if on a's interfaces"
tc_check "merged: turtle.name == a selects as many frames as a's interfaces hold" \
	is "$n_sel" "$n_if"
tc_check "merged: some frames, not all" [ "$n_sel" -gt 0 -a "$n_sel" -lt "$n_ab" ]
tc_check "merged: ... and exactly those frames" \
	same_frames "$TC_TMP/ab.pcapng" "turtle.name == \"$NS_A\"" "frame.interface_name matches \"^tc-netns-$NS_A/\""
tc_check "merged: turtle.name == b selects exactly b's frames" \
	same_frames "$TC_TMP/ab.pcapng" "turtle.name == \"$NS_B\"" "frame.interface_name matches \"^tc-netns-$NS_B/\""
tc_check "merged: turtle.netns == a's inode too" \
	same_frames "$TC_TMP/ab.pcapng" "turtle.netns == $INO_A" "frame.interface_name matches \"^tc-netns-$NS_A/\""
tc_check "merged: every frame is a's or b's" \
	is "$(count "$TC_TMP/ab.pcapng" "turtle.name in {\"$NS_A\", \"$NS_B\"}")" "$n_ab"

# --- container metadata (the engines do not write it yet): fixtures
# written into pcapng, frames interleaved over the interfaces, next to an
# interface with an ordinary description and one without any
printf 'Intel Corporation 82574L Gigabit Network Connection' >"$TC_TMP/ordinary.txt"
"$TC_MKPCAPNG" "$TC_TMP/ctr.pcapng" \
	docker/inner-web/eth0 "$CORPUS/container-nested.json" 5 \
	docker/db/eth0 "$CORPUS/container-db.json" 4 \
	cri/web/eth0 "$CORPUS/pod.json" 3 \
	eth0 "$TC_TMP/ordinary.txt" 2 \
	lo - 2
chmod 0644 "$TC_TMP/ctr.pcapng"
ID1=4f1c2a9d8e7b6c5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b1a
ID2=9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b
ID3=1111222233334444555566667777888899990000aaaabbbbccccddddeeeeffff
f=$TC_TMP/ctr.pcapng
tc_check "containers: 16 frames" is "$(ts -r "$f" | wc -l)" 16
tc_check "containers: turtle.container == inner-web selects 5 frames" \
	is "$(count "$f" 'turtle.container == "inner-web"')" 5
tc_check "containers: ... exactly those of its interface" \
	same_frames "$f" 'turtle.container == "inner-web"' 'frame.interface_name == "docker/inner-web/eth0"'
got=$(uniq_fields "$f" 'frame.interface_name == "docker/inner-web/eth0"' \
	turtle.container turtle.engine turtle.engine_version turtle.image turtle.id \
	turtle.lineage turtle.depth turtle.kind turtle.name turtle.pid turtle.netns)
tc_check "nested container: container, engine, image, id, lineage, depth (got: $got)" \
	is "$got" "$(tab inner-web docker 24.0.7 nginx:1.25-alpine "$ID2" "vm${SEP}dind${SEP}inner-web" 2 container inner-web 4242 4026532700)"
got=$(uniq_fields "$f" 'turtle.container == "inner-web"' \
	turtle.level.name turtle.level.kind turtle.level.engine turtle.level.id)
tc_check "nested container: the lineage tree, host first (got: $got)" \
	is "$got" "$(tab vm,dind,inner-web host,container,container docker,docker "$ID1,$ID2")"
got=$(uniq_fields "$f" 'frame.interface_name == "cri/web/eth0"' \
	turtle.pod turtle.pod_namespace turtle.container turtle.engine turtle.lineage turtle.depth turtle.kind turtle.name)
tc_check "pod: pod, namespace, container, engine, lineage (got: $got)" \
	is "$got" "$(tab web-7d4b9 shop web containerd "node1${SEP}web-7d4b9" 1 pod web-7d4b9)"
tc_check "pod: turtle.pod filter" \
	same_frames "$f" 'turtle.pod == "web-7d4b9" && turtle.pod_namespace == "shop"' 'frame.interface_name == "cri/web/eth0"'
tc_check "db: turtle.id filter" \
	same_frames "$f" "turtle.id == \"$ID3\"" 'frame.interface_name == "docker/db/eth0"'
tc_check "turtle.depth == 2 is the nested container only" \
	same_frames "$f" 'turtle.depth == 2' 'frame.interface_name == "docker/inner-web/eth0"'
tc_check "turtle.level.name == dind: frames below dind" \
	same_frames "$f" 'turtle.level.name == "dind"' 'frame.interface_name == "docker/inner-web/eth0"'
tc_check "turtle.engine == docker: both docker containers" \
	same_frames "$f" 'turtle.engine == "docker"' 'frame.interface_name matches "^docker/"'
# usable as columns
ts -r "$f" -o 'gui.column.format:"No.","%m","Container","%Cus:turtle.container","Lineage","%Cus:turtle.lineage"' \
	>"$TC_TMP/columns.out"
tc_check "custom columns show turtle.container and turtle.lineage" \
	grep -Eq "^ *1 inner-web vm${SEP}dind${SEP}inner-web\$" "$TC_TMP/columns.out"
# other interfaces are left alone
tc_check "ordinary description: no turtle tree" \
	is "$(count "$f" 'frame.interface_name == "eth0" && turtle')" 0
tc_check "no description: no turtle tree" \
	is "$(count "$f" 'frame.interface_name == "lo" && turtle')" 0
tc_check "control: those frames exist" \
	is "$(count "$f" 'frame.interface_name in {"eth0", "lo"}')" 4

# a file from another tool (dumpcap on lo): nothing added
timeout 30 dumpcap -q -i lo -c 4 -w "$TC_TMP/lo.pcapng" 2>"$TC_TMP/lo.err" &
dc=$!
sleep 0.5
ping -c 6 -i 0.2 127.0.0.1 >/dev/null
rc=0
wait $dc || rc=$?
tc_check "dumpcap -i lo captured" is "$rc" 0
chmod 0644 "$TC_TMP/lo.pcapng"
tc_check "dumpcap's lo file has its 4 frames" is "$(ts -r "$TC_TMP/lo.pcapng" | wc -l)" 4
tc_check "dumpcap's lo file: no turtle tree" is "$(count "$TC_TMP/lo.pcapng" turtle)" 0

# merged with containers and a turtlecap capture: still exact
mergecap -w "$TC_TMP/all.pcapng" "$f" "$fa" "$TC_TMP/lo.pcapng"
chmod 0644 "$TC_TMP/all.pcapng"
tc_check "merged all: turtle.container == inner-web selects exactly its frames" \
	same_frames "$TC_TMP/all.pcapng" 'turtle.container == "inner-web"' 'frame.interface_name == "docker/inner-web/eth0"'
tc_check "merged all: turtle.name == a selects exactly a's frames" \
	same_frames "$TC_TMP/all.pcapng" "turtle.name == \"$NS_A\"" "frame.interface_name matches \"^tc-netns-$NS_A/\""
tc_check "merged all: the turtle frames are exactly those of turtle interfaces" \
	same_frames "$TC_TMP/all.pcapng" turtle 'frame.interface_description contains "{\"turtlecap\":1,"'

# --- malformed and unusual metadata: one interface each, one frame each
python3 - "$TC_TMP/huge.json" <<'PY'
import sys
# a 60000-byte name: the description passes the format's limit
d = ('{"turtlecap":1,"host":"vm","target":"tc-x","kind":"netns","name":"' + 'h' * 60000 +
     '","netns":1,"lineage":[{"kind":"host","name":"vm"}]}')
open(sys.argv[1], 'w').write(d)
PY
: >"$TC_TMP/empty.txt"
# name -> what the expert info must say (the file is $CORPUS/name)
declare -A want=(
	[bad-json.txt]="Malformed turtlecap metadata in the interface description: bad JSON at byte"
	[truncated.txt]="Malformed turtlecap metadata in the interface description: truncated"
	[prefix-only.txt]="Malformed turtlecap metadata in the interface description: truncated"
	[trailing-data.txt]="trailing data after the JSON object"
	[control-char.txt]="control character in a string"
	[wrong-type-pid.json]='key "pid" must be a number'
	[wrong-type-host.json]='key "host" must be a string'
	[wrong-type-lineage.json]='key "lineage" must be an array'
	[wrong-type-netns.json]='key "netns" must be an integer'
	[wrong-type-level.json]="lineage level 0 must be an object"
	[missing-host.json]='required key "host" missing'
	[missing-level-name.json]='lineage level 1 has no "name"'
	[empty-object.json]='required key "host" missing'
	[empty-lineage.json]="the lineage is empty"
	[duplicate-key.json]='key "host" twice'
	[deep-nesting.json]="nested deeper than"
	[version-zero.json]="format version must be an integer from 1"
	[future-version.json]="Unsupported turtlecap metadata: format version 99 is newer than this plugin reads (1)"
	[future-version-other-format.txt]="Unsupported turtlecap metadata: format version 2 is newer"
	[long-string.json]='Suspicious turtlecap metadata (not as turtlecap writes it): the value of "name" is longer than 4096 bytes: cut'
	[invalid-utf8.json]='Suspicious turtlecap metadata (not as turtlecap writes it): the value of "name" is not valid text'
	[bad-surrogate-nul.json]='the value of "name" is not valid text'
	[huge]="the description is 60" # ... bytes long, over the format's limit
)
args=()
for name in "${!want[@]}"; do
	file=$CORPUS/$name
	[ "$name" = huge ] && file=$TC_TMP/huge.json
	args+=("$name" "$file" 1)
done
args+=(empty "$TC_TMP/empty.txt" 1 good "$CORPUS/netns-named.json" 1)
"$TC_MKPCAPNG" "$TC_TMP/bad.pcapng" "${args[@]}"
chmod 0644 "$TC_TMP/bad.pcapng"
f=$TC_TMP/bad.pcapng
rc=0
ts -r "$f" -T fields -E separator=/t -e frame.interface_name -e _ws.expert.message \
	-e _ws.expert.severity >"$TC_TMP/bad.out" 2>"$TC_TMP/bad.err" || rc=$?
tc_check "malformed metadata: tshark exits 0" is "$rc" 0
tc_check "malformed metadata: nothing on stderr" [ ! -s "$TC_TMP/bad.err" ]
wrong=()
for name in "${!want[@]}"; do
	line=$(grep -F "$name"$'\t' "$TC_TMP/bad.out" | head -1)
	# the message, as a warning (severity 6291456 = PI_WARN)
	grep -qF -- "${want[$name]}" <<<"$line" && grep -q $'\t6291456$' <<<"$line" ||
		wrong+=("$name: $line")
done
tc_check "each malformed fixture gets its expert info (wrong: ${wrong[*]:-none})" [ ${#wrong[@]} = 0 ]
tc_check "empty description: not turtlecap's, no expert info" \
	grep -qx $'empty\t\t' "$TC_TMP/bad.out"
tc_check "the valid one next to them: no expert info" grep -qx $'good\t\t' "$TC_TMP/bad.out"
tc_check "the valid one next to them: its fields" \
	is "$(count "$f" 'frame.interface_name == "good" && turtle.name == "blue"')" 1
tc_check "malformed: the turtle item, without fields" \
	is "$(count "$f" 'frame.interface_name == "bad-json.txt" && turtle && !turtle.name')" 1
tc_check "a cut string is shown cut to 4096 bytes" \
	is "$(count "$f" 'frame.interface_name == "long-string.json" && len(turtle.name) == 4096')" 1
ts -r "$f" -q -z expert >"$TC_TMP/expert.out" 2>&1 || true
# (same messages are one line: sum the frequencies)
n_mal=$(awk '$2 == "Malformed" && $3 == "Turtle" { n += $1 } END { print n + 0 }' "$TC_TMP/expert.out")
n_und=$(awk '$2 == "Undecoded" && $3 == "Turtle" { n += $1 } END { print n + 0 }' "$TC_TMP/expert.out")
tc_check "-z expert: 21 malformed and 2 undecoded ($n_mal, $n_und)" is "$n_mal/$n_und" "21/2"
rc=0
ts -r "$f" -V >"$TC_TMP/bad-V.out" 2>"$TC_TMP/bad-V.err" || rc=$?
tc_check "full trees (-V) of every fixture: exit 0, nothing on stderr" \
	bash -c "[ $rc = 0 ] && [ ! -s '$TC_TMP/bad-V.err' ]"
tc_check "-V shows the lineage tree of the valid one" \
	grep -q '^        \[Level 1: blue (netns)\]$' "$TC_TMP/bad-V.out"

# every corpus input (the fuzz seeds) as an interface of one file: no crash
args=()
for file in "$CORPUS"/*; do args+=("$(basename "$file")" "$file" 2); done
"$TC_MKPCAPNG" "$TC_TMP/corpus.pcapng" "${args[@]}"
chmod 0644 "$TC_TMP/corpus.pcapng"
rc=0
ts -r "$TC_TMP/corpus.pcapng" -V >/dev/null 2>"$TC_TMP/corpus.err" || rc=$?
tc_check "the whole fuzz corpus through tshark -V: exit 0, quiet" \
	bash -c "[ $rc = 0 ] && [ ! -s '$TC_TMP/corpus.err' ]"
