/*
 * jpyxis native shim: the small, policy-free C side of the plugin. It registers the options, forwards what Slurm
 * says to the Java engine, and executes the engine's answers (task plans) mechanically. See docs/protocol.md.
 */
#ifndef JPYXIS_SHIM_H
#define JPYXIS_SHIM_H

#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/resource.h>
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
	size_t scanned;     /* bytes from start already searched for the frame's end: each byte is looked at once */
	size_t field_start; /* where the field being scanned began */
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
/* As frame_read, failing with ETIMEDOUT when no byte arrives for timeout_ms (negative: no limit). */
int frame_read_within(struct reader *r, struct frame *f, int timeout_ms);
/*
 * Reads the engine's next frame that is not a keep-alive ("msg=alive", whose log lines are logged): the engine
 * sends one every few seconds while it works, so timeout_ms bounds its silence, not its work.
 */
int frame_await(struct reader *r, struct frame *f, int timeout_ms);
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
	pid_t pid;          /* also its process group: the engine and every command it runs */
	int timeout_ms;     /* engine_timeout: the longest the engine may stay silent */
	char why[320];      /* why engine_start failed, for the caller's message */
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
 * plugstack_ac/av: the plugin's arguments (for java= and jvm_options=). On failure, e->why says why.
 */
int engine_start(struct engine *e, const char *mode, const struct identity *who, int ac, char **av);
/*
 * As engine_start, in the mount namespace `mount_ns` (an open namespace file, or -1 for the caller's): the child joins
 * it while still root, before it becomes `who`.
 */
int engine_start_in(struct engine *e, const char *mode, const struct identity *who, int mount_ns, int ac, char **av);
/*
 * Opens the job container's mount namespace the engine named (docs/lifecycle.md#the-tasks-world): only a mount
 * namespace file of root's whose path ends in /<job>/.ns, as Slurm's job_container/tmpfs keeps it, is accepted.
 * Returns the descriptor (close-on-exec), or -1 with the reason in `why`.
 */
int job_namespace_open(const char *path, unsigned long job, char *why, size_t why_size);
/*
 * Sends a request and reads the answer frame; a silent engine is killed after its timeout (errno ETIMEDOUT). When the
 * call fails the engine is killed and reaped at once (pid -1 after).
 */
int engine_call(struct engine *e, const struct msg *request, struct frame *answer);
/*
 * One request to an engine started for it, started again (up to `attempts` in all) when it ends without answering
 * (killed: it runs as the user). 0 with the answer (to be freed); -1 with `why` saying what failed after `prefix`
 * (empty when the engine was killed for its silence, which engine_call logged).
 */
int engine_ask(const char *mode, const struct identity *who, int ac, char **av, const struct msg *request,
	       struct frame *answer, int attempts, const char *prefix, char *why, size_t why_size);
/* Kills the engine's whole process group and says why, naming the timeout. */
void engine_kill_silent(pid_t engine, int timeout_ms);
/* Closes the channel and reaps the engine (killing it if it does not exit in time). */
void engine_stop(struct engine *e);
/* The node's name as the plugin's messages give it: its host name, or "this node". */
void node_name(char *node, size_t size);
/* Logs a failure of a step's engine as the user sees it: "pyxis: WHAT on NODE: WHY", then where to look. */
void engine_failure(const char *what, const char *why);

/* Where the engine keeps its answer to this submit request, in the user's cache: 0, or -1 when there is no place. */
int verdict_path(const struct msg *request, char *out, size_t size);
/* The answer kept at path: 0 with the frame (to be freed), -1 when there is none usable. */
int verdict_replay(const char *path, struct frame *answer);

/*
 * <dir> as a private directory of uid (0700, the user's), made as root when missing; an existing one must already be
 * that (no link, the user's, writable by nobody else). 0, or -1 (logged).
 */
int private_directory(const char *dir, uid_t uid, gid_t gid);

/*
 * execve takes arguments and environment up to a quarter of the caller's stack limit: with slurmd's usual 8 MiB, a
 * command given a job's environment of more than 2 MiB fails with E2BIG. The stack limit under which a command takes
 * as much as the protocol carries (FRAME_MAX), within the hard limit: read here, set in the child before execve (the
 * engine, the container's first process).
 */
void exec_stack_limit(struct rlimit *limit);
/* <dir> made by root (0755) when missing; an existing one must be a directory. 0, or -1 (logged, naming key). */
int root_directory(const char *dir, const char *key);
/*
 * <parent>/<uid> as a private directory of uid (as private_directory), made only when the parent is a directory of
 * parent_owner's (root's) that nobody else may write to. 0, or -1 (logged).
 */
int private_directory_in(const char *parent, uid_t parent_owner, uid_t uid, gid_t gid);

/*
 * After the job epilog: the job's epilog trace in <runtime_path>/<uid>, when no engine took it away (none answered),
 * becomes its ended trace, so the user's next container step on the node removes what the job left
 * (docs/lifecycle.md#faults). 1 when it did, 0 when there was no trace, -1 (errno) when it could not.
 */
int epilog_trace_ended(const char *runtime_path, unsigned long uid, unsigned long job);

/* The value of the last "key=..." plugstack argument, or NULL. */
const char *plugstack_value(int ac, char **av, const char *key);

/* ---- the step engine in its step's cgroup v1 directories (cgroups.c) ---- */

/* Bounds on what the shim reads of /proc/<pid>/cgroup and /proc/self/mountinfo. */
#define CGROUP_TEXT_MAX 8192
#define MOUNTINFO_MAX (4 * 1024 * 1024) /* about 40000 mounts */
/* Bound on the cgroup v1 hierarchies a node has (the kernel has 14 controllers, and named hierarchies). */
#define CGROUP_HIERARCHIES_MAX 16

struct cgroup_move {
	char controllers[64]; /* the hierarchy's, as /proc/<pid>/cgroup names them, for messages */
	char into[PATH_MAX];  /* cgroup.procs of the step's directory */
	char back[PATH_MAX];  /* cgroup.procs of where the engine was started */
};

/*
 * Where the engine of step `step` of `job` goes in each cgroup v1 hierarchy but the freezer, from slurmstepd's
 * /proc/self/cgroup when it started the engine (`started`) and now (`now`, at user_init) and its mount table: the
 * step's directory of Slurm's layout, below the job's directory slurmstepd is in or the step's own. Pure: the caller
 * keeps the moves whose step directory exists. Returns how many were written (0 when no hierarchy has Slurm's).
 */
int step_cgroup_moves(const char *started, const char *now, const char *mountinfo, unsigned long job,
		      const char *step, struct cgroup_move *moves, int max);
/* The step's name in its cgroup directory (step_<name>): its number, or batch, extern, interactive. */
void step_name(uint32_t step, char *out, size_t size);
/* A /proc file read whole into out; -1 when it cannot be read or does not fit. */
int cgroup_text(const char *file, char *out, size_t size);
/*
 * Writes pid into each cgroup.procs file, in a child that takes back root where slurmstepd dropped it, opening no link
 * and writing only to a cgroup file system. 0, or -1 with errno and the index of the file that failed in *failed (-1
 * when none did: root could not be taken back).
 */
int cgroup_move_all(pid_t pid, const char *const files[], int count, int *failed);

/* ---- task plans ---- */

/* Executes plan segments received on `fd` until the plan ends. Returns 0, or -1 if the task must fail. */
int plan_run(spank_t sp, int fd, struct reader *r, pid_t engine, int timeout_ms);

/* ---- seccomp filter faking success for identity changes ---- */
int seccomp_install(void);

#endif
