/*
 * jpyxis native shim: the small, policy-free C side of the plugin. It registers the options, forwards what Slurm
 * says to the Java engine, and executes the engine's answers (task plans) mechanically. See docs/protocol.md.
 */
#ifndef JPYXIS_SHIM_H
#define JPYXIS_SHIM_H

#include <stddef.h>
#include <sys/types.h>
#include <slurm/spank.h>

#include "shim_values.gen.h"

/* Bounds on what the shim accepts from the engine: a plan or reply larger than this is malformed. */
#define FRAME_MAX (16 * 1024 * 1024)

/* ---- framing: a message is NUL-terminated "key=value" fields, ended by an empty field. ---- */

struct msg {
	char *buf;
	size_t len;
	size_t cap;
	int failed; /* an allocation failed: the message must not be sent */
};

void msg_init(struct msg *m);
void msg_free(struct msg *m);
void msg_add(struct msg *m, const char *key, const char *value);
void msg_add_long(struct msg *m, const char *key, long long value);
/* Adds every "NAME=value" entry of an environment array as key "env". */
void msg_add_env(struct msg *m, char **env);
int msg_send(int fd, const struct msg *m);

struct reader {
	int fd;
	char *buf;
	size_t len;   /* bytes held */
	size_t start; /* start of the unread part */
	size_t cap;
};

/* A received frame: fields[i] points at "key=value" strings inside the frame's own storage. */
struct frame {
	char *storage;
	char **fields;
	size_t count;
};

void reader_init(struct reader *r, int fd);
void reader_free(struct reader *r);
/* Reads one frame. Returns 0, or -1 on EOF, error or a malformed/oversized frame (errno set). */
int frame_read(struct reader *r, struct frame *f);
void frame_free(struct frame *f);
/* The value of field i if its key is exactly `key`, else NULL. */
const char *field_value(const struct frame *f, size_t i, const char *key);
/* The value of the first field with this key, or NULL. */
const char *frame_get(const struct frame *f, const char *key);

/* ---- logging of engine-provided lines at the level the engine chose ---- */
void log_line(const char *level, const char *text);
/* Logs every "log.<level>=text" field of a frame. */
void log_frame(const struct frame *f);

/* ---- the engine process ---- */

struct engine {
	pid_t pid;
	int to_engine;   /* write end of the request pipe */
	int from_engine; /* read end of the answer pipe */
	struct reader reader;
};

struct identity {
	uid_t uid;
	gid_t gid;
	gid_t *gids;
	int ngids;
};

/*
 * Starts the engine in `mode` as `who` (or as the caller when who is NULL), with a clean environment.
 * plugstack_ac/av: the plugin's arguments (for java= and jvm_options=).
 */
int engine_start(struct engine *e, const char *mode, const struct identity *who, int ac, char **av);
/* Sends a request and reads the answer frame. */
int engine_call(struct engine *e, const struct msg *request, struct frame *answer);
/* Closes the channel and reaps the engine (killing it if it does not exit in time). */
void engine_stop(struct engine *e);

/* Where the engine keeps its answer to this submit request, in the user's cache: 0, or -1 when there is no place. */
int verdict_path(const struct msg *request, char *out, size_t size);
/* The answer kept at path: 0 with the frame (to be freed), -1 when there is none usable. */
int verdict_replay(const char *path, struct frame *answer);

/* <parent>/<uid>, a directory of the user's alone (userdir.c): 0, or -1 with the reason in why. */
int user_dir(const char *parent, uid_t parent_owner, uid_t uid, gid_t gid, char *why, size_t size);

/* The value of the last "key=..." plugstack argument, or NULL. */
const char *plugstack_value(int ac, char **av, const char *key);

/* ---- task plans ---- */

/* Executes plan segments received on `fd` until the plan ends. Returns 0, or -1 if the task must fail. */
int plan_run(spank_t sp, int fd, struct reader *r);

/* ---- seccomp filter faking success for identity changes ---- */
int seccomp_install(void);

#endif
