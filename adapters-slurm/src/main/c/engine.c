/* Starting the Java engine as the job user with a clean environment, and talking to it. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <linux/magic.h>
#include <linux/nsfs.h>
#include <linux/openat2.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <poll.h>
#include <unistd.h>

#include "shim.h"

#define MAX_JVM_OPTIONS 32
#define ENGINE_EXIT_WAIT_MS 10000

const char *plugstack_value(int ac, char **av, const char *key)
{
	size_t n = strlen(key);
	const char *value = NULL;
	for (int i = 0; i < ac; i++)
		if (strncmp(av[i], key, n) == 0 && av[i][n] == '=')
			value = av[i] + n + 1;
	return value;
}

/* The distribution's lib directory: where this shared object lies. */
static int lib_directory(char *out, size_t size)
{
	Dl_info info;
	if (dladdr((void *)lib_directory, &info) == 0 || info.dli_fname == NULL)
		return -1;
	char resolved[PATH_MAX];
	if (realpath(info.dli_fname, resolved) == NULL)
		return -1;
	char *slash = strrchr(resolved, '/');
	if (slash == NULL)
		return -1;
	*slash = '\0';
	if (snprintf(out, size, "%s", resolved) >= (int)size)
		return -1;
	return 0;
}

/* java= of the plugstack line, else the JVM `jpyxis install` chose (lib/jvm.default), else the first java found. */
static int find_java(const char *lib, int ac, char **av, char *out, size_t size)
{
	const char *configured = plugstack_value(ac, av, JPYXIS_KEY_JAVA);
	if (configured != NULL && configured[0] != '\0')
		return snprintf(out, size, "%s", configured) < (int)size ? 0 : -1;
	if (snprintf(out, size, "%s/" JPYXIS_DEFAULT_JVM_LINK, lib) < (int)size && access(out, X_OK) == 0)
		return 0;
	static const char *const dirs[] = { "/usr/local/bin", "/usr/bin", "/bin" };
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		if (snprintf(out, size, "%s/java", dirs[i]) >= (int)size)
			return -1;
		if (access(out, X_OK) == 0)
			return 0;
	}
	errno = ENOENT;
	return -1;
}

/* "@lib/jvm/<real path of java>.args" where `jpyxis install` prepared this JVM, else "@lib/engine.args". */
static void find_arguments(const char *lib, const char *java, char *out, size_t size)
{
	char real[PATH_MAX];
	if (realpath(java, real) != NULL
	    && snprintf(out, size, "@%s/" JPYXIS_JVM_DIRECTORY "%s" JPYXIS_JVM_ARGUMENTS_SUFFIX, lib, real) < (int)size
	    && access(out + 1, R_OK) == 0)
		return;
	snprintf(out, size, "@%s/" JPYXIS_DEFAULT_ARGUMENTS, lib);
}

/* What the child executes, prepared in the parent: between fork and execve only async-signal-safe calls are made. */
struct engine_command {
	char java[PATH_MAX];
	char argfile[2 * PATH_MAX + 32];
	char classpath[PATH_MAX + 16];
	char options[4096];
	char *argv[MAX_JVM_OPTIONS + 8];
	int max_fd; /* the descriptor limit, for closing inherited ones without close_range */
	struct rlimit stack; /* the engine's stack limit, which bounds what its commands' execve takes */
};

void exec_stack_limit(struct rlimit *limit)
{
	if (getrlimit(RLIMIT_STACK, limit) < 0) {
		limit->rlim_cur = limit->rlim_max = RLIM_INFINITY;
		return;
	}
	rlim_t wanted = (rlim_t)4 * FRAME_MAX;
	if (limit->rlim_cur != RLIM_INFINITY && limit->rlim_cur < wanted)
		limit->rlim_cur = limit->rlim_max == RLIM_INFINITY || limit->rlim_max > wanted ? wanted : limit->rlim_max;
}

static int prepare_command(struct engine_command *cmd, const char *mode, int ac, char **av, char *why,
			   size_t why_size)
{
	char lib[PATH_MAX];
	if (lib_directory(lib, sizeof(lib)) < 0) {
		snprintf(why, why_size, "cannot locate the plugin's lib directory");
		return -1;
	}
	if (find_java(lib, ac, av, cmd->java, sizeof(cmd->java)) < 0) {
		snprintf(why, why_size, "cannot find java (set java= in plugstack.conf)");
		return -1;
	}
	find_arguments(lib, cmd->java, cmd->argfile, sizeof(cmd->argfile));
	snprintf(cmd->classpath, sizeof(cmd->classpath), "%s/*", lib);
	/* jvm_options=a,b,c: split on commas into separate arguments (a copy: av belongs to Slurm). */
	const char *configured = plugstack_value(ac, av, JPYXIS_KEY_JVM_OPTIONS);
	if (snprintf(cmd->options, sizeof(cmd->options), "%s", configured ? configured : "") >= (int)sizeof(cmd->options)) {
		snprintf(why, why_size, "jvm_options too long");
		return -1;
	}
	int argc = 0;
	cmd->argv[argc++] = cmd->java;
	for (char *save = NULL, *opt = strtok_r(cmd->options, ",", &save); opt != NULL && argc < MAX_JVM_OPTIONS + 1;
	     opt = strtok_r(NULL, ",", &save))
		cmd->argv[argc++] = opt;
	cmd->argv[argc++] = cmd->argfile;
	cmd->argv[argc++] = "-cp";
	cmd->argv[argc++] = cmd->classpath;
	cmd->argv[argc++] = JPYXIS_ENGINE_MAIN;
	cmd->argv[argc++] = (char *)mode;
	cmd->argv[argc] = NULL;
	long max_fd = sysconf(_SC_OPEN_MAX);
	cmd->max_fd = max_fd > 0 && max_fd < 1048576 ? (int)max_fd : 1048576;
	exec_stack_limit(&cmd->stack);
	return 0;
}

/*
 * Closes every descriptor from `first` on, but `keep`: close_range where the kernel has it (5.9+), else one by one up
 * to the limit the parent read (the child cannot read /proc safely).
 */
static void close_from(int first, int keep, int max_fd)
{
	if ((keep <= first || syscall(SYS_close_range, (unsigned)first, (unsigned)keep - 1, 0U) == 0)
	    && syscall(SYS_close_range, (unsigned)keep + 1, ~0U, 0U) == 0)
		return;
	for (int fd = first; fd < max_fd; fd++)
		if (fd != keep)
			close(fd);
}

/* In the child: tells the parent which step failed and its errno (the status pipe is close-on-exec), and exits. */
static void child_fail(int status_fd, const char *step)
{
	char text[256];
	size_t n = 0;
	int code = errno;
	char digits[12];
	int d = 0;
	do {
		digits[d++] = (char)('0' + code % 10);
		code /= 10;
	} while (code > 0 && d < (int)sizeof(digits));
	while (d > 0)
		text[n++] = digits[--d];
	text[n++] = ' ';
	for (const char *c = step; *c != '\0' && n < sizeof(text); c++)
		text[n++] = *c;
	(void)!write(status_fd, text, n);
	_exit(127);
}

/* Runs in the forked child: never returns. Async-signal-safe calls only (slurmstepd has threads). */
static void exec_engine(const struct engine_command *cmd, const struct identity *who, int mount_ns, int requests,
			int answers, int status_fd)
{
	/* the task's world: the job container's mount namespace, joined as root, before anything is opened */
	if (mount_ns >= 0 && setns(mount_ns, CLONE_NEWNS) < 0)
		child_fail(status_fd, "cannot join the job's mount namespace");
	/* Move both ends out of the way first: either may already be 3 or 4 (and dup2 onto itself keeps CLOEXEC). */
	int high_requests = fcntl(requests, F_DUPFD, 10), high_answers = fcntl(answers, F_DUPFD, 10);
	if (high_requests < 0 || high_answers < 0 || dup2(high_requests, 3) < 0 || dup2(high_answers, 4) < 0)
		child_fail(status_fd, "cannot set up the channel");
	/* stdin, stdout and stderr go nowhere: the engine, as the user, must not write into slurmd's log */
	int devnull = open("/dev/null", O_RDWR);
	if (devnull < 0 || dup2(devnull, 0) < 0 || dup2(devnull, 1) < 0 || dup2(devnull, 2) < 0)
		child_fail(status_fd, "cannot open /dev/null");
	int high_status = fcntl(status_fd, F_DUPFD_CLOEXEC, 5);
	if (high_status < 0)
		child_fail(status_fd, "cannot keep the status pipe");
	status_fd = high_status;
	/* close everything above 4 but the status pipe, which close-on-exec closes at exec */
	close_from(5, status_fd, cmd->max_fd);
	/*
	 * slurmstepd may be protected from the OOM killer (SLURMSTEPD_OOM_ADJ=-1000): the engine and every command it runs
	 * (imports, creates, removes) must not be, or memory pressure kills other users' jobs first. Raising the value
	 * needs no privilege; it is done before they are dropped all the same.
	 */
	int oom = open("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC);
	if (oom < 0 || write(oom, "0", 1) != 1)
		child_fail(status_fd, "cannot reset oom_score_adj");
	close(oom);
	if (who != NULL) {
		/* The engine reopens its channel through /proc/self/fd: the pipes must belong to the user it becomes. */
		if (fchown(3, who->uid, who->gid) < 0 || fchown(4, who->uid, who->gid) < 0)
			child_fail(status_fd, "cannot hand the channel to the job user");
		if (setgroups((size_t)who->ngids, who->gids) < 0 || setresgid(who->gid, who->gid, who->gid) < 0
		    || setresuid(who->uid, who->uid, who->uid) < 0)
			child_fail(status_fd, "cannot become the job user");
		if (who->uid != 0 && setuid(0) == 0)
			child_fail(status_fd, "privileges could be regained"); /* they must be gone for good */
	}
	if (cmd->stack.rlim_cur != RLIM_INFINITY && setrlimit(RLIMIT_STACK, &cmd->stack) < 0)
		child_fail(status_fd, "cannot set the stack limit");
	if (chdir("/") < 0)
		child_fail(status_fd, "cannot change to /");
	/* its own process group: a silent engine is killed with every command it runs */
	if (setpgid(0, 0) < 0)
		child_fail(status_fd, "cannot make a process group");
	static char *const envp[] = { "PATH=/usr/local/bin:/usr/bin:/bin", "LC_ALL=C.UTF-8", NULL };
	execve(cmd->java, cmd->argv, envp);
	child_fail(status_fd, cmd->java);
}

/* engine_timeout= of the plugstack line, in milliseconds; the engine checks the key's grammar, the shim only reads it. */
static int engine_timeout_ms(int ac, char **av)
{
	const char *configured = plugstack_value(ac, av, JPYXIS_KEY_ENGINE_TIMEOUT);
	char *end = NULL;
	long seconds = configured ? strtol(configured, &end, 10) : 0;
	if (configured == NULL || end == configured || *end != '\0' || seconds < 1 || seconds > 86400) /* the engine refuses a bad value; keep going */
		seconds = JPYXIS_DEFAULT_ENGINE_TIMEOUT;
	return (int)(seconds * 1000);
}

int engine_start(struct engine *e, const char *mode, const struct identity *who, int ac, char **av)
{
	return engine_start_in(e, mode, who, -1, ac, av);
}

int job_namespace_open(const char *path, unsigned long job, char *why, size_t why_size)
{
	char suffix[32];
	int n = snprintf(suffix, sizeof(suffix), "/%lu/.ns", job);
	size_t length = strlen(path);
	if (path[0] != '/' || n <= 0 || length <= (size_t)n || strcmp(path + length - n, suffix) != 0) {
		snprintf(why, why_size, "not the namespace of job %lu", job);
		return -1;
	}
	/*
	 * No link anywhere on the way: the path comes from the user's engine, and a link to another job's directory would
	 * otherwise lead to that job's namespace. Kernels before 5.6 lack openat2: the resolved path must be the path.
	 */
	struct open_how how = { .flags = O_RDONLY | O_CLOEXEC, .resolve = RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS };
	int fd = (int)syscall(SYS_openat2, AT_FDCWD, path, &how, sizeof(how));
	if (fd < 0 && errno == ENOSYS) {
		char resolved[PATH_MAX];
		if (realpath(path, resolved) == NULL || strcmp(resolved, path) != 0)
			errno = ELOOP;
		else
			fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	}
	if (fd < 0) {
		snprintf(why, why_size, "%s", strerror(errno));
		return -1;
	}
	struct stat st;
	struct statfs fs;
	if (fstat(fd, &st) < 0 || fstatfs(fd, &fs) < 0) {
		snprintf(why, why_size, "%s", strerror(errno));
	} else if (st.st_uid != 0 || fs.f_type != NSFS_MAGIC || ioctl(fd, NS_GET_NSTYPE) != CLONE_NEWNS) {
		snprintf(why, why_size, "not a mount namespace of root's");
	} else {
		return fd;
	}
	close(fd);
	return -1;
}

int engine_start_in(struct engine *e, const char *mode, const struct identity *who, int mount_ns, int ac, char **av)
{
	int requests[2] = { -1, -1 }, answers[2] = { -1, -1 }, status[2] = { -1, -1 };
	memset(e, 0, sizeof(*e));
	e->pid = -1;
	e->to_engine = e->from_engine = -1;
	static struct engine_command cmd; /* about 12 KiB: not on slurmstepd's stack */
	if (prepare_command(&cmd, mode, ac, av, e->why, sizeof(e->why)) < 0) {
		errno = ENOENT;
		return -1;
	}
	if (pipe2(requests, O_CLOEXEC) < 0 || pipe2(answers, O_CLOEXEC) < 0 || pipe2(status, O_CLOEXEC) < 0) {
		int saved = errno;
		snprintf(e->why, sizeof(e->why), "cannot make its pipes: %s", strerror(saved));
		for (int i = 0; i < 2; i++) {
			if (requests[i] >= 0)
				close(requests[i]);
			if (answers[i] >= 0)
				close(answers[i]);
		}
		errno = saved;
		return -1;
	}
	pid_t pid = fork();
	if (pid == 0)
		exec_engine(&cmd, who, mount_ns, requests[0], answers[1], status[1]);
	int saved = errno;
	close(requests[0]);
	close(answers[1]);
	close(status[1]);
	if (pid < 0) {
		snprintf(e->why, sizeof(e->why), "cannot fork: %s", strerror(saved));
		close(requests[1]);
		close(answers[0]);
		close(status[0]);
		errno = saved;
		return -1;
	}
	/* EOF: exec succeeded. Text: why the child could not exec the engine. */
	char why[256];
	ssize_t n;
	while ((n = read(status[0], why, sizeof(why) - 1)) < 0 && errno == EINTR)
		;
	close(status[0]);
	if (n > 0) {
		why[n] = '\0';
		char *step = NULL;
		long code = strtol(why, &step, 10);
		snprintf(e->why, sizeof(e->why), "%s: %s", step && *step == ' ' ? step + 1 : why, strerror((int)code));
		close(requests[1]);
		close(answers[0]);
		waitpid(pid, NULL, 0);
		errno = ECHILD;
		return -1;
	}
	e->pid = pid;
	e->timeout_ms = engine_timeout_ms(ac, av);
	e->to_engine = requests[1];
	e->from_engine = answers[0];
	reader_init(&e->reader, e->from_engine);
	return 0;
}

/* Waits up to wait_ms for the engine to end; 1 when it ended and was reaped. */
static int reap_within(pid_t pid, int wait_ms)
{
	int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (pidfd >= 0) {
		struct pollfd exited = { .fd = pidfd, .events = POLLIN };
		while (poll(&exited, 1, wait_ms) < 0 && errno == EINTR)
			;
		close(pidfd);
		return waitpid(pid, NULL, WNOHANG) == pid;
	}
	/* kernels before 5.3 have no pidfd_open: look every 20 ms, for as long */
	const struct timespec step = { 0, 20 * 1000 * 1000 };
	for (int waited = 0; waited < wait_ms; waited += 20) {
		if (waitpid(pid, NULL, WNOHANG) == pid)
			return 1;
		nanosleep(&step, NULL);
	}
	return waitpid(pid, NULL, WNOHANG) == pid;
}

/*
 * An engine whose channel failed is of no more use: it and every command of its group are killed and it is reaped
 * now, not at slurm_spank_exit: until then its zombie would stay among the step's processes, which Slurm goes on
 * signalling for seconds before it ends the step.
 */
static void engine_end_now(struct engine *e)
{
	if (e->pid <= 0)
		return;
	siginfo_t info;
	memset(&info, 0, sizeof(info));
	/* while it is this process's unreaped child, its pid (and so its group's id) is no other process's */
	if (waitid(P_PID, (id_t)e->pid, &info, WEXITED | WNOHANG | WNOWAIT) < 0) {
		e->pid = -1;
		return;
	}
	kill(-e->pid, SIGKILL);
	if (!reap_within(e->pid, ENGINE_EXIT_WAIT_MS))
		waitpid(e->pid, NULL, 0);
	e->pid = -1;
}

int engine_call(struct engine *e, const struct msg *request, struct frame *answer)
{
	if (msg_send(e->to_engine, request) == 0 && frame_await(&e->reader, answer, e->timeout_ms) == 0)
		return 0;
	int saved = errno;
	if (saved == ETIMEDOUT)
		engine_kill_silent(e->pid, e->timeout_ms);
	engine_end_now(e);
	errno = saved;
	return -1;
}

int engine_ask(const char *mode, const struct identity *who, int ac, char **av, const struct msg *request,
	       struct frame *answer, int attempts, const char *prefix, char *why, size_t why_size)
{
	for (int attempt = 1;; attempt++) {
		struct engine e;
		why[0] = '\0';
		if (engine_start(&e, mode, who, ac, av) < 0) {
			int saved = errno;
			snprintf(why, why_size, "couldn't start the jpyxis engine: %s", e.why);
			errno = saved;
			return -1;
		}
		int rc = engine_call(&e, request, answer);
		int saved = errno;
		engine_stop(&e);
		if (rc == 0)
			return 0;
		errno = saved;
		if (saved == ETIMEDOUT)
			return -1; /* logged, naming the timeout */
		snprintf(why, why_size, "the jpyxis engine did not answer: %s", strerror(saved));
		/* EPIPE: it ended (was killed) before answering, which its user can do; anything else is not retried */
		if (saved != EPIPE || attempt >= attempts)
			return -1;
		slurm_info("%sthe jpyxis engine ended without answering: starting it again (%d of %d)", prefix,
			   attempt + 1, attempts);
	}
}

void engine_kill_silent(pid_t engine, int timeout_ms)
{
	char what[96];
	snprintf(what, sizeof(what), "the jpyxis engine did not answer within %d s (engine_timeout)", timeout_ms / 1000);
	engine_failure(what, "stopped it and every command it ran");
	if (engine > 0)
		kill(-engine, SIGKILL);
	errno = ETIMEDOUT;
}

void node_name(char *node, size_t size)
{
	if (gethostname(node, size - 1) < 0)
		snprintf(node, size, "this node");
	node[size - 1] = '\0';
}

void engine_failure(const char *what, const char *why)
{
	char node[HOST_NAME_MAX + 1];
	node_name(node, sizeof(node));
	slurm_error("pyxis: %s on %s: %s", what, node, why);
	slurm_error("pyxis: %s%s%s", JPYXIS_ENGINE_LOG_BEFORE, node, JPYXIS_ENGINE_LOG_AFTER);
}

void engine_stop(struct engine *e)
{
	if (e->to_engine >= 0)
		close(e->to_engine);
	if (e->from_engine >= 0) {
		close(e->from_engine);
		reader_free(&e->reader);
	}
	e->to_engine = e->from_engine = -1;
	if (e->pid <= 0)
		return;
	/* The engine exits when its request channel closes; give it time to finish cleaning up, then insist. */
	if (!reap_within(e->pid, ENGINE_EXIT_WAIT_MS) && waitpid(e->pid, NULL, WNOHANG) == 0) {
		kill(-e->pid, SIGKILL);
		waitpid(e->pid, NULL, 0);
	}
	e->pid = -1;
}
