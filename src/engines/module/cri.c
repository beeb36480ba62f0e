/* SPDX-License-Identifier: MIT */
/*
 * The CRI backend (runtime.v1.RuntimeService over gRPC): CRI-O on its
 * crio.sock, and containerd's CRI plugin (engine-containerd.c calls
 * cri_list() on containerd's own socket). Only the calls and their order
 * live here; what the answers mean is pb-cri.c's.
 */
#include <string.h>

#include "cri.pb-c.h"
#include "backends.h"
#include "engine-grpc.h"
#include "log.h"
#include "pb-cri.h"
#include "pb.h"
#include "util.h"

#define CRI_SERVICE "/runtime.v1.RuntimeService/"

int engine_grpc_client(const char *sock, const struct engine_hints *h,
		       struct grpc_client **ret)
{
	const struct grpc_limits lim = {
		.connect_ms = ENGINE_CONNECT_MS,
		.total_ms = ENGINE_TOTAL_MS,
		/* grpc.c cuts each call to it */
		.budget_ms = engine_left_ms(h),
		.msg_max = ENGINE_BODY_MAX,
	};

	/* 0 would be "no budget" */
	return lim.budget_ms > 0 ? grpc_client_new(sock, &lim, ret) : -ETIME;
}

int engine_grpc_call(struct grpc_client *g, const char *method, const char *ns,
		     const void *req, uint8_t **ret_msg, size_t *ret_len,
		     char **ret_err)
{
	_cleanup_free_ uint8_t *buf = NULL;
	_cleanup_free_ char *nsh = NULL;
	const char *headers[2] = { NULL, NULL };
	size_t len = 0;
	int r;

	if (req) {
		r = pb_pack(req, &buf, &len);
		if (r < 0)
			return r;
	}
	if (ns) {
		if (asprintf(&nsh, "containerd-namespace: %s", ns) < 0)
			return -ENOMEM;
		headers[0] = nsh;
	}
	return grpc_call(g, method, headers, buf, len, ret_msg, ret_len,
			 ret_err);
}

int engine_grpc_fail(struct engine_info *info, int r, const char *prefix,
		     char *line)
{
	char *full = NULL;

	if (prefix &&
	    asprintf(&full, "%s: %s", prefix, line ? line : strerror(-r)) < 0)
		full = NULL;
	if (!info->msg)
		info->msg = prefix ? TAKE_PTR(full) : TAKE_PTR(line);
	free(full);
	free(line);
	return r;
}

/* A call and the mapping of its answer; -errno and *ret_err on failure. */
#define CALL_MAP(g, method, req, ret_err, map, ...)                           \
	({                                                                    \
		_cleanup_free_ uint8_t *_m = NULL;                            \
		char *_why = NULL;                                            \
		size_t _n = 0;                                                \
		int _r = engine_grpc_call(g, CRI_SERVICE method, NULL, req,   \
					  &_m, &_n, ret_err);                 \
		if (_r >= 0) {                                                \
			_r = map(_m, _n, __VA_ARGS__, &_why);                 \
			if (_r < 0)                                           \
				set_msg(ret_err, "%s%s: %s", CRI_SERVICE,     \
					method, _why ? _why : strerror(-_r)); \
			free(_why);                                           \
		}                                                             \
		_r;                                                           \
	})

/* Pids of out->v[first..] (per sandbox, then per container); those whose
 * status fails are dropped: gone meanwhile, or lying. */
static int statuses(struct grpc_client *g, struct container_list *out,
		    size_t first)
{
	size_t kept = first;
	int r = 0;

	for (size_t i = first; i < out->n; i++) {
		struct container *c = &out->v[i];
		char *why = NULL;

		if (r == -ETIMEDOUT || r == -ETIME) {
			/* the engine's budget is spent: the rest stays
			 * unknown */
		} else if (c->infra) {
			Runtime__V1__PodSandboxStatusRequest req;

			runtime__v1__pod_sandbox_status_request__init(&req);
			req.pod_sandbox_id = c->id;
			req.verbose = true;
			r = CALL_MAP(g, "PodSandboxStatus", &req, &why,
				     cri_pb_sandbox_status, c);
		} else {
			Runtime__V1__ContainerStatusRequest req;

			runtime__v1__container_status_request__init(&req);
			req.container_id = c->id;
			req.verbose = true;
			r = CALL_MAP(g, "ContainerStatus", &req, &why,
				     cri_pb_container_status, c);
		}
		if (r < 0 || !c->engine_pid) {
			log_info("%s %s: %s", c->infra ? "pod" : "container",
				 c->name,
				 why ? why : "not asked: no time left");
			free(why);
			container_clear(c);
			continue;
		}
		out->v[kept++] = *c;
	}
	out->n = kept;
	return r == -ETIMEDOUT || r == -ETIME ? r : 0;
}

int cri_list(struct grpc_client *g, size_t index, struct container_list *out,
	     struct engine_info *info, char **ret_err)
{
	/* the CRI version the kubelet asks with */
	static char kubelet_version[] = "0.1.0";
	Runtime__V1__VersionRequest vreq;
	Runtime__V1__PodSandboxStateValue ready;
	Runtime__V1__PodSandboxFilter pf;
	Runtime__V1__ListPodSandboxRequest preq;
	Runtime__V1__ContainerStateValue running;
	Runtime__V1__ContainerFilter cf;
	Runtime__V1__ListContainersRequest creq;
	size_t first = out->n;
	int r;

	/* the generated __INIT macros cast const away: functions instead */
	runtime__v1__version_request__init(&vreq);
	runtime__v1__pod_sandbox_state_value__init(&ready);
	runtime__v1__pod_sandbox_filter__init(&pf);
	runtime__v1__list_pod_sandbox_request__init(&preq);
	runtime__v1__container_state_value__init(&running);
	runtime__v1__container_filter__init(&cf);
	runtime__v1__list_containers_request__init(&creq);
	vreq.version = kubelet_version;
	r = CALL_MAP(g, "Version", &vreq, ret_err, cri_pb_version, info);
	/* UNIMPLEMENTED, or grpc.c's -ECONNRESET: what containerd without
	 * its CRI plugin answers to an unknown service */
	if (r == -EOPNOTSUPP || r == -ECONNRESET) {
		log_debug("no CRI: %s",
			  ret_err && *ret_err ? *ret_err : strerror(-r));
		if (ret_err)
			free(TAKE_PTR(*ret_err));
		return 0;
	}
	if (r < 0)
		return r;
	ready.state = RUNTIME__V1__POD_SANDBOX_STATE__SANDBOX_READY;
	pf.state = &ready;
	preq.filter = &pf;
	r = CALL_MAP(g, "ListPodSandbox", &preq, ret_err, cri_pb_sandboxes,
		     index, out);
	if (r < 0)
		goto fail;
	running.state = RUNTIME__V1__CONTAINER_STATE__CONTAINER_RUNNING;
	cf.state = &running;
	creq.filter = &cf;
	r = CALL_MAP(g, "ListContainers", &creq, ret_err, cri_pb_containers,
		     index, first, out);
	if (r < 0)
		goto fail;
	r = statuses(g, out, first);
	if (r < 0) {
		/* -ETIME: the core says "took longer than N ms" */
		set_msg(ret_err, "%scontainers without a pid left out",
			r == -ETIMEDOUT ? "a status call timed out: " : "");
		/* what was found stays */
		return r;
	}
	return 1;
fail:
	/* a pod is nothing without its containers' names and pids */
	for (size_t i = first; i < out->n; i++)
		container_clear(&out->v[i]);
	out->n = first;
	return r;
}

static int crio_list(const char *sock, enum engine_kind kind, size_t index,
		     const struct engine_hints *hints,
		     struct container_list *out, struct engine_info *info)
{
	_cleanup_(grpc_client_freep) struct grpc_client *g = NULL;
	char *why = NULL;
	int r;

	(void)kind;
	r = engine_grpc_client(sock, hints, &g);
	if (r < 0)
		return r;
	r = cri_list(g, index, out, info, &why);
	if (r == 0) {
		/* an engine that does not serve the one API we ask */
		r = -EPROTONOSUPPORT;
		return engine_grpc_fail(info, r, NULL,
					strdup("the CRI is not served here"));
	}
	return r < 0 ? engine_grpc_fail(info, r, NULL, why) : 0;
}

const struct engine_ops crio_engine_ops = {
	.name = "cri-o",
	.list = crio_list,
};
