/* Message framing shared by the control channel and the task channel. Only bounded, checked parsing. */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <time.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "shim.h"

void msg_init(struct msg *m)
{
	memset(m, 0, sizeof(*m));
}

void msg_free(struct msg *m)
{
	free(m->buf);
	msg_init(m);
}

static void msg_append(struct msg *m, const char *data, size_t n)
{
	if (m->failed)
		return;
	if (m->len + n + 1 > m->cap) {
		size_t cap = m->cap ? m->cap : 4096;
		while (cap < m->len + n + 1)
			cap *= 2;
		char *grown = realloc(m->buf, cap);
		if (grown == NULL) {
			m->failed = 1;
			return;
		}
		m->buf = grown;
		m->cap = cap;
	}
	memcpy(m->buf + m->len, data, n);
	m->len += n;
}

void msg_add(struct msg *m, const char *key, const char *value)
{
	msg_append(m, key, strlen(key));
	msg_append(m, "=", 1);
	msg_append(m, value, strlen(value));
	msg_append(m, "", 1);
}

void msg_add_long(struct msg *m, const char *key, long long value)
{
	char text[32];
	snprintf(text, sizeof(text), "%lld", value);
	msg_add(m, key, text);
}

void msg_add_env(struct msg *m, char **env)
{
	for (size_t i = 0; env != NULL && env[i] != NULL; i++)
		msg_add(m, "env", env[i]);
}

/*
 * Writes everything, never raising SIGPIPE (slurmstepd has threads: the signal's disposition is not ours to swap): a
 * socket is written with MSG_NOSIGNAL, a pipe with SIGPIPE blocked in this thread and a pending one consumed.
 */
static int write_all(int fd, const char *data, size_t n)
{
	sigset_t pipe_signal, previous;
	sigemptyset(&pipe_signal);
	sigaddset(&pipe_signal, SIGPIPE);
	int blocked = 0, rc = 0;
	while (n > 0) {
		ssize_t written = blocked ? write(fd, data, n) : send(fd, data, n, MSG_NOSIGNAL);
		if (written < 0 && !blocked && errno == ENOTSOCK) {
			pthread_sigmask(SIG_BLOCK, &pipe_signal, &previous);
			blocked = 1;
			continue;
		}
		if (written < 0) {
			if (errno == EINTR)
				continue;
			rc = -1;
			break;
		}
		data += written;
		n -= (size_t)written;
	}
	if (blocked) {
		int saved = errno;
		struct timespec now = { 0, 0 };
		sigset_t pending;
		if (sigpending(&pending) == 0 && sigismember(&pending, SIGPIPE))
			sigtimedwait(&pipe_signal, NULL, &now);
		pthread_sigmask(SIG_SETMASK, &previous, NULL);
		errno = saved;
	}
	return rc;
}

int msg_send(int fd, const struct msg *m)
{
	if (m->failed) {
		errno = ENOMEM;
		return -1;
	}
	if (write_all(fd, m->buf ? m->buf : "", m->len) < 0)
		return -1;
	return write_all(fd, "", 1);
}

void reader_init(struct reader *r, int fd)
{
	memset(r, 0, sizeof(*r));
	r->fd = fd;
}

void reader_free(struct reader *r)
{
	free(r->buf);
	r->buf = NULL;
	r->len = r->start = r->cap = 0;
}

/*
 * Offset just past the frame's terminating empty field, or 0 if the held bytes hold no complete frame yet. Scanning
 * resumes where it stopped, so a large frame read in many pieces costs one pass, not one per piece.
 */
static size_t frame_end(struct reader *r)
{
	if (r->scanned == 0)
		r->field_start = r->start;
	for (size_t i = r->start + r->scanned; i < r->len; i++) {
		if (r->buf[i] != '\0')
			continue;
		if (i == r->field_start) {
			r->scanned = 0;
			return i + 1;
		}
		r->field_start = i + 1;
	}
	r->scanned = r->len - r->start;
	return 0;
}

int frame_read(struct reader *r, struct frame *f)
{
	return frame_read_within(r, f, -1);
}

int frame_read_within(struct reader *r, struct frame *f, int timeout_ms)
{
	memset(f, 0, sizeof(*f));
	size_t end;
	while ((end = frame_end(r)) == 0) {
		if (r->start > 0) {
			memmove(r->buf, r->buf + r->start, r->len - r->start);
			r->len -= r->start;
			r->field_start -= r->start;
			r->start = 0;
		}
		if (r->len >= FRAME_MAX) {
			errno = EMSGSIZE;
			return -1;
		}
		if (r->len == r->cap) {
			size_t cap = r->cap ? r->cap * 2 : 8192;
			char *grown = realloc(r->buf, cap);
			if (grown == NULL)
				return -1;
			r->buf = grown;
			r->cap = cap;
		}
		if (timeout_ms >= 0) {
			struct pollfd readable = { .fd = r->fd, .events = POLLIN };
			int ready = poll(&readable, 1, timeout_ms);
			if (ready < 0 && errno == EINTR)
				continue;
			if (ready == 0) {
				errno = ETIMEDOUT;
				return -1;
			}
			if (ready < 0)
				return -1;
		}
		ssize_t n = read(r->fd, r->buf + r->len, r->cap - r->len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == 0)
				errno = EPIPE;
			return -1;
		}
		r->len += (size_t)n;
	}
	size_t size = end - r->start;
	f->storage = malloc(size);
	if (f->storage == NULL)
		return -1;
	memcpy(f->storage, r->buf + r->start, size);
	r->start = end;
	for (size_t i = 0; i + 1 < size; i++)
		if (f->storage[i] == '\0')
			f->count++;
	f->fields = calloc(f->count + 1, sizeof(char *));
	if (f->fields == NULL) {
		frame_free(f);
		return -1;
	}
	size_t field = 0;
	for (size_t i = 0; i + 1 < size; i += strlen(f->storage + i) + 1) {
		if (strchr(f->storage + i, '=') == NULL) {
			frame_free(f);
			errno = EBADMSG;
			return -1;
		}
		f->fields[field++] = f->storage + i;
	}
	return 0;
}

int frame_await(struct reader *r, struct frame *f, int timeout_ms)
{
	for (;;) {
		if (frame_read_within(r, f, timeout_ms) < 0)
			return -1;
		const char *kind = f->count > 0 ? field_value(f, 0, "msg") : NULL;
		if (kind == NULL || strcmp(kind, "alive") != 0)
			return 0;
		log_frame(f); /* progress the engine reports while it works */
		frame_free(f);
	}
}

void frame_free(struct frame *f)
{
	free(f->fields);
	free(f->storage);
	memset(f, 0, sizeof(*f));
}

const char *field_value(const struct frame *f, size_t i, const char *key)
{
	size_t n = strlen(key);
	if (i >= f->count || strncmp(f->fields[i], key, n) != 0 || f->fields[i][n] != '=')
		return NULL;
	return f->fields[i] + n + 1;
}

const char *frame_get(const struct frame *f, const char *key)
{
	for (size_t i = 0; i < f->count; i++) {
		const char *value = field_value(f, i, key);
		if (value != NULL)
			return value;
	}
	return NULL;
}

/*
 * Logs one line at the engine's level. The text may carry a user's string (a path, an image name): control
 * characters become '?', so no user can start a line of their own in a daemon's log.
 */
void log_line(const char *level, const char *raw)
{
	char text[4096];
	size_t n = 0;
	for (const char *c = raw; *c != '\0' && n < sizeof(text) - 1; c++)
		text[n++] = ((unsigned char)*c < 0x20 && *c != '\t') || *c == 0x7f ? '?' : *c;
	text[n] = '\0';
	if (strcmp(level, "error") == 0)
		slurm_error("%s", text);
	else if (strcmp(level, "info") == 0)
		slurm_info("%s", text);
	else if (strcmp(level, "verbose") == 0)
		slurm_verbose("%s", text);
	else if (strcmp(level, "user") == 0)
		slurm_spank_log("%s", text);
	else
		slurm_debug("%s", text);
}

void log_frame(const struct frame *f)
{
	for (size_t i = 0; i < f->count; i++)
		if (strncmp(f->fields[i], "log.", 4) == 0) {
			char level[16];
			const char *eq = strchr(f->fields[i], '=');
			size_t n = (size_t)(eq - f->fields[i]) - 4;
			if (n >= sizeof(level))
				n = sizeof(level) - 1;
			memcpy(level, f->fields[i] + 4, n);
			level[n] = '\0';
			log_line(level, eq + 1);
		}
}
