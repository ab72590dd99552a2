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
#include <sys/syscall.h>
#include <sys/wait.h>
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

static int find_java(int ac, char **av, char *out, size_t size)
{
	const char *configured = plugstack_value(ac, av, JPYXIS_KEY_JAVA);
	if (configured != NULL && configured[0] != '\0')
		return snprintf(out, size, "%s", configured) < (int)size ? 0 : -1;
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

/* In the child: tells the parent which step failed (the status pipe is close-on-exec) and exits. */
static void child_fail(int status_fd, const char *step)
{
	char text[256];
	int n = snprintf(text, sizeof(text), "%s: %s", step, strerror(errno));
	if (n > 0)
		(void)!write(status_fd, text, (size_t)(n < (int)sizeof(text) ? n : (int)sizeof(text) - 1));
	_exit(127);
}

/* Runs in the forked child: never returns. */
static void exec_engine(const char *mode, const struct identity *who, int ac, char **av, int requests, int answers,
			int status_fd)
{
	char lib[PATH_MAX], java[PATH_MAX], argfile[PATH_MAX + 16], classpath[PATH_MAX + 16];
	if (lib_directory(lib, sizeof(lib)) < 0)
		child_fail(status_fd, "cannot locate the plugin's lib directory");
	if (find_java(ac, av, java, sizeof(java)) < 0)
		child_fail(status_fd, "cannot find java (set java= in plugstack.conf)");
	snprintf(argfile, sizeof(argfile), "@%s/engine.args", lib);
	snprintf(classpath, sizeof(classpath), "%s/*", lib);

	/* Move both ends out of the way first: either may already be 3 or 4 (and dup2 onto itself keeps CLOEXEC). */
	int high_requests = fcntl(requests, F_DUPFD, 10), high_answers = fcntl(answers, F_DUPFD, 10);
	if (high_requests < 0 || high_answers < 0 || dup2(high_requests, 3) < 0 || dup2(high_answers, 4) < 0)
		child_fail(status_fd, "cannot set up the channel");
	int devnull = open("/dev/null", O_RDWR);
	if (devnull < 0 || dup2(devnull, 0) < 0 || dup2(devnull, 1) < 0)
		child_fail(status_fd, "cannot open /dev/null");
	int high_status = fcntl(status_fd, F_DUPFD_CLOEXEC, 5);
	if (high_status < 0)
		child_fail(status_fd, "cannot keep the status pipe");
	status_fd = high_status;
	/* close everything above 4 but the status pipe, which close-on-exec closes at exec */
	if (status_fd > 5 && syscall(SYS_close_range, 5U, (unsigned)status_fd - 1, 0U) < 0 && errno != ENOSYS)
		child_fail(status_fd, "cannot close inherited files");
	if (syscall(SYS_close_range, (unsigned)status_fd + 1, ~0U, 0U) < 0 && errno != ENOSYS)
		child_fail(status_fd, "cannot close inherited files");
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
	if (chdir("/") < 0)
		child_fail(status_fd, "cannot change to /");

	/* jvm_options=a,b,c: split on commas into separate arguments (a copy: av belongs to Slurm). */
	char *options = NULL;
	const char *configured = plugstack_value(ac, av, JPYXIS_KEY_JVM_OPTIONS);
	if (configured != NULL)
		options = strdup(configured);
	char *argv[MAX_JVM_OPTIONS + 8];
	int argc = 0;
	argv[argc++] = java;
	for (char *save = NULL, *opt = options ? strtok_r(options, ",", &save) : NULL;
	     opt != NULL && argc < MAX_JVM_OPTIONS + 1; opt = strtok_r(NULL, ",", &save))
		argv[argc++] = opt;
	argv[argc++] = argfile;
	argv[argc++] = "-cp";
	argv[argc++] = classpath;
	argv[argc++] = JPYXIS_ENGINE_MAIN;
	argv[argc++] = (char *)mode;
	argv[argc] = NULL;

	char *envp[] = { "PATH=/usr/local/bin:/usr/bin:/bin", "LC_ALL=C.UTF-8", NULL };
	execve(java, argv, envp);
	child_fail(status_fd, java);
}

int engine_start(struct engine *e, const char *mode, const struct identity *who, int ac, char **av)
{
	int requests[2] = { -1, -1 }, answers[2] = { -1, -1 }, status[2] = { -1, -1 };
	memset(e, 0, sizeof(*e));
	e->pid = -1;
	if (pipe2(requests, O_CLOEXEC) < 0 || pipe2(answers, O_CLOEXEC) < 0 || pipe2(status, O_CLOEXEC) < 0) {
		int saved = errno;
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
		exec_engine(mode, who, ac, av, requests[0], answers[1], status[1]);
	int saved = errno;
	close(requests[0]);
	close(answers[1]);
	close(status[1]);
	if (pid < 0) {
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
		slurm_error("pyxis: couldn't start the jpyxis engine: %s", why);
		close(requests[1]);
		close(answers[0]);
		waitpid(pid, NULL, 0);
		errno = ECHILD;
		return -1;
	}
	e->pid = pid;
	e->to_engine = requests[1];
	e->from_engine = answers[0];
	reader_init(&e->reader, e->from_engine);
	return 0;
}

int engine_call(struct engine *e, const struct msg *request, struct frame *answer)
{
	void (*previous)(int) = signal(SIGPIPE, SIG_IGN);
	int rc = msg_send(e->to_engine, request);
	signal(SIGPIPE, previous);
	if (rc < 0)
		return -1;
	return frame_read(&e->reader, answer);
}

void engine_failure(const char *what, const char *why)
{
	char node[HOST_NAME_MAX + 1] = "this node";
	if (gethostname(node, sizeof(node) - 1) < 0)
		snprintf(node, sizeof(node), "this node");
	node[sizeof(node) - 1] = '\0';
	slurm_error("pyxis: %s on %s: %s", what, node, why);
	slurm_error("pyxis: %s%s%s", JPYXIS_ENGINE_LOG_BEFORE, node, JPYXIS_ENGINE_LOG_AFTER);
}

void engine_stop(struct engine *e)
{
	if (e->pid <= 0)
		return;
	close(e->to_engine);
	close(e->from_engine);
	reader_free(&e->reader);
	/* The engine exits when its request channel closes; give it time to finish cleaning up, then insist. */
	int pidfd = (int)syscall(SYS_pidfd_open, e->pid, 0);
	if (pidfd >= 0) {
		struct pollfd exited = { .fd = pidfd, .events = POLLIN };
		while (poll(&exited, 1, ENGINE_EXIT_WAIT_MS) < 0 && errno == EINTR)
			;
		close(pidfd);
	}
	if (waitpid(e->pid, NULL, WNOHANG) == 0) {
		kill(e->pid, SIGKILL);
		waitpid(e->pid, NULL, 0);
	}
	e->pid = -1;
}
