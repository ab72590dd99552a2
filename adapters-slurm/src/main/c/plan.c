/*
 * Executes task plans: the engine's answers to a task, as a list of operations. Every decision was made by the
 * engine; this file only performs system calls and reports their outcome. See TaskOperation in the domain.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <net/if.h>
#include <linux/nsfs.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/mount.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "shim.h"

#define MAX_NAMESPACES 8
#define MAX_START_LOG (64 * 1024)

static int fail_errno(const char *what)
{
	slurm_error("%s: %s", what, strerror(errno));
	return -1;
}

/* Collects the repeated values of `key` starting at field i, as a NULL-terminated array (pointers into f). */
static char **collect(const struct frame *f, size_t *i, const char *key)
{
	size_t n = 0;
	while (field_value(f, *i + n, key) != NULL)
		n++;
	char **values = calloc(n + 1, sizeof(char *));
	if (values == NULL)
		return NULL;
	for (size_t k = 0; k < n; k++)
		values[k] = (char *)field_value(f, *i + k, key);
	*i += n;
	return values;
}

static int nstype(const char *kind);

/* /proc/<pid>/ns/<kind>; "user@<kind>" is the user namespace owning that one (NS_GET_USERNS). */
static int open_namespace(pid_t pid, const char *kind)
{
	char path[64];
	int owner = strncmp(kind, "user@", 5) == 0;
	snprintf(path, sizeof(path), "/proc/%d/ns/%s", (int)pid, owner ? kind + 5 : kind);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || !owner)
		return fd;
	int up = ioctl(fd, NS_GET_USERNS);
	int saved = errno;
	close(fd);
	errno = saved;
	return up;
}

#define X(name) { #name, MS_##name },
static const struct { const char *name; unsigned long flag; } mount_flags[] = { JPYXIS_MOUNT_FLAGS };
#undef X

/*
 * The setup steps a start operation does in the container, fields [from, end), in any order: joins (in_ns,
 * in_open_fail, in_join_fail), loopback (lo_up), mounts (mnt_src, mnt_dst, mnt_type, mnt_flag..., mnt_data, mnt_keep,
 * mnt_fail) and detaches (umnt_dst, umnt_fail). Returns the end, or 0 when the fields are malformed.
 */
static size_t inside_end(const struct frame *f, size_t i)
{
	for (;;) {
		if (field_value(f, i, "in_ns") != NULL) {
			if (nstype(field_value(f, i, "in_ns")) < 0 || field_value(f, i + 1, "in_open_fail") == NULL
			    || field_value(f, i + 2, "in_join_fail") == NULL)
				return 0;
			i += 3;
		} else if (field_value(f, i, "lo_up") != NULL) {
			i++;
		} else if (field_value(f, i, "mnt_src") != NULL) {
			if (field_value(f, i + 1, "mnt_dst") == NULL || field_value(f, i + 2, "mnt_type") == NULL)
				return 0;
			i += 3;
			for (; field_value(f, i, "mnt_flag") != NULL; i++) {
				size_t k = 0;
				while (k < sizeof(mount_flags) / sizeof(mount_flags[0])
				       && strcmp(mount_flags[k].name, field_value(f, i, "mnt_flag")) != 0)
					k++;
				if (k == sizeof(mount_flags) / sizeof(mount_flags[0]))
					return 0;
			}
			if (field_value(f, i, "mnt_data") == NULL || field_value(f, i + 1, "mnt_keep") == NULL
			    || field_value(f, i + 2, "mnt_fail") == NULL)
				return 0;
			i += 3;
		} else if (field_value(f, i, "umnt_dst") != NULL) {
			if (field_value(f, i + 1, "umnt_fail") == NULL)
				return 0;
			i += 2;
		} else {
			return i;
		}
	}
}

static unsigned long mount_flag(const char *name)
{
	for (size_t k = 0; k < sizeof(mount_flags) / sizeof(mount_flags[0]); k++)
		if (strcmp(mount_flags[k].name, name) == 0)
			return mount_flags[k].flag;
	return 0;
}

/* The flags a mount has now, as mount(2) flags: what a remount in a user namespace must keep. */
static unsigned long current_flags(const char *target)
{
	static const struct { unsigned long st; unsigned long ms; } map[] = {
		{ ST_NOSUID, MS_NOSUID }, { ST_NODEV, MS_NODEV }, { ST_NOEXEC, MS_NOEXEC }, { ST_RDONLY, MS_RDONLY },
		{ ST_NOATIME, MS_NOATIME }, { ST_NODIRATIME, MS_NODIRATIME }, { ST_RELATIME, MS_RELATIME },
	};
	struct statvfs st;
	unsigned long flags = 0;
	if (statvfs(target, &st) == 0)
		for (size_t k = 0; k < sizeof(map) / sizeof(map[0]); k++)
			if (st.f_flag & map[k].st)
				flags |= map[k].ms;
	return flags;
}

static const char *or_null(const char *value)
{
	return *value == '\0' ? NULL : value;
}

static int loopback_up(void)
{
	struct ifreq ifr;
	memset(&ifr, 0, sizeof(ifr));
	strncpy(ifr.ifr_name, "lo", IFNAMSIZ - 1);
	int sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	int rc = -1;
	if (sock >= 0 && ioctl(sock, SIOCGIFFLAGS, &ifr) == 0) {
		ifr.ifr_flags |= IFF_UP;
		rc = ioctl(sock, SIOCSIFFLAGS, &ifr);
	}
	int saved = errno;
	if (sock >= 0)
		close(sock);
	errno = saved;
	return rc;
}

/* In a child of the task: does the setup steps in the container `pid`, in order. Writes a failure to `out`. */
static void inside_child(pid_t pid, const struct frame *f, size_t i, size_t end, int out)
{
	char why[1024];
	const char *failure = NULL;
	while (failure == NULL && i < end) {
		if (field_value(f, i, "in_ns") != NULL) {
			int fd = open_namespace(pid, field_value(f, i, "in_ns"));
			if (fd < 0) {
				failure = field_value(f, i + 1, "in_open_fail");
			} else {
				if (setns(fd, nstype(field_value(f, i, "in_ns"))) < 0)
					failure = field_value(f, i + 2, "in_join_fail");
				int saved = errno;
				close(fd);
				errno = saved;
			}
			i += 3;
		} else if (field_value(f, i, "lo_up") != NULL) {
			if (loopback_up() < 0)
				failure = field_value(f, i, "lo_up");
			i++;
		} else if (field_value(f, i, "mnt_src") != NULL) {
			const char *src = field_value(f, i, "mnt_src"), *dst = field_value(f, i + 1, "mnt_dst");
			const char *type = field_value(f, i + 2, "mnt_type");
			unsigned long flags = 0;
			for (i += 3; field_value(f, i, "mnt_flag") != NULL; i++)
				flags |= mount_flag(field_value(f, i, "mnt_flag"));
			const char *data = field_value(f, i, "mnt_data");
			if (strcmp(field_value(f, i + 1, "mnt_keep"), "1") == 0)
				flags |= current_flags(dst);
			if (mount(or_null(src), dst, or_null(type), flags, or_null(data)) < 0)
				failure = field_value(f, i + 2, "mnt_fail");
			i += 3;
		} else {
			if (umount2(field_value(f, i, "umnt_dst"), MNT_DETACH) < 0)
				failure = field_value(f, i + 1, "umnt_fail");
			i += 2;
		}
	}
	if (failure == NULL)
		_exit(0);
	int n = snprintf(why, sizeof(why), "%s: %s", failure, strerror(errno));
	if (n > 0)
		(void)!write(out, why, (size_t)n < sizeof(why) ? (size_t)n : sizeof(why) - 1);
	_exit(1);
}

/*
 * Does the start operation's setup steps in the stopped container `pid`, from a child process: the task itself joins
 * the container later, and a user namespace cannot be joined twice. 0, or -1 with the reason in `why`.
 */
static int inside_mounts(pid_t pid, const struct frame *f, size_t from, size_t end, char *why, size_t size)
{
	int fds[2];
	if (pipe2(fds, O_CLOEXEC) < 0) {
		snprintf(why, size, "pyxis: couldn't set the container up: %s", strerror(errno));
		return -1;
	}
	pid_t child = fork();
	if (child == 0) {
		close(fds[0]);
		inside_child(pid, f, from, end, fds[1]);
	}
	int saved = errno;
	close(fds[1]);
	if (child < 0) {
		close(fds[0]);
		snprintf(why, size, "pyxis: couldn't set the container up: %s", strerror(saved));
		return -1;
	}
	ssize_t n, got = 0;
	while ((size_t)got < size - 1 && ((n = read(fds[0], why + got, size - 1 - (size_t)got)) > 0 || (n < 0 && errno == EINTR)))
		got += n > 0 ? n : 0;
	why[got] = '\0';
	close(fds[0]);
	int status;
	while (waitpid(child, &status, 0) < 0 && errno == EINTR)
		;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	if (got == 0)
		snprintf(why, size, "pyxis: couldn't set the container up: the process doing it ended with status %d",
			 status);
	return -1;
}

/*
 * Starts the container's first process and waits until it stops itself or ends; then does the setup steps in it, if
 * any; reports to the engine.
 */
static int op_start(const struct frame *f, size_t *i, struct msg *report)
{
	char **argv = collect(f, i, "argv");
	char **envp = collect(f, i, "env");
	size_t inside_from = *i, inside_to = inside_end(f, *i);
	if (argv == NULL || envp == NULL || argv[0] == NULL || inside_to == 0) {
		free(argv);
		free(envp);
		slurm_error("pyxis: malformed start operation from the engine");
		return -1;
	}
	*i = inside_to;
	int log = (int)syscall(SYS_memfd_create, "jpyxis-start-log", MFD_CLOEXEC);
	long open_max = sysconf(_SC_OPEN_MAX); /* for kernels without close_range (before 5.9): read before fork */
	int max_fd = open_max > 0 && open_max < 1048576 ? (int)open_max : 1048576;
	struct rlimit stack;
	exec_stack_limit(&stack);
	pid_t pid = fork();
	if (pid == 0) {
		int devnull = open("/dev/null", O_RDONLY);
		if (devnull < 0 || dup2(devnull, 0) < 0)
			_exit(126);
		int out = log >= 0 ? log : open("/dev/null", O_WRONLY);
		if (out < 0 || dup2(out, 1) < 0 || dup2(out, 2) < 0)
			_exit(126);
		int oom = open("/proc/self/oom_score_adj", O_WRONLY);
		if (oom >= 0) {
			(void)!write(oom, "0", 1);
			close(oom);
		}
		if (syscall(SYS_close_range, 3U, ~0U, 0U) < 0) {
			if (errno != ENOSYS)
				_exit(126);
			for (int fd = 3; fd < max_fd; fd++)
				close(fd);
		}
		/* the task's environment (a job's of several MiB) must not fail the start with E2BIG */
		if (stack.rlim_cur != RLIM_INFINITY)
			(void)setrlimit(RLIMIT_STACK, &stack);
		execve(argv[0], argv, envp);
		/* the task is single-threaded: its child may format; the log is the start's stderr */
		dprintf(2, "pyxis: couldn't execute %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	int saved = errno;
	free(argv);
	free(envp);
	msg_add(report, "checkpoint", "started");
	if (pid < 0) {
		msg_add(report, "outcome", "not_started");
		msg_add(report, "reason", strerror(saved));
	} else {
		int status;
		pid_t waited;
		while ((waited = waitpid(pid, &status, WUNTRACED)) < 0 && errno == EINTR)
			;
		if (waited < 0) {
			msg_add(report, "outcome", "wait_failed");
			msg_add(report, "reason", strerror(errno));
		} else if (WIFSTOPPED(status)) {
			char why[1024];
			if (inside_to > inside_from && inside_mounts(pid, f, inside_from, inside_to, why, sizeof(why)) < 0) {
				msg_add(report, "outcome", "unprepared");
				msg_add(report, "reason", why);
			} else {
				msg_add(report, "outcome", "stopped");
			}
			msg_add_long(report, "pid", pid);
		} else if (WIFEXITED(status)) {
			msg_add(report, "outcome", "exited");
			msg_add_long(report, "code", WEXITSTATUS(status));
		} else {
			msg_add(report, "outcome", "killed");
			msg_add_long(report, "signal", WTERMSIG(status));
		}
	}
	if (log >= 0) {
		char *text = malloc(MAX_START_LOG + 1);
		ssize_t n = text ? pread(log, text, MAX_START_LOG, 0) : -1;
		if (n > 0) {
			text[n] = '\0';
			for (char *save = NULL, *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
				msg_add(report, "log", line);
		}
		free(text);
		close(log);
	}
	return 0;
}

/* A pid the engine names: digits only, above 1 (never 0, -1 or init, which kill(2) and /proc treat specially). */
static pid_t engine_pid(const char *text)
{
	if (text == NULL || *text == '\0' || strlen(text) > 10 || strspn(text, "0123456789") != strlen(text))
		return -1;
	long pid = strtol(text, NULL, 10);
	return pid > 1 && pid <= INT_MAX ? (pid_t)pid : -1;
}

static int nstype(const char *kind)
{
	static const struct { const char *name; int type; } kinds[] = {
		{ "user@ipc", CLONE_NEWUSER }, { "user@uts", CLONE_NEWUSER }, { "user@net", CLONE_NEWUSER },
		{ "user", CLONE_NEWUSER }, { "cgroup", CLONE_NEWCGROUP }, { "mnt", CLONE_NEWNS },
		{ "ipc", CLONE_NEWIPC }, { "uts", CLONE_NEWUTS }, { "net", CLONE_NEWNET },
	};
	for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++)
		if (strcmp(kinds[k].name, kind) == 0)
			return kinds[k].type;
	return -1;
}

/* Opens every namespace first (so a vanishing process cannot leave us half-joined), then joins in order. */
static int op_join(const struct frame *f, size_t *i)
{
	pid_t pid = engine_pid(field_value(f, *i, "pid"));
	if (pid < 0)
		return slurm_error("pyxis: malformed join operation from the engine"), -1;
	(*i)++;
	int fds[MAX_NAMESPACES];
	const char *join_failures[MAX_NAMESPACES];
	int types[MAX_NAMESPACES];
	int count = 0, rc = 0;
	while (field_value(f, *i, "ns") != NULL && count < MAX_NAMESPACES) {
		const char *kind = field_value(f, *i, "ns");
		const char *open_failure = field_value(f, *i + 1, "open_fail");
		const char *join_failure = field_value(f, *i + 2, "join_fail");
		if (open_failure == NULL || join_failure == NULL || nstype(kind) < 0) {
			slurm_error("pyxis: malformed join operation from the engine");
			rc = -1;
			break;
		}
		*i += 3;
		int fd = open_namespace(pid, kind);
		if (fd < 0) {
			rc = fail_errno(open_failure);
			break;
		}
		fds[count] = fd;
		types[count] = nstype(kind);
		join_failures[count] = join_failure;
		count++;
	}
	for (int k = 0; k < count; k++) {
		if (rc == 0 && setns(fds[k], types[k]) < 0)
			rc = fail_errno(join_failures[k]);
		close(fds[k]);
	}
	return rc;
}

static int send_report(int fd, struct msg *report)
{
	int rc = msg_send(fd, report);
	msg_free(report);
	msg_init(report);
	msg_add(report, "msg", "report");
	return rc;
}

/* Executes one frame (plan segment). Returns 1 if a report was sent and another segment follows, 0 when done. */
static int run_segment(spank_t sp, int fd, const struct frame *f)
{
	struct msg report;
	msg_init(&report);
	msg_add(&report, "msg", "report");
	int rc = 0;
	size_t i = 1; /* field 0 is msg=plan */
	while (rc == 0 && i < f->count) {
		const char *op = field_value(f, i, "op");
		if (op == NULL) {
			slurm_error("pyxis: malformed plan from the engine");
			rc = -1;
			break;
		}
		i++;
		if (strcmp(op, "log") == 0) {
			const char *level = field_value(f, i, "level"), *text = field_value(f, i + 1, "text");
			if (level == NULL || text == NULL)
				rc = -1;
			else
				log_line(level, text);
			i += 2;
		} else if (strcmp(op, "start") == 0) {
			rc = op_start(f, &i, &report);
		} else if (strcmp(op, "join") == 0) {
			rc = op_join(f, &i);
		} else if (strcmp(op, "chdir") == 0) {
			const char *path = field_value(f, i, "path"), *failure = field_value(f, i + 1, "fail");
			i += 2;
			if (path == NULL || failure == NULL)
				rc = -1;
			else if (chdir(path) < 0)
				rc = fail_errno(failure);
		} else if (strcmp(op, "setenv") == 0) {
			const char *name = field_value(f, i, "name"), *value = field_value(f, i + 1, "value");
			i += 2;
			spank_err_t err = name && value ? spank_setenv(sp, name, value, 1) : ESPANK_BAD_ARG;
			if (err != ESPANK_SUCCESS) {
				slurm_error("pyxis: failed to set %s: %s", name ? name : "?", spank_strerror(err));
				rc = -1;
			}
		} else if (strcmp(op, "unsetenv") == 0) {
			const char *name = field_value(f, i, "name");
			i += 1;
			spank_err_t err = name ? spank_unsetenv(sp, name) : ESPANK_BAD_ARG;
			if (err != ESPANK_SUCCESS) {
				slurm_error("pyxis: failed to unset %s: %s", name ? name : "?", spank_strerror(err));
				rc = -1;
			}
		} else if (strcmp(op, "seccomp") == 0) {
			const char *failure = field_value(f, i, "fail");
			i += 1;
			if (failure == NULL || seccomp_install() < 0)
				rc = fail_errno(failure ? failure : "pyxis: seccomp filter failed");
		} else if (strcmp(op, "resume") == 0) {
			pid_t pid = engine_pid(field_value(f, i, "pid"));
			const char *failure = field_value(f, i + 1, "fail");
			i += 2;
			if (pid < 0 || failure == NULL) {
				slurm_error("pyxis: malformed resume operation from the engine");
				rc = -1;
			} else if (kill(pid, SIGCONT) < 0) {
				rc = fail_errno(failure);
			}
		} else if (strcmp(op, "report") == 0) {
			const char *checkpoint = field_value(f, i, "checkpoint");
			i += 1;
			if (checkpoint == NULL) {
				rc = -1;
			} else {
				if (strcmp(checkpoint, "started") != 0) /* start already reported its outcome */
					msg_add(&report, "checkpoint", checkpoint);
				rc = 1;
				if (send_report(fd, &report) < 0) {
					engine_failure("lost the jpyxis engine", strerror(errno));
					rc = -1;
				}
			}
			break;
		} else if (strcmp(op, "fail") == 0) {
			while (field_value(f, i, "line") != NULL)
				slurm_error("%s", field_value(f, i++, "line"));
			rc = -1;
		} else {
			slurm_error("pyxis: unknown plan operation from the engine: %s", op);
			rc = -1;
		}
	}
	msg_free(&report);
	return rc;
}

int plan_run(spank_t sp, int fd, struct reader *r, pid_t engine, int timeout_ms)
{
	for (;;) {
		struct frame f;
		if (frame_await(r, &f, timeout_ms) < 0) {
			if (errno == ETIMEDOUT)
				engine_kill_silent(engine, timeout_ms);
			else
				engine_failure("no answer from the jpyxis engine", strerror(errno));
			return -1;
		}
		const char *kind = f.count > 0 ? field_value(&f, 0, "msg") : NULL;
		if (kind == NULL || strcmp(kind, "plan") != 0) {
			engine_failure("malformed answer from the jpyxis engine", "not a plan");
			frame_free(&f);
			return -1;
		}
		int rc = run_segment(sp, fd, &f);
		frame_free(&f);
		if (rc <= 0)
			return rc;
	}
}
