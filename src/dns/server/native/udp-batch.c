// Batched UDP for the DNS server: recvmmsg(2) and sendmmsg(2), which node:dgram lacks.
//
// Why this exists (measured, docs/benchmarks.md §6 and src/dns/server/README.md "UDP I/O"): node:dgram
// delivers one JS callback per datagram and makes one send call per reply. On this project's 2-vCPU machine
// a responder that only patches a fixed reply reached ~180k queries per CPU-second with dgram (~200k even
// when skipping dgram's JS send path), while Knot DNS reached ~350k on the same query. With one recvmmsg
// and one sendmmsg per batch of up to 64 datagrams, the same responder reached ~420k. So the UDP hot path
// batches here and everything else (decoding, the cluster resolver, caching, metrics) stays in TypeScript.
//
// Model: one socket per JS thread, polled by that thread's own libuv loop (uv_poll_t; no extra thread).
// When readable: recvmmsg up to BATCH datagrams into slots of a JS-owned buffer, call the JS callback once
// with the count (it reads the slots and writes replies into the out slots, length 0 = no reply), then
// sendmmsg every reply to the address it came from. Up to ROUNDS batches per wakeup, then the loop runs
// other work. Nothing here interprets DNS. Only Node-API and libuv (both from the running Node's own
// headers) are used; the JS side (udp-batch.ts) falls back to node:dgram when this is not built.

#define _GNU_SOURCE
#define NAPI_VERSION 8  // napi_add_async_cleanup_hook, napi_type_tag_object
#include <node_api.h>
#include <uv.h>
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define ABI 2        // bumped whenever the JS-visible contract changes; udp-batch.ts checks it
#define BATCH 64     // datagrams per recvmmsg/sendmmsg
#define SLOT 4096    // bytes per query slot and per reply slot (larger queries are flagged truncated)
#define ADDR 32      // bytes per peer address slot (a sockaddr_in6 is 28)
#define ROUNDS 16    // batches per wakeup before yielding to the event loop

// Lifetime: a sock_t is freed when both its uv handle is closed (on_close) and its JS handle (an external)
// has been finalized, in either order, so neither libuv nor a late JS call ever touches freed memory.
typedef struct {
  napi_env env;
  uv_poll_t poll;
  int fd;
  int closing;      // close started: no more reads, sends or JS calls
  int handle_closed;  // libuv released the poll handle
  int finalized;    // the JS external is gone
  int hooked;       // the async cleanup hook is registered and has not run
  napi_async_cleanup_hook_handle hook;     // as registered
  napi_async_cleanup_hook_handle cleanup;  // set while environment teardown waits for on_close
  napi_ref cb;    // onBatch(count)
  napi_ref bufs;  // keeps the five typed arrays alive
  napi_async_context actx;
  uint8_t *in, *addr, *out;
  int32_t *inlen, *outlen;
  struct mmsghdr rmsg[BATCH], smsg[BATCH];
  struct iovec riov[BATCH], siov[BATCH];
} sock_t;

static const napi_type_tag SOCK_TAG = { 0x6b756265646973ULL, 0x636f2d7564702d62ULL };  // "kubedis", "co-udp-b"

static socklen_t addr_len(const uint8_t* a) {
  return ((const struct sockaddr*)a)->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);
}

static void call_js(sock_t* s, int n) {
  napi_handle_scope scope;
  napi_value cb, recv, arg, res;
  if (napi_open_handle_scope(s->env, &scope) != napi_ok) return;
  napi_get_reference_value(s->env, s->cb, &cb);
  napi_get_global(s->env, &recv);
  napi_create_int32(s->env, n, &arg);
  // napi_make_callback: async context and microtask checkpoint, as for any I/O callback.
  if (napi_make_callback(s->env, s->actx, recv, cb, 1, &arg, &res) == napi_pending_exception) {
    napi_value e;
    napi_get_and_clear_last_exception(s->env, &e);
    napi_fatal_exception(s->env, e);  // reported as an uncaught exception, like a throwing 'message' listener
  }
  napi_close_handle_scope(s->env, scope);
}

static void send_replies(sock_t* s, int n) {
  int m = 0;
  for (int i = 0; i < n; i++) {
    int32_t len = s->outlen[i];
    if (len <= 0 || len > SLOT) continue;
    s->siov[m].iov_base = s->out + (size_t)i * SLOT;
    s->siov[m].iov_len = (size_t)len;
    memset(&s->smsg[m].msg_hdr, 0, sizeof(struct msghdr));
    s->smsg[m].msg_hdr.msg_name = s->addr + (size_t)i * ADDR;
    s->smsg[m].msg_hdr.msg_namelen = addr_len(s->addr + (size_t)i * ADDR);
    s->smsg[m].msg_hdr.msg_iov = &s->siov[m];
    s->smsg[m].msg_hdr.msg_iovlen = 1;
    m++;
  }
  // A reply that cannot be sent is skipped (the client retries); a full socket buffer (EAGAIN) drops
  // the rest of the batch rather than spinning on it.
  for (int off = 0, tries = 0; off < m && tries < 2 * BATCH; tries++) {
    int k = sendmmsg(s->fd, s->smsg + off, (unsigned)(m - off), MSG_DONTWAIT);
    if (k > 0) off += k;
    else if (k < 0 && errno == EINTR) continue;
    else if (k < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
    else off++;
  }
}

static void on_poll(uv_poll_t* h, int status, int events) {
  (void)events;
  sock_t* s = h->data;
  if (status < 0 || s->closing) return;
  for (int round = 0; round < ROUNDS; round++) {
    for (int i = 0; i < BATCH; i++) {
      s->riov[i].iov_base = s->in + (size_t)i * SLOT;
      s->riov[i].iov_len = SLOT;
      memset(&s->rmsg[i].msg_hdr, 0, sizeof(struct msghdr));
      s->rmsg[i].msg_hdr.msg_name = s->addr + (size_t)i * ADDR;
      s->rmsg[i].msg_hdr.msg_namelen = ADDR;
      s->rmsg[i].msg_hdr.msg_iov = &s->riov[i];
      s->rmsg[i].msg_hdr.msg_iovlen = 1;
    }
    int n = recvmmsg(s->fd, s->rmsg, BATCH, MSG_DONTWAIT, NULL);
    if (n <= 0) return;  // EAGAIN (drained) or a transient error: wait for the next wakeup
    for (int i = 0; i < n; i++) {
      s->inlen[i] = (s->rmsg[i].msg_hdr.msg_flags & MSG_TRUNC) ? -1 : (int32_t)s->rmsg[i].msg_len;
      s->outlen[i] = 0;
    }
    call_js(s, n);
    if (s->closing) return;  // closed from the callback: the handle is released after this returns
    send_replies(s, n);
    if (n < BATCH) return;
  }
}

// Freed once libuv has released the handle, the JS handle is finalized and no cleanup hook can still run.
static void release(sock_t* s) {
  if (s->handle_closed && s->finalized && !s->hooked && !s->cleanup) free(s);
}

static void on_close(uv_handle_t* h) {
  sock_t* s = h->data;
  napi_delete_reference(s->env, s->cb);
  napi_delete_reference(s->env, s->bufs);
  napi_async_destroy(s->env, s->actx);
  s->handle_closed = 1;
  // Environment teardown waiting for this handle may go on (and unload the addon) now.
  napi_async_cleanup_hook_handle waiting = s->cleanup;
  s->cleanup = NULL;
  release(s);
  if (waiting) napi_remove_async_cleanup_hook(waiting);
}

// uv_close removes the fd from the loop at once (the close callback only releases memory later), so the
// socket is closed here, right away: a closed thread's socket must not keep taking its share of the
// reusePort traffic.
static void do_close(sock_t* s) {
  if (s->closing) return;
  s->closing = 1;
  uv_poll_stop(&s->poll);
  uv_close((uv_handle_t*)&s->poll, on_close);
  close(s->fd);
}

// Environment teardown (a worker thread ending, the process exiting): Node waits until the hook is
// removed, which on_close does, so the close callback never runs after the addon is unloaded.
static void async_cleanup(napi_async_cleanup_hook_handle handle, void* arg) {
  sock_t* s = arg;
  s->hooked = 0;
  if (s->handle_closed) {
    release(s);
    napi_remove_async_cleanup_hook(handle);
    return;
  }
  s->cleanup = handle;
  do_close(s);  // no-op when closing already: on_close is pending and will remove the hook
}

// The JS handle was collected. Normally close() ran long before; if not, close now.
static void finalize(napi_env env, void* data, void* hint) {
  (void)env; (void)hint;
  sock_t* s = data;
  s->finalized = 1;
  do_close(s);
  release(s);
}

static napi_value throw_err(napi_env env, const char* code, const char* msg) {
  napi_throw_error(env, code, msg);
  return NULL;
}

// A typed array's data pointer, checked to hold at least `min` bytes.
static void* typed(napi_env env, napi_value v, size_t min, int* ok) {
  bool is;
  if (napi_is_typedarray(env, v, &is) != napi_ok || !is) { *ok = 0; return NULL; }
  napi_typedarray_type t;
  size_t len, off;
  void* data;
  napi_value ab;
  napi_get_typedarray_info(env, v, &t, &len, &data, &ab, &off);
  size_t el = (t == napi_int32_array || t == napi_uint32_array) ? 4 : 1;
  if (len * el < min) *ok = 0;
  return data;
}

// open(host, port, reusePort, inBuf, inLen, addr, outBuf, outLen, onBatch) → handle (an IP literal host)
static napi_value js_open(napi_env env, napi_callback_info info) {
  size_t argc = 9;
  napi_value a[9];
  if (napi_get_cb_info(env, info, &argc, a, NULL, NULL) != napi_ok || argc < 9) return throw_err(env, "EINVAL", "open: 9 arguments expected");
  char host[64];
  size_t hl;
  int32_t port;
  bool reuse;
  if (napi_get_value_string_utf8(env, a[0], host, sizeof host, &hl) != napi_ok) return throw_err(env, "EINVAL", "open: host must be a string");
  if (napi_get_value_int32(env, a[1], &port) != napi_ok || port < 0 || port > 65535) return throw_err(env, "EINVAL", "open: bad port");
  if (napi_get_value_bool(env, a[2], &reuse) != napi_ok) return throw_err(env, "EINVAL", "open: reusePort must be a boolean");
  int ok = 1;
  uint8_t* in = typed(env, a[3], (size_t)BATCH * SLOT, &ok);
  int32_t* inlen = typed(env, a[4], BATCH * 4, &ok);
  uint8_t* addr = typed(env, a[5], BATCH * ADDR, &ok);
  uint8_t* out = typed(env, a[6], (size_t)BATCH * SLOT, &ok);
  int32_t* outlen = typed(env, a[7], BATCH * 4, &ok);
  napi_valuetype ft;
  napi_typeof(env, a[8], &ft);
  if (!ok || ft != napi_function) return throw_err(env, "EINVAL", "open: buffers too small or onBatch not a function");

  struct sockaddr_storage ss;
  memset(&ss, 0, sizeof ss);
  struct sockaddr_in* s4 = (struct sockaddr_in*)&ss;
  struct sockaddr_in6* s6 = (struct sockaddr_in6*)&ss;
  socklen_t sl;
  int fam;
  if (inet_pton(AF_INET, host, &s4->sin_addr) == 1) { fam = AF_INET; s4->sin_family = AF_INET; s4->sin_port = htons((uint16_t)port); sl = sizeof *s4; }
  else if (inet_pton(AF_INET6, host, &s6->sin6_addr) == 1) { fam = AF_INET6; s6->sin6_family = AF_INET6; s6->sin6_port = htons((uint16_t)port); sl = sizeof *s6; }
  else return throw_err(env, "EINVAL", "open: host must be an IP address");
  int fd = socket(fam, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return throw_err(env, "ESOCKET", strerror(errno));
  int one = 1;
  if (reuse && setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one) < 0) { int e = errno; close(fd); return throw_err(env, "ESOCKOPT", strerror(e)); }
  if (bind(fd, (struct sockaddr*)&ss, sl) < 0) {
    int e = errno;
    close(fd);
    return throw_err(env, e == EADDRINUSE ? "EADDRINUSE" : e == EACCES ? "EACCES" : "EBIND", strerror(e));
  }

  sock_t* s = calloc(1, sizeof *s);
  if (!s) { close(fd); return throw_err(env, "ENOMEM", "out of memory"); }
  s->env = env;
  s->fd = fd;
  s->in = in; s->inlen = inlen; s->addr = addr; s->out = out; s->outlen = outlen;
  napi_value keep, name, resource;
  napi_create_array_with_length(env, 5, &keep);
  for (uint32_t i = 0; i < 5; i++) napi_set_element(env, keep, i, a[3 + i]);
  napi_create_reference(env, keep, 1, &s->bufs);
  napi_create_reference(env, a[8], 1, &s->cb);
  napi_create_object(env, &resource);
  napi_create_string_utf8(env, "kubedisco:udp-batch", NAPI_AUTO_LENGTH, &name);
  napi_async_init(env, resource, name, &s->actx);
  uv_loop_t* loop;
  if (napi_get_uv_event_loop(env, &loop) != napi_ok || uv_poll_init(loop, &s->poll, fd) != 0) {
    napi_delete_reference(env, s->cb);
    napi_delete_reference(env, s->bufs);
    napi_async_destroy(env, s->actx);
    close(fd);
    free(s);
    return throw_err(env, "EPOLL", "open: cannot poll the socket");
  }
  s->poll.data = s;
  if (uv_poll_start(&s->poll, UV_READABLE, on_poll) != 0) {
    // The handle exists now: release it through libuv (on_close frees the references).
    s->finalized = 1;
    do_close(s);
    return throw_err(env, "EPOLL", "open: cannot poll the socket");
  }
  napi_value ext;
  if (napi_add_async_cleanup_hook(env, async_cleanup, s, &s->hook) == napi_ok) s->hooked = 1;
  napi_create_external(env, s, finalize, NULL, &ext);
  napi_type_tag_object(env, ext, &SOCK_TAG);
  return ext;
}

static sock_t* handle_of(napi_env env, napi_callback_info info, size_t want, napi_value* a) {
  size_t argc = want;
  void* p = NULL;
  napi_valuetype t;
  if (napi_get_cb_info(env, info, &argc, a, NULL, NULL) != napi_ok || argc < want) return NULL;
  bool tagged = false;
  if (napi_typeof(env, a[0], &t) != napi_ok || t != napi_external) return NULL;
  if (napi_check_object_type_tag(env, a[0], &SOCK_TAG, &tagged) != napi_ok || !tagged) return NULL;
  napi_get_value_external(env, a[0], &p);
  return p;
}

// port(handle) → the bound port
static napi_value js_port(napi_env env, napi_callback_info info) {
  napi_value a[1], r;
  sock_t* s = handle_of(env, info, 1, a);
  if (!s || s->closing) return throw_err(env, "EBADF", "port: socket is closed");
  struct sockaddr_storage ss;
  socklen_t sl = sizeof ss;
  if (getsockname(s->fd, (struct sockaddr*)&ss, &sl) < 0) return throw_err(env, "ESOCKNAME", strerror(errno));
  int p = ss.ss_family == AF_INET6 ? ntohs(((struct sockaddr_in6*)&ss)->sin6_port) : ntohs(((struct sockaddr_in*)&ss)->sin_port);
  napi_create_int32(env, p, &r);
  return r;
}

// sendTo(handle, addr (an ADDR-byte slot copied from the batch), data) → bytes sent or -errno.
// For replies that are ready only later (forwarded queries, answers computed on another thread).
static napi_value js_send_to(napi_env env, napi_callback_info info) {
  napi_value a[3], r;
  sock_t* s = handle_of(env, info, 3, a);
  int ok = 1;
  if (!s) return throw_err(env, "EINVAL", "sendTo: bad handle");
  uint8_t* addr = typed(env, a[1], ADDR, &ok);
  bool is;
  napi_is_typedarray(env, a[2], &is);
  if (!ok || !is) return throw_err(env, "EINVAL", "sendTo: addr and data must be typed arrays");
  napi_typedarray_type t;
  size_t len, off;
  void* data;
  napi_value ab;
  napi_get_typedarray_info(env, a[2], &t, &len, &data, &ab, &off);
  ssize_t k = s->closing ? -EBADF : sendto(s->fd, data, len, MSG_DONTWAIT, (struct sockaddr*)addr, addr_len(addr));
  napi_create_int32(env, k < 0 ? (s->closing ? -EBADF : -errno) : (int32_t)k, &r);
  return r;
}

// close(handle): stops polling and closes the socket.
static napi_value js_close(napi_env env, napi_callback_info info) {
  napi_value a[1];
  sock_t* s = handle_of(env, info, 1, a);
  if (s && !s->closing) {
    if (s->hooked) { s->hooked = 0; napi_remove_async_cleanup_hook(s->hook); }
    do_close(s);
  }
  return NULL;
}

NAPI_MODULE_INIT() {
  napi_property_descriptor d[] = {
    { "open", NULL, js_open, NULL, NULL, NULL, napi_enumerable, NULL },
    { "port", NULL, js_port, NULL, NULL, NULL, napi_enumerable, NULL },
    { "sendTo", NULL, js_send_to, NULL, NULL, NULL, napi_enumerable, NULL },
    { "close", NULL, js_close, NULL, NULL, NULL, napi_enumerable, NULL },
  };
  napi_define_properties(env, exports, 4, d);
  const char* names[] = { "ABI", "BATCH", "SLOT", "ADDR" };
  int values[] = { ABI, BATCH, SLOT, ADDR };
  for (int i = 0; i < 4; i++) {
    napi_value v;
    napi_create_int32(env, values[i], &v);
    napi_set_named_property(env, exports, names[i], v);
  }
  return exports;
}
