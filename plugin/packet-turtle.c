/* SPDX-License-Identifier: MIT */
/*
 * The "turtle" post-dissector: for every frame whose interface (IDB) was
 * written by turtlecap, the metadata of its description as fields
 * (turtle.container, turtle.lineage, ...) and the lineage as a tree.
 *
 * The description is constant per interface, so it is parsed once per
 * interface and file (turtle-meta.c) and cached, negative results too;
 * per frame the cost is one map lookup. Frames of other interfaces get
 * nothing. Built for Wireshark 4.0; the API changes of 4.2/4.4 (plugin
 * description, the section number of an interface) are guarded below.
 */
#define WS_BUILD_DLL
#include <inttypes.h>
#include <string.h>

#include <epan/expert.h>
#include <epan/packet.h>
#include <epan/proto.h>
#include <epan/strutil.h>
#include <wiretap/wtap.h>
#include <ws_symbol_export.h>
#include <ws_version.h>

#include "turtle-meta.h"

#define TURTLE_WS_AT_LEAST(maj, min)          \
	(WIRESHARK_VERSION_MAJOR > (maj) ||   \
	 (WIRESHARK_VERSION_MAJOR == (maj) && \
	  WIRESHARK_VERSION_MINOR >= (min)))

#if TURTLE_WS_AT_LEAST(4, 2)
#include <wsutil/plugins.h>
#endif

#ifndef TURTLECAP_VERSION
#define TURTLECAP_VERSION "0.0.0"
#endif

#ifndef WIRESHARK_PLUGIN_REGISTER /* the registration before 4.6 */
WS_DLL_PUBLIC_DEF const char plugin_version[] = TURTLECAP_VERSION;
WS_DLL_PUBLIC_DEF const int plugin_want_major = WIRESHARK_VERSION_MAJOR;
WS_DLL_PUBLIC_DEF const int plugin_want_minor = WIRESHARK_VERSION_MINOR;
WS_DLL_PUBLIC void plugin_register(void);
#ifdef WS_PLUGIN_DESC_DISSECTOR /* 4.2+ asks what a plugin is */
WS_DLL_PUBLIC uint32_t plugin_describe(void);
#endif
#endif

static int proto_turtle = -1;

static int hf_container = -1;
static int hf_id = -1;
static int hf_engine = -1;
static int hf_engine_version = -1;
static int hf_image = -1;
static int hf_pod = -1;
static int hf_pod_namespace = -1;
static int hf_pid = -1;
static int hf_netns = -1;
static int hf_lineage = -1;
static int hf_depth = -1;
static int hf_kind = -1;
static int hf_name = -1;
static int hf_host = -1;
static int hf_target = -1;
static int hf_if = -1;
static int hf_version = -1;
static int hf_comm = -1;
static int hf_ifindex = -1;
static int hf_link = -1;
static int hf_ifkind = -1;
static int hf_member = -1;
static int hf_level = -1;
static int hf_level_name = -1;
static int hf_level_kind = -1;
static int hf_level_engine = -1;
static int hf_level_id = -1;

static gint ett_turtle = -1;
static gint ett_lineage = -1;
static gint ett_level = -1;

static expert_field ei_malformed = EI_INIT;
static expert_field ei_future = EI_INIT;
static expert_field ei_text = EI_INIT;

/* What is kept per interface: the parsed metadata and the labels of its
 * tree, escaped once (labels are shown as is; field values are escaped
 * by Wireshark itself). */
struct turtle_if {
	struct turtle_meta meta;
	const char *summary;	  /* the lineage, escaped */
	const char **level_label; /* one per level */
};

/* (section << 32 | interface id) -> struct turtle_if, for the open file
 * only (emptied whenever the file scope is). */
static wmem_map_t *turtle_cache;

static void *file_alloc(void *ctx, size_t size)
{
	return wmem_alloc(wmem_file_scope(), size);
}

static const char *escaped(const char *s, size_t max)
{
	size_t n = strlen(s);

	return format_text(wmem_file_scope(), (const guchar *)s,
			   n < max ? n : max);
}

static void make_labels(struct turtle_if *ti)
{
	const struct turtle_meta *m = &ti->meta;

	ti->summary = escaped(m->lineage, G_MAXSIZE);
	ti->level_label =
		wmem_alloc_array(wmem_file_scope(), const char *, m->n_levels);
	for (size_t i = 0; i < m->n_levels; i++) {
		const struct turtle_level *lv = &m->levels[i];

		ti->level_label[i] = wmem_strdup_printf(
			wmem_file_scope(), "Level %zu: %s (%s%s%s%s%s)", i,
			escaped(lv->name, G_MAXSIZE),
			escaped(lv->kind, G_MAXSIZE), lv->engine ? ", " : "",
			lv->engine ? escaped(lv->engine, G_MAXSIZE) : "",
			lv->id ? ", id " : "",
			lv->id ? escaped(lv->id, 12) : ""); /* short id */
	}
}

/* The metadata of the frame's interface, parsed on first use; NULL for
 * records without an interface. */
static const struct turtle_if *turtle_lookup(packet_info *pinfo)
{
	const wtap_rec *rec = pinfo->rec;
	guint32 if_id;
	guint section = 0;
	guint64 key, *kp;
	struct turtle_if *ti;
	const char *desc;

	if (!rec || rec->rec_type != REC_TYPE_PACKET ||
	    !(rec->presence_flags & WTAP_HAS_INTERFACE_ID))
		return NULL;
	if_id = rec->rec_header.packet_header.interface_id;
#if TURTLE_WS_AT_LEAST(4, 3)
	/* interface ids are per section since 4.3 */
	if (rec->presence_flags & WTAP_HAS_SECTION_NUMBER)
		section = rec->section_number;
#endif
	key = (guint64)section << 32 | if_id;
	ti = wmem_map_lookup(turtle_cache, &key);
	if (ti)
		return ti;

#if TURTLE_WS_AT_LEAST(4, 3)
	desc = epan_get_interface_description(pinfo->epan, if_id, section);
#else
	desc = epan_get_interface_description(pinfo->epan, if_id);
#endif
	ti = wmem_new0(wmem_file_scope(), struct turtle_if);
	/* descriptions not starting with TURTLE_META_PREFIX: O(1) */
	if (turtle_meta_parse(desc, desc ? strlen(desc) : 0, &ti->meta,
			      file_alloc, NULL) < 0)
		return NULL; /* not reached: wmem aborts instead */
	if (ti->meta.status == TURTLE_META_OK)
		make_labels(ti);
	kp = wmem_new(wmem_file_scope(), guint64);
	*kp = key;
	wmem_map_insert(turtle_cache, kp, ti);
	return ti;
}

static proto_item *add_str(proto_tree *tree, int hf, tvbuff_t *tvb,
			   const char *s)
{
	proto_item *it;

	if (!s)
		return NULL;
	it = proto_tree_add_string(tree, hf, tvb, 0, 0, s);
	proto_item_set_generated(it);
	return it;
}

static void add_uint(proto_tree *tree, int hf, tvbuff_t *tvb, guint32 v)
{
	proto_item_set_generated(proto_tree_add_uint(tree, hf, tvb, 0, 0, v));
}

/* The lineage: one subtree per level, the host at the top. */
static void add_lineage(proto_tree *tree, tvbuff_t *tvb,
			const struct turtle_if *ti)
{
	const struct turtle_meta *m = &ti->meta;
	proto_item *li = add_str(tree, hf_lineage, tvb, m->lineage);
	proto_tree *lt = proto_item_add_subtree(li, ett_lineage);

	for (size_t i = 0; i < m->n_levels; i++) {
		const struct turtle_level *lv = &m->levels[i];
		proto_item *it;
		proto_tree *t;

		it = proto_tree_add_none_format(lt, hf_level, tvb, 0, 0, "%s",
						ti->level_label[i]);
		proto_item_set_generated(it);
		t = proto_item_add_subtree(it, ett_level);
		add_str(t, hf_level_name, tvb, lv->name);
		add_str(t, hf_level_kind, tvb, lv->kind);
		add_str(t, hf_level_engine, tvb, lv->engine);
		add_str(t, hf_level_id, tvb, lv->id);
	}
}

static int dissect_turtle(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree,
			  void *data)
{
	const struct turtle_if *tif;
	const struct turtle_meta *m;
	proto_item *ti, *it;
	proto_tree *st;

	/* even without a tree: expert infos reach taps (-z expert) */
	tif = turtle_lookup(pinfo);
	if (!tif || tif->meta.status == TURTLE_META_NOT_OURS)
		return 0;
	m = &tif->meta;
	if (!tree && m->status == TURTLE_META_OK && !m->warnings)
		return (int)tvb_captured_length(tvb);

	ti = proto_tree_add_item(tree, proto_turtle, tvb, 0, 0, ENC_NA);
	proto_item_set_generated(ti);
	st = proto_item_add_subtree(ti, ett_turtle);
	switch (m->status) {
	case TURTLE_META_MALFORMED:
		proto_item_append_text(ti, ", malformed metadata");
		expert_add_info_format(pinfo, ti, &ei_malformed,
				       "Malformed turtlecap metadata in the "
				       "interface description: %s",
				       m->message);
		return (int)tvb_captured_length(tvb);
	case TURTLE_META_FUTURE:
		proto_item_append_text(ti, ", metadata version %" PRIu64,
				       m->version);
		expert_add_info_format(pinfo, ti, &ei_future,
				       "Unsupported turtlecap metadata: %s",
				       m->message);
		return (int)tvb_captured_length(tvb);
	case TURTLE_META_OK:
	case TURTLE_META_NOT_OURS:
		break;
	}

	proto_item_append_text(ti, ": %s", tif->summary);
	if (m->warnings)
		expert_add_info_format(pinfo, ti, &ei_text,
				       "Suspicious turtlecap metadata (not as "
				       "turtlecap writes it): %s",
				       m->message);

	add_str(st, hf_name, tvb, m->target_name);
	add_str(st, hf_kind, tvb, m->kind);
	add_str(st, hf_container, tvb, m->container);
	add_str(st, hf_id, tvb, m->id);
	add_str(st, hf_engine, tvb, m->engine);
	add_str(st, hf_engine_version, tvb, m->engine_version);
	add_str(st, hf_image, tvb, m->image);
	add_str(st, hf_pod, tvb, m->pod);
	add_str(st, hf_pod_namespace, tvb, m->pod_namespace);
	for (size_t i = 0; i < m->n_members; i++)
		add_str(st, hf_member, tvb, m->members[i]);
	add_lineage(st, tvb, tif);
	add_uint(st, hf_depth, tvb, (guint32)(m->n_levels - 1));
	add_str(st, hf_host, tvb, m->host);
	add_str(st, hf_target, tvb, m->target);
	it = proto_tree_add_uint64(st, hf_netns, tvb, 0, 0, m->netns);
	proto_item_set_generated(it);
	if (m->has_pid)
		add_uint(st, hf_pid, tvb, m->pid);
	add_str(st, hf_comm, tvb, m->comm);
	add_str(st, hf_if, tvb, m->ifname);
	if (m->has_ifindex)
		add_uint(st, hf_ifindex, tvb, m->ifindex);
	add_str(st, hf_link, tvb, m->link);
	add_str(st, hf_ifkind, tvb, m->ifkind);
	add_uint(st, hf_version, tvb, (guint32)m->version);
	return (int)tvb_captured_length(tvb);
}

#define HF_STR(hf, name, abbrev, blurb)                                       \
	{                                                                     \
		&hf,                                                          \
		{                                                             \
			name, abbrev, FT_STRING, BASE_NONE, NULL, 0x0, blurb, \
				HFILL                                         \
		}                                                             \
	}
#define HF_U32(hf, name, abbrev, blurb)                                      \
	{                                                                    \
		&hf,                                                         \
		{                                                            \
			name, abbrev, FT_UINT32, BASE_DEC, NULL, 0x0, blurb, \
				HFILL                                        \
		}                                                            \
	}

static void proto_register_turtle(void)
{
	static hf_register_info hf[] = {
		HF_STR(hf_container, "Container", "turtle.container",
		       "Name of the captured container"),
		HF_STR(hf_id, "Container ID", "turtle.id",
		       "Full id of the captured container"),
		HF_STR(hf_engine, "Engine", "turtle.engine",
		       "Container engine: docker, podman, containerd, cri"),
		HF_STR(hf_engine_version, "Engine version",
		       "turtle.engine_version", "Version of the engine"),
		HF_STR(hf_image, "Image", "turtle.image",
		       "Image reference of the container"),
		HF_STR(hf_pod, "Pod", "turtle.pod", "Pod name"),
		HF_STR(hf_pod_namespace, "Pod namespace",
		       "turtle.pod_namespace",
		       "Kubernetes/podman namespace of the pod"),
		HF_U32(hf_pid, "PID", "turtle.pid",
		       "A process inside the network namespace (host pid)"),
		{ &hf_netns,
		  { "Network namespace", "turtle.netns", FT_UINT64, BASE_DEC,
		    NULL, 0x0, "Inode of the network namespace", HFILL } },
		HF_STR(hf_lineage, "Lineage", "turtle.lineage",
		       "Where the traffic lives, from the host down"),
		HF_U32(hf_depth, "Depth", "turtle.depth",
		       "Lineage levels below the host (0 = the host)"),
		HF_STR(hf_kind, "Kind", "turtle.kind",
		       "What was captured: host, netns, container, pod"),
		HF_STR(hf_name, "Name", "turtle.name",
		       "Name of what was captured (netns or container name; "
		       "an unnamed netns by its inode)"),
		HF_STR(hf_host, "Host", "turtle.host",
		       "Host name of the machine captured on"),
		HF_STR(hf_target, "Target", "turtle.target",
		       "turtlecap interface value (tc-...)"),
		HF_STR(hf_if, "Interface", "turtle.if",
		       "Interface name inside the network namespace"),
		HF_U32(hf_version, "Metadata version", "turtle.version",
		       "Version of the turtlecap metadata format"),
		HF_STR(hf_comm, "Command", "turtle.comm",
		       "Command of the process turtle.pid"),
		HF_U32(hf_ifindex, "Interface index", "turtle.ifindex",
		       "Index of turtle.if inside the network namespace"),
		HF_STR(hf_link, "Link type", "turtle.link",
		       "Link type of the interface: ether, loopback, ..."),
		HF_STR(hf_ifkind, "Interface kind", "turtle.ifkind",
		       "Kind of the interface: veth, bridge, ..."),
		HF_STR(hf_member, "Member", "turtle.member",
		       "A container sharing the network namespace"),
		{ &hf_level,
		  { "Level", "turtle.level", FT_NONE, BASE_NONE, NULL, 0x0,
		    "One level of the lineage", HFILL } },
		HF_STR(hf_level_name, "Name", "turtle.level.name",
		       "Name of the lineage level"),
		HF_STR(hf_level_kind, "Kind", "turtle.level.kind",
		       "Kind of the lineage level: host, netns, container, pod"),
		HF_STR(hf_level_engine, "Engine", "turtle.level.engine",
		       "Engine of the lineage level"),
		HF_STR(hf_level_id, "ID", "turtle.level.id",
		       "Container id of the lineage level"),
	};
	static gint *ett[] = { &ett_turtle, &ett_lineage, &ett_level };
	static ei_register_info ei[] = {
		{ &ei_malformed,
		  { "turtle.malformed", PI_MALFORMED, PI_WARN,
		    "Malformed turtlecap metadata", EXPFILL } },
		{ &ei_future,
		  { "turtle.unsupported_version", PI_UNDECODED, PI_WARN,
		    "Unsupported turtlecap metadata version", EXPFILL } },
		{ &ei_text,
		  { "turtle.suspicious", PI_MALFORMED, PI_WARN,
		    "Suspicious turtlecap metadata", EXPFILL } },
	};
	expert_module_t *em;

	proto_turtle = proto_register_protocol("Turtle lineage (turtlecap)",
					       "Turtle", "turtle");
	proto_register_field_array(proto_turtle, hf, array_length(hf));
	proto_register_subtree_array(ett, array_length(ett));
	em = expert_register_protocol(proto_turtle);
	expert_register_field_array(em, ei, array_length(ei));
	turtle_cache =
		wmem_map_new_autoreset(wmem_epan_scope(), wmem_file_scope(),
				       wmem_int64_hash, g_int64_equal);
}

static void proto_reg_handoff_turtle(void)
{
	register_postdissector(
		create_dissector_handle(dissect_turtle, proto_turtle));
}

#ifdef WIRESHARK_PLUGIN_REGISTER
static void plugin_register(void)
#else
void plugin_register(void)
#endif
{
	static proto_plugin plugin;

	plugin.register_protoinfo = proto_register_turtle;
	plugin.register_handoff = proto_reg_handoff_turtle;
	proto_register_plugin(&plugin);
}

#ifdef WIRESHARK_PLUGIN_REGISTER /* 4.6+ */
static struct ws_module module = {
	.flags = WS_PLUGIN_DESC_DISSECTOR,
	.version = TURTLECAP_VERSION,
	.spdx_id = "MIT",
	.home_url = "",
	.blurb = "turtlecap lineage and container fields (turtle.*)",
	.register_cb = &plugin_register,
};
WIRESHARK_PLUGIN_REGISTER_EPAN(&module, 0)
#elif defined(WS_PLUGIN_DESC_DISSECTOR)
uint32_t plugin_describe(void)
{
	return WS_PLUGIN_DESC_DISSECTOR;
}
#endif
