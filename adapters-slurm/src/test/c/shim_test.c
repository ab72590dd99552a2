/*
 * Tests of the shim's framing and plan interpreter, built with AddressSanitizer and UndefinedBehaviorSanitizer (and
 * run under valgrind by `make valgrind`). Slurm's logging and environment functions are replaced by small stand-ins.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <limits.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <slurm/slurm.h>

#include "shim.h"

static char logged[65536];

static void record(const char *level, const char *format, va_list args)
{
	size_t used = strlen(logged);
	int n = snprintf(logged + used, sizeof(logged) - used, "%s: ", level);
	if (n > 0 && (size_t)n < sizeof(logged) - used)
		vsnprintf(logged + used + n, sizeof(logged) - used - (size_t)n, format, args);
	strncat(logged, "\n", sizeof(logged) - strlen(logged) - 1);
}

#define STAND_IN(fn, level)                   \
	void fn(const char *format, ...)      \
	{                                     \
		va_list args;                 \
		va_start(args, format);       \
		record(level, format, args);  \
		va_end(args);                 \
	}
STAND_IN(slurm_error, "error")
STAND_IN(slurm_info, "info")
STAND_IN(slurm_verbose, "verbose")
STAND_IN(slurm_debug, "debug")
STAND_IN(slurm_spank_log, "user")

spank_err_t spank_setenv(spank_t sp, const char *name, const char *value, int overwrite)
{
	(void)sp;
	return setenv(name, value, overwrite) == 0 ? ESPANK_SUCCESS : ESPANK_ERROR;
}

spank_err_t spank_unsetenv(spank_t sp, const char *name)
{
	(void)sp;
	return unsetenv(name) == 0 ? ESPANK_SUCCESS : ESPANK_ERROR;
}

const char *spank_strerror(spank_err_t err)
{
	return err == ESPANK_SUCCESS ? "Success" : "Generic error";
}

static int failures;
#define CHECK(cond)                                                                   \
	do {                                                                          \
		if (!(cond)) {                                                        \
			fprintf(stderr, "FAILED %s:%d: %s\n", __FILE__, __LINE__, #cond); \
			failures++;                                                   \
		}                                                                     \
	} while (0)

/* Writes raw bytes into one end of a socket pair and returns the other end. */
static int channel_with(const char *bytes, size_t n, int *peer)
{
	int fds[2];
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, fds) < 0)
		abort();
	if (write(fds[1], bytes, n) != (ssize_t)n)
		abort();
	*peer = fds[1];
	return fds[0];
}

static void test_framing(void)
{
	struct msg m;
	msg_init(&m);
	msg_add(&m, "msg", "init");
	msg_add_long(&m, "uid", 5000);
	char *env[] = { "A=1", "B=x=y", NULL };
	msg_add_env(&m, env);
	int fds[2];
	socketpair(AF_UNIX, SOCK_STREAM, 0, fds);
	CHECK(msg_send(fds[1], &m) == 0);
	CHECK(msg_send(fds[1], &m) == 0);
	close(fds[1]);
	struct reader r;
	reader_init(&r, fds[0]);
	for (int round = 0; round < 2; round++) {
		struct frame f;
		CHECK(frame_read(&r, &f) == 0);
		CHECK(f.count == 4);
		CHECK(strcmp(frame_get(&f, "uid"), "5000") == 0);
		CHECK(strcmp(field_value(&f, 3, "env"), "B=x=y") == 0);
		CHECK(field_value(&f, 3, "en") == NULL);
		CHECK(frame_get(&f, "missing") == NULL);
		frame_free(&f);
	}
	struct frame end;
	CHECK(frame_read(&r, &end) < 0 && errno == EPIPE);
	reader_free(&r);
	close(fds[0]);
	msg_free(&m);
}

static void test_malformed_frames(void)
{
	static const struct { const char *bytes; size_t n; } cases[] = {
		{ "msg=x\0novalue\0\0", 16 }, /* a field without '=' */
		{ "msg=x\0y=1", 9 },          /* cut off */
		{ "", 0 },                    /* nothing at all */
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int peer, fd = channel_with(cases[i].bytes, cases[i].n, &peer);
		close(peer);
		struct reader r;
		reader_init(&r, fd);
		struct frame f;
		CHECK(frame_read(&r, &f) < 0);
		reader_free(&r);
		close(fd);
	}
	/* an oversized frame is refused without reading it all */
	int fds[2];
	socketpair(AF_UNIX, SOCK_STREAM, 0, fds);
	pid_t writer = fork();
	if (writer == 0) {
		char chunk[65536];
		memset(chunk, 'a', sizeof(chunk));
		for (size_t sent = 0; sent <= FRAME_MAX; sent += sizeof(chunk))
			if (write(fds[1], chunk, sizeof(chunk)) < 0)
				_exit(0);
		_exit(0);
	}
	close(fds[1]);
	struct reader r;
	reader_init(&r, fds[0]);
	struct frame f;
	CHECK(frame_read(&r, &f) < 0 && errno == EMSGSIZE);
	reader_free(&r);
	close(fds[0]);
	kill(writer, SIGKILL);
	waitpid(writer, NULL, 0);
}

static int run_plan(const char *bytes, size_t n, char *reports, size_t size)
{
	int peer, fd = channel_with(bytes, n, &peer);
	shutdown(peer, SHUT_WR);
	struct reader r;
	reader_init(&r, fd);
	int rc = plan_run(NULL, fd, &r, -1, -1);
	reader_free(&r);
	close(fd);
	ssize_t got = read(peer, reports, size - 1);
	reports[got > 0 ? got : 0] = '\0';
	for (ssize_t i = 0; i < got; i++)
		if (reports[i] == '\0')
			reports[i] = '|';
	close(peer);
	return rc;
}

static void test_plans(void)
{
	char reports[4096];
	logged[0] = '\0';
	static const char plan[] = "msg=plan\0op=log\0level=user\0text=hello\0op=setenv\0name=JPX_T\0value=v\0"
				   "op=unsetenv\0name=JPX_GONE\0op=chdir\0path=/tmp\0fail=pyxis: couldn't chdir\0\0";
	setenv("JPX_GONE", "1", 1);
	CHECK(run_plan(plan, sizeof(plan) - 1, reports, sizeof(reports)) == 0);
	CHECK(strstr(logged, "user: hello") != NULL);
	CHECK(getenv("JPX_T") != NULL && strcmp(getenv("JPX_T"), "v") == 0);
	CHECK(getenv("JPX_GONE") == NULL);
	char cwd[64];
	CHECK(getcwd(cwd, sizeof(cwd)) != NULL && strcmp(cwd, "/tmp") == 0);

	logged[0] = '\0';
	static const char failing[] = "msg=plan\0op=chdir\0path=/nonexistent\0fail=pyxis: couldn't chdir to /nonexistent\0\0";
	CHECK(run_plan(failing, sizeof(failing) - 1, reports, sizeof(reports)) == -1);
	CHECK(strstr(logged, "error: pyxis: couldn't chdir to /nonexistent: No such file or directory") != NULL);

	logged[0] = '\0';
	static const char fail[] = "msg=plan\0op=fail\0line=pyxis: one\0line=pyxis: two\0\0";
	CHECK(run_plan(fail, sizeof(fail) - 1, reports, sizeof(reports)) == -1);
	CHECK(strstr(logged, "error: pyxis: one\nerror: pyxis: two") != NULL);

	static const char unknown[] = "msg=plan\0op=format-disk\0\0";
	CHECK(run_plan(unknown, sizeof(unknown) - 1, reports, sizeof(reports)) == -1);
	static const char no_msg[] = "op=log\0level=user\0text=x\0\0";
	CHECK(run_plan(no_msg, sizeof(no_msg) - 1, reports, sizeof(reports)) == -1);
	static const char truncated[] = "msg=plan\0op=log\0\0";
	CHECK(run_plan(truncated, sizeof(truncated) - 1, reports, sizeof(reports)) == -1);
	static const char bad_join[] = "msg=plan\0op=join\0pid=1\0ns=bogus\0open_fail=x\0join_fail=y\0\0";
	CHECK(run_plan(bad_join, sizeof(bad_join) - 1, reports, sizeof(reports)) == -1);

	/* pids the engine may not name: 0 and -1 (kill(2) would signal groups), init, junk, beyond pid_t */
	static const char *const bad_pids[] = { "0", "-1", "1", "", "12abc", " 42", "99999999999", "4294967298" };
	for (size_t k = 0; k < sizeof(bad_pids) / sizeof(bad_pids[0]); k++) {
		char plan_bytes[128];
		int n = snprintf(plan_bytes, sizeof(plan_bytes), "msg=plan%cop=resume%cpid=%s%cfail=pyxis: x%c%c", 0, 0,
				 bad_pids[k], 0, 0, 0);
		logged[0] = '\0';
		CHECK(run_plan(plan_bytes, (size_t)n, reports, sizeof(reports)) == -1);
		CHECK(strstr(logged, "pyxis: malformed resume operation from the engine") != NULL);
		n = snprintf(plan_bytes, sizeof(plan_bytes), "msg=plan%cop=join%cpid=%s%cns=mnt%copen_fail=x%cjoin_fail=y%c%c",
			     0, 0, bad_pids[k], 0, 0, 0, 0, 0);
		logged[0] = '\0';
		CHECK(run_plan(plan_bytes, (size_t)n, reports, sizeof(reports)) == -1);
		CHECK(strstr(logged, "pyxis: malformed join operation from the engine") != NULL);
	}
}

/* The setup task's start: the process stops itself, its pid and output are reported, a second segment resumes it. */
static void test_start_and_resume(void)
{
	static const char start[] = "msg=plan\0op=start\0argv=/bin/sh\0argv=-c\0argv=echo starting; kill -STOP $$; exit 0\0"
				    "env=PATH=/bin\0op=report\0checkpoint=started\0\0";
	/* the real flow in one process: start, report, then resume in a second segment */
	int chan[2];
	socketpair(AF_UNIX, SOCK_STREAM, 0, chan);
	CHECK(write(chan[1], start, sizeof(start) - 1) == (ssize_t)(sizeof(start) - 1));
	pid_t engine = fork();
	if (engine == 0) {
		/* the "engine": reads the report, answers with a resume of the reported pid */
		struct reader er;
		reader_init(&er, chan[1]);
		struct frame report;
		if (frame_read(&er, &report) < 0 || frame_get(&report, "pid") == NULL)
			_exit(2);
		struct msg next;
		msg_init(&next);
		msg_add(&next, "msg", "plan");
		msg_add(&next, "op", "resume");
		msg_add(&next, "pid", frame_get(&report, "pid"));
		msg_add(&next, "fail", "pyxis: couldn't send SIGCONT to container process");
		int ok = strcmp(frame_get(&report, "outcome"), "stopped") == 0 && frame_get(&report, "log") != NULL
			 && strcmp(frame_get(&report, "log"), "starting") == 0;
		msg_send(chan[1], &next);
		msg_free(&next);
		frame_free(&report);
		reader_free(&er);
		_exit(ok ? 0 : 3);
	}
	struct reader tr;
	reader_init(&tr, chan[0]);
	CHECK(plan_run(NULL, chan[0], &tr, -1, -1) == 0);
	reader_free(&tr);
	int status;
	waitpid(engine, &status, 0);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	/* the resumed first process exits 0 and is reaped as our child */
	pid_t child = wait(&status);
	CHECK(child > 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0);
	close(chan[0]);
	close(chan[1]);
}

/* A start plan whose first process gets user and mount namespaces of its own (as ch-run's does). */
static void start_in_namespaces(struct msg *m)
{
	msg_init(m);
	msg_add(m, "msg", "plan");
	msg_add(m, "op", "start");
	static const char *const argv[] = { "/usr/bin/unshare", "--user", "--map-current-user", "--mount", "/bin/sh",
					    "-c", "kill -STOP $$; exit 0" };
	for (size_t k = 0; k < sizeof(argv) / sizeof(argv[0]); k++)
		msg_add(m, "argv", argv[k]);
	msg_add(m, "env", "PATH=/usr/bin:/bin");
	static const char *const kinds[] = { "user", "mnt" };
	for (size_t k = 0; k < 2; k++) {
		msg_add(m, "in_ns", kinds[k]);
		msg_add(m, "in_open_fail", "pyxis: unable to open namespace file");
		msg_add(m, "in_join_fail", "pyxis: couldn't join namespace");
	}
}

static void add_mount(struct msg *m, const char *src, const char *dst, const char *type, const char *flags,
		      const char *data, const char *keep, const char *failure)
{
	msg_add(m, "mnt_src", src);
	msg_add(m, "mnt_dst", dst);
	msg_add(m, "mnt_type", type);
	char copy[128];
	snprintf(copy, sizeof(copy), "%s", flags);
	for (char *save = NULL, *flag = strtok_r(copy, ",", &save); flag; flag = strtok_r(NULL, ",", &save))
		msg_add(m, "mnt_flag", flag);
	msg_add(m, "mnt_data", data);
	msg_add(m, "mnt_keep", keep);
	msg_add(m, "mnt_fail", failure);
}

/* Runs a start plan; returns the reported pid (the stopped first process) or -1, with the reports. */
static pid_t run_start(struct msg *m, char *reports, size_t size)
{
	msg_add(m, "op", "report");
	msg_add(m, "checkpoint", "started");
	char *bytes = malloc(m->len + 1);
	memcpy(bytes, m->buf, m->len);
	bytes[m->len] = '\0';
	(void)run_plan(bytes, m->len + 1, reports, size); /* the "engine" hangs up after the report */
	free(bytes);
	msg_free(m);
	const char *pid = strstr(reports, "|pid=");
	return pid ? (pid_t)atoi(pid + 5) : -1;
}

/* Whether the stopped process sees a mount at dir with this type and these options (e.g. "ro,nosuid"). */
static int mounted_in(pid_t pid, const char *dir, const char *type, const char *options)
{
	char path[64], line[4096];
	snprintf(path, sizeof(path), "/proc/%d/mountinfo", (int)pid);
	FILE *f = fopen(path, "r");
	int found = 0;
	while (f != NULL && fgets(line, sizeof(line), f) != NULL) {
		char point[1024], opts[256], fstype[64];
		if (sscanf(line, "%*s %*s %*s %*s %1023s %255s", point, opts) != 2 || strcmp(point, dir) != 0)
			continue;
		const char *dash = strstr(line, " - ");
		if (dash == NULL || sscanf(dash, " - %63s", fstype) != 1)
			continue;
		found = strcmp(fstype, type) == 0 && strncmp(opts, options, strlen(options)) == 0;
	}
	if (f != NULL)
		fclose(f);
	return found;
}

static void resume_and_reap(pid_t pid)
{
	if (pid <= 0)
		return;
	kill(pid, SIGCONT);
	int status;
	waitpid(pid, &status, 0);
}

/* Mounts made inside the started container, in its namespaces, before the start is reported. */
static void test_start_with_mounts_inside(void)
{
	char dir[] = "/tmp/jpx-inside-XXXXXX", reports[8192];
	CHECK(mkdtemp(dir) != NULL);
	struct msg m;
	start_in_namespaces(&m);
	add_mount(&m, "tmpfs", dir, "tmpfs", "NOSUID", "size=1m,mode=0755", "0", "pyxis: couldn't mount tmpfs");
	add_mount(&m, "", dir, "", "BIND,REMOUNT,RDONLY", "", "1", "pyxis: couldn't make it read-only");
	add_mount(&m, "", dir, "", "PRIVATE", "", "0", "pyxis: couldn't set propagation");
	pid_t pid = run_start(&m, reports, sizeof(reports));
	CHECK(strstr(reports, "outcome=stopped") != NULL);
	CHECK(pid > 0 && mounted_in(pid, dir, "tmpfs", "ro,nosuid"));
	CHECK(!mounted_in(getpid(), dir, "tmpfs", "")); /* made in the container's namespace only */
	resume_and_reap(pid);

	/* a failing call: the process stays stopped and its pid comes with the reason */
	start_in_namespaces(&m);
	add_mount(&m, "tmpfs", "/jpx-no-such-directory", "tmpfs", "", "", "0",
		  "pyxis: couldn't mount tmpfs on /jpx-no-such-directory");
	msg_add(&m, "umnt_dst", dir);
	msg_add(&m, "umnt_fail", "pyxis: not reached");
	pid = run_start(&m, reports, sizeof(reports));
	CHECK(strstr(reports, "outcome=unprepared|reason=pyxis: couldn't mount tmpfs on /jpx-no-such-directory: "
			      "No such file or directory|pid=") != NULL);
	resume_and_reap(pid);

	/* a detach of a mount the container does not have */
	start_in_namespaces(&m);
	msg_add(&m, "umnt_dst", dir);
	msg_add(&m, "umnt_fail", "pyxis: couldn't unmount it");
	pid = run_start(&m, reports, sizeof(reports));
	CHECK(strstr(reports, "outcome=unprepared|reason=pyxis: couldn't unmount it: Invalid argument") != NULL);
	resume_and_reap(pid);

	/* malformed: an unknown flag, a call without its failure text */
	logged[0] = '\0';
	start_in_namespaces(&m);
	add_mount(&m, "", dir, "", "BIND,FORMAT", "", "0", "x");
	CHECK(run_start(&m, reports, sizeof(reports)) == -1);
	CHECK(strstr(logged, "pyxis: malformed start operation from the engine") != NULL);
	start_in_namespaces(&m);
	msg_add(&m, "umnt_dst", dir);
	CHECK(run_start(&m, reports, sizeof(reports)) == -1);
	CHECK(rmdir(dir) == 0);
}

/* Whether the loopback interface of this process's network namespace is up. */
static int loopback_up_here(void)
{
	struct ifreq ifr;
	memset(&ifr, 0, sizeof(ifr));
	strncpy(ifr.ifr_name, "lo", IFNAMSIZ - 1);
	int sock = socket(AF_INET, SOCK_DGRAM, 0);
	int up = sock >= 0 && ioctl(sock, SIOCGIFFLAGS, &ifr) == 0 && (ifr.ifr_flags & IFF_UP);
	if (sock >= 0)
		close(sock);
	return up;
}

static int same_namespace(pid_t a, pid_t b, const char *kind)
{
	char pa[64], pb[64], la[64] = "", lb[64] = "";
	snprintf(pa, sizeof(pa), "/proc/%d/ns/%s", (int)a, kind);
	snprintf(pb, sizeof(pb), "/proc/%d/ns/%s", (int)b, kind);
	return readlink(pa, la, sizeof(la) - 1) > 0 && readlink(pb, lb, sizeof(lb) - 1) > 0 && strcmp(la, lb) == 0;
}

/*
 * A start that unshares (as jpyxis starts ch-run for --container-unshare: util-linux's unshare makes a user namespace
 * with new network, IPC and UTS namespaces, and the runtime nests user namespaces of its own inside, two with
 * ch-run 0.31, the last with a mount namespace): the setup brings the loopback interface up from the user namespace
 * owning the network namespace; a task then joins the owner, the unshared namespaces, the innermost user namespace
 * and the mount namespace.
 */
static void test_start_unshares_and_tasks_join_through_the_parent(void)
{
	char reports[8192];
	struct msg m;
	msg_init(&m);
	msg_add(&m, "msg", "plan");
	msg_add(&m, "op", "start");
	static const char *const argv[] = { "/usr/bin/unshare", "--user", "--map-current-user", "--net", "--ipc",
					    "--uts", "/usr/bin/unshare", "--user", "--map-current-user",
					    "/usr/bin/unshare", "--user", "--map-current-user", "--mount",
					    "/bin/sh", "-c", "kill -STOP $$; exit 0" };
	for (size_t k = 0; k < sizeof(argv) / sizeof(argv[0]); k++)
		msg_add(&m, "argv", argv[k]);
	msg_add(&m, "env", "PATH=/usr/bin:/bin");
	static const char *const setup[] = { "user@net", "net" };
	for (size_t k = 0; k < 2; k++) {
		msg_add(&m, "in_ns", setup[k]);
		msg_add(&m, "in_open_fail", "pyxis: unable to open namespace file");
		msg_add(&m, "in_join_fail", "pyxis: couldn't join namespace");
	}
	msg_add(&m, "lo_up", "pyxis: --container-unshare=net: couldn't bring up the loopback interface");
	pid_t pid = run_start(&m, reports, sizeof(reports));
	CHECK(strstr(reports, "outcome=stopped") != NULL);
	CHECK(pid > 0 && !same_namespace(pid, getpid(), "net") && !same_namespace(pid, getpid(), "uts")
	      && !same_namespace(pid, getpid(), "ipc") && !same_namespace(pid, getpid(), "user"));
	pid_t task = fork();
	if (task == 0) {
		struct msg join;
		msg_init(&join);
		msg_add(&join, "msg", "plan");
		msg_add(&join, "op", "join");
		msg_add_long(&join, "pid", pid);
		static const char *const kinds[] = { "user@ipc", "ipc", "uts", "net", "user", "mnt" };
		for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
			msg_add(&join, "ns", kinds[k]);
			msg_add(&join, "open_fail", "pyxis: unable to open namespace file");
			msg_add(&join, "join_fail", "pyxis: couldn't join namespace");
		}
		char *bytes = malloc(join.len + 1);
		memcpy(bytes, join.buf, join.len);
		bytes[join.len] = '\0';
		int rc = run_plan(bytes, join.len + 1, reports, sizeof(reports));
		int ok = rc == 0 && loopback_up_here();
		static const char *const same[] = { "user", "mnt", "ipc", "uts", "net" };
		for (size_t k = 0; k < sizeof(same) / sizeof(same[0]); k++)
			ok = ok && same_namespace(pid, getpid(), same[k]);
		if (!ok)
			fprintf(stderr, "join through the parent: rc %d, %s\n", rc, logged);
		free(bytes);
		msg_free(&join);
		_exit(ok ? 0 : 1);
	}
	int status;
	CHECK(task > 0 && waitpid(task, &status, 0) == task && WIFEXITED(status) && WEXITSTATUS(status) == 0);
	resume_and_reap(pid);

	/* the loopback interface of the task's own network namespace is another matter: not ours to bring up */
	start_in_namespaces(&m);
	msg_add(&m, "lo_up", "pyxis: couldn't bring up the loopback interface");
	pid = run_start(&m, reports, sizeof(reports));
	CHECK(getuid() == 0 || strstr(reports, "outcome=unprepared|reason=pyxis: couldn't bring up the loopback interface:"
				       " Operation not permitted") != NULL);
	resume_and_reap(pid);
}

static void test_plugstack_values(void)
{
	char *av[] = { "runtime_path=/a", "java=/usr/bin/java", "runtime_path=/b", "runtime_pathx=/c" };
	CHECK(strcmp(plugstack_value(4, av, "runtime_path"), "/b") == 0);
	CHECK(plugstack_value(4, av, "jvm_options") == NULL);
	CHECK(strcmp(plugstack_value(4, av, "java"), "/usr/bin/java") == 0);
}

static void test_keep_alives(void)
{
	int chan[2];
	CHECK(pipe(chan) == 0);
	static const char frames[] = "msg=alive\0\0msg=alive\0log.user=pyxis: still importing\0\0msg=plan\0op=log\0\0";
	CHECK(write(chan[1], frames, sizeof(frames) - 1) == (ssize_t)(sizeof(frames) - 1));
	struct reader r;
	struct frame f;
	reader_init(&r, chan[0]);
	logged[0] = '\0';
	CHECK(frame_await(&r, &f, 1000) == 0);
	CHECK(strcmp(field_value(&f, 0, "msg"), "plan") == 0);
	CHECK(strstr(logged, "user: pyxis: still importing") != NULL);
	frame_free(&f);
	/* a user's newline never starts a line of its own */
	logged[0] = '\0';
	log_line("error", "pyxis: bad path /a\nslurmd: fake line\x1b[2J");
	CHECK(strstr(logged, "pyxis: bad path /a?slurmd: fake line?[2J") != NULL);
	/* silence past the timeout */
	errno = 0;
	CHECK(frame_await(&r, &f, 50) < 0 && errno == ETIMEDOUT);
	/* a peer that is gone is not a timeout */
	close(chan[1]);
	CHECK(frame_await(&r, &f, 50) < 0 && errno == EPIPE);
	reader_free(&r);
	close(chan[0]);
}

static void write_file(const char *path, const char *data, size_t n, mode_t mode);

/* A frame of 1 MiB arriving in small pieces, then another frame: both read whole (the scan resumes, not restarts). */
static void test_large_frame_in_pieces(void)
{
	int chan[2];
	CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, chan) == 0);
	size_t big = 1 << 20;
	pid_t writer = fork();
	if (writer == 0) {
		close(chan[0]);
		static char piece[997];
		static const char head[] = "msg=plan\0op=log\0text=";
		if (write(chan[1], head, sizeof(head) - 1) != (ssize_t)(sizeof(head) - 1))
			_exit(1);
		memset(piece, 'x', sizeof(piece));
		for (size_t sent = 0; sent < big; sent += sizeof(piece))
			if (write(chan[1], piece, sizeof(piece)) != (ssize_t)sizeof(piece))
				_exit(1);
		static const char tail[] = "\0\0msg=done\0\0";
		if (write(chan[1], tail, sizeof(tail) - 1) != (ssize_t)(sizeof(tail) - 1))
			_exit(1);
		_exit(0);
	}
	close(chan[1]);
	struct reader r;
	struct frame f;
	reader_init(&r, chan[0]);
	CHECK(frame_read(&r, &f) == 0);
	CHECK(f.count == 3 && strlen(field_value(&f, 2, "text")) >= big);
	frame_free(&f);
	CHECK(frame_read(&r, &f) == 0);
	CHECK(strcmp(field_value(&f, 0, "msg"), "done") == 0);
	frame_free(&f);
	reader_free(&r);
	close(chan[0]);
	int status;
	waitpid(writer, &status, 0);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

static void test_private_directories(void)
{
	char parent[] = "/tmp/jpyxis-dirs-test-XXXXXX";
	CHECK(mkdtemp(parent) != NULL);
	char dir[PATH_MAX], link[PATH_MAX];
	snprintf(dir, sizeof(dir), "%s/1000", parent);
	uid_t me = getuid();
	gid_t my_group = getgid();
	CHECK(private_directory(dir, me, my_group) == 0);
	struct stat made;
	CHECK(lstat(dir, &made) == 0 && S_ISDIR(made.st_mode) && (made.st_mode & 0777) == 0700 && made.st_uid == me);
	CHECK(private_directory(dir, me, my_group) == 0); /* an existing one of the user's is fine */
	CHECK(chmod(dir, 0777) == 0);
	logged[0] = '\0';
	CHECK(private_directory(dir, me, my_group) < 0); /* writable by others: refused */
	CHECK(strstr(logged, "is not a private directory") != NULL);
	CHECK(private_directory(dir, me + 1, my_group) < 0); /* another user's: refused */
	rmdir(dir);
	snprintf(link, sizeof(link), "%s/elsewhere", parent);
	CHECK(mkdir(link, 0700) == 0);
	CHECK(symlink(link, dir) == 0);
	CHECK(private_directory(dir, me, my_group) < 0); /* a planted link: refused, never followed */
	CHECK(strstr(logged, "a symbolic link") != NULL);
	unlink(dir);
	rmdir(link);
	CHECK(root_directory(parent, "runtime_path") == 0);
	snprintf(dir, sizeof(dir), "%s/file", parent);
	write_file(dir, "x", 1, 0600);
	logged[0] = '\0';
	CHECK(root_directory(dir, "runtime_path") < 0 && strstr(logged, "change runtime_path") != NULL);
	unlink(dir);
	rmdir(parent);
}

/* The trace of a job whose epilog no engine answered becomes its ended trace; a link is moved, never followed. */
static void test_epilog_trace_ended(void)
{
	char runtime[] = "/tmp/jpyxis-trace-test-XXXXXX";
	CHECK(mkdtemp(runtime) != NULL);
	char user_dir[64], trace[PATH_MAX], ended[PATH_MAX], target[PATH_MAX];
	snprintf(user_dir, sizeof(user_dir), "%s/1000", runtime);
	CHECK(mkdir(user_dir, 0700) == 0);
	snprintf(trace, sizeof(trace), "%s/" JPYXIS_EPILOG_TRACE_PREFIX "77", user_dir);
	snprintf(ended, sizeof(ended), "%s/" JPYXIS_ENDED_TRACE_PREFIX "77", user_dir);
	CHECK(epilog_trace_ended(runtime, 1000, 77) == 0); /* the engine took the trace away: nothing to do */
	write_file(trace, "", 0, 0600);
	CHECK(epilog_trace_ended(runtime, 1000, 77) == 1);
	CHECK(access(trace, F_OK) < 0 && access(ended, F_OK) == 0);
	unlink(ended);
	snprintf(target, sizeof(target), "%s/precious", runtime);
	write_file(target, "x", 1, 0600);
	CHECK(symlink(target, trace) == 0);
	CHECK(epilog_trace_ended(runtime, 1000, 77) == 1);
	struct stat moved;
	CHECK(lstat(ended, &moved) == 0 && S_ISLNK(moved.st_mode));
	CHECK(access(target, F_OK) == 0);
	unlink(ended);
	unlink(target);
	CHECK(epilog_trace_ended(runtime, 1001, 77) == 0); /* no directory of that user */
	rmdir(user_dir);
	rmdir(runtime);
}

static void write_file(const char *path, const char *data, size_t n, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	CHECK(fd >= 0);
	CHECK(write(fd, data, n) == (ssize_t)n);
	close(fd);
	CHECK(chmod(path, mode) == 0);
}

static void test_verdicts(void)
{
	char home[] = "/tmp/jpyxis-shim-test-XXXXXX";
	CHECK(mkdtemp(home) != NULL);
	setenv("HOME", home, 1);
	unsetenv("XDG_CACHE_HOME");
	struct msg a, b;
	msg_init(&a);
	msg_add(&a, "msg", "submit");
	msg_add(&a, "opt.container-image", "ubuntu");
	msg_init(&b);
	msg_add(&b, "msg", "submit");
	msg_add(&b, "opt.container-image", "debian");
	char pa[PATH_MAX], pa2[PATH_MAX], pb[PATH_MAX];
	CHECK(verdict_path(&a, pa, sizeof(pa)) == 0);
	CHECK(verdict_path(&a, pa2, sizeof(pa2)) == 0);
	CHECK(verdict_path(&b, pb, sizeof(pb)) == 0);
	CHECK(strcmp(pa, pa2) == 0);
	CHECK(strcmp(pa, pb) != 0);
	CHECK(strncmp(pa, home, strlen(home)) == 0 && strstr(pa, "/.cache/jpyxis/submit-") != NULL);
	setenv("XDG_CACHE_HOME", "/elsewhere", 1);
	CHECK(verdict_path(&a, pa2, sizeof(pa2)) == 0 && strncmp(pa2, "/elsewhere/jpyxis/submit-", 25) == 0);
	unsetenv("XDG_CACHE_HOME");

	/* a kept answer is replayed; anything else is not */
	struct frame kept;
	CHECK(verdict_replay(pa, &kept) < 0); /* none yet */
	char dir[PATH_MAX];
	snprintf(dir, sizeof(dir), "%s/.cache", home);
	CHECK(mkdir(dir, 0700) == 0);
	snprintf(dir, sizeof(dir), "%s/.cache/jpyxis", home);
	CHECK(mkdir(dir, 0700) == 0);
	static const char answer[] = "msg=submit\0status=ok\0log.user=pyxis: ignoring x\0\0";
	write_file(pa, answer, sizeof(answer) - 1, 0600);
	CHECK(verdict_replay(pa, &kept) == 0);
	CHECK(strcmp(frame_get(&kept, "status"), "ok") == 0);
	frame_free(&kept);
	write_file(pa, answer, sizeof(answer) - 1, 0620); /* writable by the group: not the user's own */
	CHECK(verdict_replay(pa, &kept) < 0);
	static const char other[] = "msg=init\0status=ok\0\0";
	write_file(pa, other, sizeof(other) - 1, 0600); /* not a submit answer */
	CHECK(verdict_replay(pa, &kept) < 0);
	static const char torn[] = "msg=submit\0status=ok"; /* cut short */
	write_file(pa, torn, sizeof(torn) - 1, 0600);
	CHECK(verdict_replay(pa, &kept) < 0);
	write_file(pb, answer, sizeof(answer) - 1, 0600);
	CHECK(unlink(pa) == 0 && symlink(pb, pa) == 0); /* a link is never followed */
	CHECK(verdict_replay(pa, &kept) < 0);
	unsetenv("HOME");
	CHECK(verdict_path(&a, pa2, sizeof(pa2)) < 0);
	unlink(pa);
	unlink(pb);
	rmdir(dir);
	snprintf(dir, sizeof(dir), "%s/.cache", home);
	rmdir(dir);
	rmdir(home);
	msg_free(&a);
	msg_free(&b);
}

/* A failing step engine is reported with the node's name and where its messages are. */
static void test_engine_failure(void)
{
	char node[256] = "", expected[1024];
	logged[0] = '\0';
	CHECK(gethostname(node, sizeof(node) - 1) == 0);
	engine_failure("lost the jpyxis engine", "Broken pipe");
	snprintf(expected, sizeof(expected), "error: pyxis: lost the jpyxis engine on %s: Broken pipe\n"
		 "error: pyxis: the jpyxis engine's messages are in slurmd's log on %s, and in <runtime_path>/<uid>/"
		 "engine.log there when the plugstack line sets engine_debug=1 (see troubleshooting.md in jpyxis's docs)\n",
		 node, node);
	CHECK(strcmp(logged, expected) == 0);
	/* the same name the init request gives the engine for its progress lines */
	char named[256];
	node_name(named, sizeof(named));
	CHECK(strcmp(named, node) == 0);
}

static void test_private_directory_in(void)
{
	char parent[] = "/tmp/jpyxis-cache-dir-test-XXXXXX";
	CHECK(mkdtemp(parent) != NULL);
	CHECK(chmod(parent, 0755) == 0);
	uid_t me = getuid();
	gid_t group = getgid();
	char dir[PATH_MAX + 16];
	snprintf(dir, sizeof(dir), "%s/%u", parent, (unsigned)me);
	/* below a parent of the owner's that only it may write to: <parent>/<uid>, 0700, the user's */
	CHECK(private_directory_in(parent, me, me, group) == 0);
	struct stat st;
	CHECK(lstat(dir, &st) == 0 && S_ISDIR(st.st_mode) && (st.st_mode & 07777) == 0700 && st.st_uid == me);
	CHECK(rmdir(dir) == 0);
	/* refused, nothing made: a parent others may write to, another owner's, a missing one */
	CHECK(chmod(parent, 0777) == 0);
	logged[0] = '\0';
	CHECK(private_directory_in(parent, me, me, group) < 0 && strstr(logged, "only its owner may write") != NULL);
	CHECK(lstat(dir, &st) < 0 && errno == ENOENT);
	CHECK(chmod(parent, 0755) == 0);
	CHECK(private_directory_in(parent, me + 1, me, group) < 0);
	CHECK(lstat(dir, &st) < 0 && errno == ENOENT);
	snprintf(dir, sizeof(dir), "%s/missing", parent);
	CHECK(private_directory_in(dir, me, me, group) < 0);
	CHECK(rmdir(parent) == 0);
}

/*
 * The engine and whatever it runs are not protected from the OOM killer even when slurmstepd is (SLURMSTEPD_OOM_ADJ):
 * a stand-in "java" records its own oom_score_adj and its child's. The test raises its own value (lowering it needs
 * CAP_SYS_RESOURCE): the engine must set 0 whichever way it differs.
 */
static void test_engine_oom_score(void)
{
	int own = open("/proc/self/oom_score_adj", O_RDWR);
	char saved[16] = "";
	ssize_t n = own < 0 ? -1 : read(own, saved, sizeof(saved) - 1);
	if (n <= 0 || lseek(own, 0, SEEK_SET) < 0 || write(own, "500", 3) != 3) {
		fprintf(stderr, "!!! cannot change oom_score_adj here: the engine's reset is NOT TESTED !!!\n");
		if (own >= 0)
			close(own);
		return;
	}
	char dir[] = "/tmp/jpyxis-oom-test-XXXXXX";
	CHECK(mkdtemp(dir) != NULL);
	char java[PATH_MAX], out[PATH_MAX], script[3 * PATH_MAX], key[PATH_MAX + 8];
	snprintf(java, sizeof(java), "%s/java", dir);
	snprintf(out, sizeof(out), "%s/scores", dir);
	snprintf(script, sizeof(script), "#!/bin/sh\ncat /proc/self/oom_score_adj > %s\n"
		 "sh -c 'cat /proc/self/oom_score_adj' >> %s\n", out, out);
	write_file(java, script, strlen(script), 0755);
	snprintf(key, sizeof(key), "java=%s", java);
	char *av[] = { key };
	struct engine e;
	CHECK(engine_start(&e, "step", NULL, 1, av) == 0);
	engine_stop(&e);
	char scores[64] = "";
	int fd = open(out, O_RDONLY);
	CHECK(fd >= 0 && read(fd, scores, sizeof(scores) - 1) > 0);
	if (fd >= 0)
		close(fd);
	CHECK(strcmp(scores, "0\n0\n") == 0);
	unlink(out);
	unlink(java);
	rmdir(dir);
	CHECK(lseek(own, 0, SEEK_SET) == 0 && write(own, saved, (size_t)n) == n);
	close(own);
}

/*
 * A job's environment of several MiB reaches the runtime's commands: the engine runs under a stack limit whose quarter
 * (what execve takes) is FRAME_MAX, whatever slurmstepd's own limit; a stand-in "java" records its limit and its
 * child's. Without the raise, with the test's 8 MiB, both would say 8192.
 */
static void test_engine_stack_limit(void)
{
	struct rlimit saved, small;
	CHECK(getrlimit(RLIMIT_STACK, &saved) == 0);
	small = saved;
	small.rlim_cur = 8 * 1024 * 1024;
	if (saved.rlim_max != RLIM_INFINITY && saved.rlim_max < small.rlim_cur)
		small.rlim_cur = saved.rlim_max;
	CHECK(setrlimit(RLIMIT_STACK, &small) == 0);
	rlim_t expected = saved.rlim_max == RLIM_INFINITY || saved.rlim_max > (rlim_t)4 * FRAME_MAX
				  ? (rlim_t)4 * FRAME_MAX : saved.rlim_max;
	char dir[] = "/tmp/jpyxis-stack-test-XXXXXX";
	CHECK(mkdtemp(dir) != NULL);
	char java[PATH_MAX], out[PATH_MAX], script[3 * PATH_MAX], key[PATH_MAX + 8];
	snprintf(java, sizeof(java), "%s/java", dir);
	snprintf(out, sizeof(out), "%s/limits", dir);
	snprintf(script, sizeof(script), "#!/bin/sh\nulimit -s > %s\nsh -c 'ulimit -s' >> %s\n", out, out);
	write_file(java, script, strlen(script), 0755);
	snprintf(key, sizeof(key), "java=%s", java);
	char *av[] = { key };
	struct engine e;
	CHECK(engine_start(&e, "step", NULL, 1, av) == 0);
	engine_stop(&e);
	char limits[64] = "", wanted[64];
	int fd = open(out, O_RDONLY);
	CHECK(fd >= 0 && read(fd, limits, sizeof(limits) - 1) > 0);
	if (fd >= 0)
		close(fd);
	snprintf(wanted, sizeof(wanted), "%lu\n%lu\n", (unsigned long)(expected / 1024), (unsigned long)(expected / 1024));
	CHECK(strcmp(limits, wanted) == 0);
	unlink(out);
	unlink(java);
	rmdir(dir);
	CHECK(setrlimit(RLIMIT_STACK, &saved) == 0);
}

/*
 * The container's first process starts with the task's environment, 3 MiB here (25 variables of 126 KiB), though the
 * task runs under an 8 MiB stack limit (execve would take 2 MiB): the start raises the limit for it. Before, the
 * execve failed with E2BIG and the start ended with status 127 and no word why.
 */
static void test_start_with_a_3_mib_environment(void)
{
	struct rlimit saved, small;
	CHECK(getrlimit(RLIMIT_STACK, &saved) == 0);
	small = saved;
	small.rlim_cur = 8 * 1024 * 1024;
	if (saved.rlim_max != RLIM_INFINITY && saved.rlim_max < (rlim_t)4 * FRAME_MAX) {
		fprintf(stderr, "!!! the hard stack limit is below 64 MiB: the large start environment is NOT TESTED !!!\n");
		return;
	}
	CHECK(setrlimit(RLIMIT_STACK, &small) == 0);
	struct msg m;
	msg_init(&m);
	msg_add(&m, "msg", "plan");
	msg_add(&m, "op", "start");
	msg_add(&m, "argv", "/bin/sh");
	msg_add(&m, "argv", "-c");
	msg_add(&m, "argv", "kill -STOP $$; exit 0");
	msg_add(&m, "env", "PATH=/bin:/usr/bin");
	size_t length = 129024;
	char *variable = malloc(length + 16);
	CHECK(variable != NULL);
	for (int k = 1; k <= 25; k++) {
		int n = snprintf(variable, 16, "BIG_%d=", k);
		memset(variable + n, 'x', length);
		variable[n + (int)length] = '\0';
		msg_add(&m, "env", variable);
	}
	free(variable);
	msg_add(&m, "op", "report");
	msg_add(&m, "checkpoint", "started");
	/* larger than a socket's buffer: a writer of its own sends the plan and hands back the report */
	int chan[2], back[2];
	CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, chan) == 0 && pipe(back) == 0);
	pid_t writer = fork();
	if (writer == 0) {
		close(chan[0]);
		close(back[0]);
		size_t sent = 0;
		ssize_t w;
		while (sent < m.len && (w = write(chan[1], m.buf + sent, m.len - sent)) > 0)
			sent += (size_t)w;
		(void)!write(chan[1], "", 1); /* the empty field that ends the message */
		shutdown(chan[1], SHUT_WR);
		char answer[4096];
		ssize_t got;
		while ((got = read(chan[1], answer, sizeof(answer))) > 0)
			(void)!write(back[1], answer, (size_t)got);
		_exit(0);
	}
	close(back[1]);
	struct reader r;
	reader_init(&r, chan[0]);
	(void)plan_run(NULL, chan[0], &r, -1, -1);
	reader_free(&r);
	close(chan[0]);
	close(chan[1]);
	char reports[4096] = "";
	ssize_t got = 0, n;
	while ((size_t)got < sizeof(reports) - 1 && (n = read(back[0], reports + got, sizeof(reports) - 1 - (size_t)got)) > 0)
		got += n;
	close(back[0]);
	reports[got] = '\0';
	for (ssize_t k = 0; k < got; k++)
		if (reports[k] == '\0')
			reports[k] = '|';
	int status;
	waitpid(writer, &status, 0);
	msg_free(&m);
	const char *reported = strstr(reports, "|pid=");
	pid_t pid = reported ? (pid_t)atoi(reported + 5) : -1;
	CHECK(setrlimit(RLIMIT_STACK, &saved) == 0);
	CHECK(pid > 0);
	if (pid <= 0) {
		fprintf(stderr, "reports: %s logged: %s\n", reports, logged);
		return;
	}
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
}

/*
 * Random bytes from the engine (a broken or hostile peer) under the sanitizers: every frame read either succeeds, with
 * every field a NUL-terminated key=value inside the frame, or fails; nothing is read out of bounds or leaked. Seeded.
 */
static void test_random_frames(void)
{
	unsigned int seed = 20261202;
	static const char alphabet[] = { '\0', '\0', '=', '=', 'a', 'b', 'm', 's', 'g', '\n', (char)0xff };
	for (int round = 0; round < 3000; round++) {
		char bytes[256];
		size_t n = (size_t)(rand_r(&seed) % (int)sizeof(bytes));
		for (size_t i = 0; i < n; i++)
			bytes[i] = rand_r(&seed) % 4 == 0 ? (char)(rand_r(&seed) & 0xff)
							   : alphabet[rand_r(&seed) % (int)sizeof(alphabet)];
		int peer, fd = channel_with(bytes, n, &peer);
		close(peer);
		struct reader r;
		reader_init(&r, fd);
		struct frame f;
		int frames = 0;
		while (frames < 300 && frame_read(&r, &f) == 0) {
			const char *value = frame_get(&f, "msg");
			CHECK(value == NULL || strlen(value) < n);
			frame_free(&f);
			frames++;
		}
		reader_free(&r);
		close(fd);
	}
}

/* In a child of the test: makes one system call fail with ENOSYS, as on a kernel without it. 0, or -1 (no seccomp). */
static int without_syscall(long nr)
{
	struct sock_filter filter[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (unsigned int)nr, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog program = { .len = sizeof(filter) / sizeof(filter[0]), .filter = filter };
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 || prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &program) < 0)
		return -1;
	return 0;
}

/*
 * On kernels without close_range (before 5.9) the container's first process still inherits no descriptor above 2:
 * a child of the test makes close_range fail with ENOSYS (seccomp), keeps fd 9 open, and starts a process that lists
 * its descriptors.
 */
static void test_start_without_close_range(void)
{
	pid_t child = fork();
	if (child == 0) {
		if (without_syscall(SYS_close_range) < 0)
			_exit(2);
		if (syscall(SYS_close_range, 3U, ~0U, 0U) == 0 || errno != ENOSYS)
			_exit(3);
		if (dup2(open("/dev/null", O_RDONLY), 9) != 9)
			_exit(4);
		static const char start[] = "msg=plan\0op=start\0argv=/bin/sh\0argv=-c\0"
					    "argv=for f in /proc/self/fd/*; do echo \"fd ${f##*/}\"; done\0env=PATH=/bin\0"
					    "op=report\0checkpoint=started\0\0";
		char reports[4096];
		run_plan(start, sizeof(start) - 1, reports, sizeof(reports));
		_exit(strstr(reports, "log=fd 2|") == NULL ? 5 : strstr(reports, "log=fd 9|") != NULL ? 6 : 0);
	}
	int status;
	CHECK(waitpid(child, &status, 0) == child);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 2) {
		fprintf(stderr, "!!! seccomp unavailable here: the start without close_range is NOT TESTED !!!\n");
		return;
	}
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		fprintf(stderr, "start without close_range: child status %d\n", WEXITSTATUS(status));
}

/*
 * On kernels without pidfd_open (before 5.3) the engine still gets its time to finish after its channel closes (its
 * cleanup: removing the step's container): a stand-in "java" that needs half a second to finish is not killed.
 */
static void test_engine_stop_without_pidfd(void)
{
	char dir[] = "/tmp/jpyxis-stop-test-XXXXXX";
	CHECK(mkdtemp(dir) != NULL);
	char java[PATH_MAX], out[PATH_MAX], script[3 * PATH_MAX], key[PATH_MAX + 8];
	snprintf(java, sizeof(java), "%s/java", dir);
	snprintf(out, sizeof(out), "%s/finished", dir);
	snprintf(script, sizeof(script), "#!/bin/sh\ncat <&3 >/dev/null\nsleep 0.5\necho cleaned-up > %s\n", out);
	write_file(java, script, strlen(script), 0755);
	snprintf(key, sizeof(key), "java=%s", java);
	pid_t child = fork();
	if (child == 0) {
		if (without_syscall(SYS_pidfd_open) < 0)
			_exit(2);
		char *av[] = { key };
		struct engine e;
		if (engine_start(&e, "step", NULL, 1, av) < 0)
			_exit(3);
		engine_stop(&e);
		_exit(access(out, F_OK) == 0 ? 0 : 4);
	}
	int status;
	CHECK(waitpid(child, &status, 0) == child);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 2)
		fprintf(stderr, "!!! seccomp unavailable here: the engine's stop without pidfd_open is NOT TESTED !!!\n");
	else
		CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	unlink(out);
	unlink(java);
	rmdir(dir);
}

static volatile sig_atomic_t interruptions;

static void count_interruption(int sig)
{
	(void)sig;
	interruptions++;
}

/*
 * A signal with a handler (and no SA_RESTART) interrupts the start's wait: the wait goes on until the first process
 * stops, where pyxis fails with "container start error: Interrupted system call" (docs/pyxis-compatibility.md,
 * "Deliberate differences").
 */
static void test_start_wait_survives_an_interrupting_signal(void)
{
	static const char start[] = "msg=plan\0op=start\0argv=/bin/sh\0argv=-c\0"
				    "argv=kill -USR1 $PPID; sleep 0.3; kill -STOP $$; exit 0\0"
				    "env=PATH=/bin:/usr/bin\0op=report\0checkpoint=started\0\0";
	struct sigaction sa = { 0 }, old;
	sa.sa_handler = count_interruption;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0;
	sigaction(SIGUSR1, &sa, &old);
	interruptions = 0;
	int chan[2];
	socketpair(AF_UNIX, SOCK_STREAM, 0, chan);
	CHECK(write(chan[1], start, sizeof(start) - 1) == (ssize_t)(sizeof(start) - 1));
	pid_t engine = fork();
	if (engine == 0) {
		struct reader er;
		reader_init(&er, chan[1]);
		struct frame report;
		if (frame_read(&er, &report) < 0 || frame_get(&report, "outcome") == NULL)
			_exit(2);
		int stopped = strcmp(frame_get(&report, "outcome"), "stopped") == 0;
		if (stopped) {
			struct msg next;
			msg_init(&next);
			msg_add(&next, "msg", "plan");
			msg_add(&next, "op", "resume");
			msg_add(&next, "pid", frame_get(&report, "pid"));
			msg_add(&next, "fail", "pyxis: couldn't send SIGCONT to container process");
			msg_send(chan[1], &next);
			msg_free(&next);
		} else {
			fprintf(stderr, "start outcome: %s (%s)\n", frame_get(&report, "outcome"),
				frame_get(&report, "reason") ? frame_get(&report, "reason") : "");
		}
		frame_free(&report);
		reader_free(&er);
		_exit(stopped ? 0 : 3);
	}
	close(chan[1]); /* the engine's end: a failed start is not followed by another segment, the plan ends */
	struct reader tr;
	reader_init(&tr, chan[0]);
	plan_run(NULL, chan[0], &tr, -1, -1);
	reader_free(&tr);
	int status;
	waitpid(engine, &status, 0);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	CHECK(interruptions == 1);
	/* the first process: resumed and ended, or (when the wait gave up) still stopped */
	pid_t child;
	while ((child = waitpid(-1, &status, WUNTRACED)) > 0)
		if (WIFSTOPPED(status))
			kill(child, SIGKILL);
	sigaction(SIGUSR1, &old, NULL);
	close(chan[0]);
}

/*
 * An engine that ends before it answers (its user killed it) is started again, up to the attempts asked for: here it
 * is killed twice, then answers; with two attempts, the second kill is the answer's failure.
 */
static void ask_with_engines_killed_twice(int attempts, int *rc, int *starts, char *why, size_t why_size)
{
	char dir[] = "/tmp/jpyxis-ask-test-XXXXXX";
	CHECK(mkdtemp(dir) != NULL);
	char java[PATH_MAX], count[PATH_MAX], script[4 * PATH_MAX], key[PATH_MAX + 8];
	snprintf(java, sizeof(java), "%s/java", dir);
	snprintf(count, sizeof(count), "%s/starts", dir);
	snprintf(script, sizeof(script),
		 "#!/bin/sh\nn=$(cat %s 2>/dev/null || echo 0); n=$((n + 1)); echo $n > %s\n"
		 "head -c 1 <&3 >/dev/null\n[ $n -ge 3 ] || kill -KILL $$\n"
		 "printf 'msg=epilog\\000status=ok\\000\\000' >&4\nsleep 1\n",
		 count, count);
	write_file(java, script, strlen(script), 0755);
	snprintf(key, sizeof(key), "java=%s", java);
	char *av[] = { key };
	struct msg request;
	msg_init(&request);
	msg_add(&request, "msg", "epilog");
	struct frame answer;
	logged[0] = '\0';
	*rc = engine_ask("epilog", NULL, 1, av, &request, &answer, attempts, "pyxis: epilog: ", why, why_size);
	if (*rc == 0) {
		CHECK(frame_get(&answer, "status") != NULL && strcmp(frame_get(&answer, "status"), "ok") == 0);
		frame_free(&answer);
	}
	msg_free(&request);
	char text[16] = "";
	int fd = open(count, O_RDONLY);
	*starts = fd >= 0 && read(fd, text, sizeof(text) - 1) > 0 ? atoi(text) : 0;
	if (fd >= 0)
		close(fd);
	unlink(count);
	unlink(java);
	rmdir(dir);
}

static void test_engine_killed_before_answering_is_started_again(void)
{
	int rc, starts;
	char why[400];
	ask_with_engines_killed_twice(3, &rc, &starts, why, sizeof(why));
	CHECK(rc == 0);
	CHECK(starts == 3);
	CHECK(strstr(logged, "info: pyxis: epilog: the jpyxis engine ended without answering: starting it again (2 of 3)")
	      != NULL);
	CHECK(strstr(logged, "(3 of 3)") != NULL);
	ask_with_engines_killed_twice(2, &rc, &starts, why, sizeof(why));
	CHECK(rc == -1);
	CHECK(starts == 2);
	CHECK(strcmp(why, "the jpyxis engine did not answer: Broken pipe") == 0);
}

/* An engine whose channel fails is reaped by the failing call: no zombie stays among the step's processes. */
static void test_engine_gone_is_reaped_at_once(void)
{
	char dir[] = "/tmp/jpyxis-reap-test-XXXXXX";
	CHECK(mkdtemp(dir) != NULL);
	char java[PATH_MAX], script[PATH_MAX], key[PATH_MAX + 8];
	snprintf(java, sizeof(java), "%s/java", dir);
	snprintf(script, sizeof(script), "#!/bin/sh\nhead -c 1 <&3 >/dev/null\nkill -KILL $$\n");
	write_file(java, script, strlen(script), 0755);
	snprintf(key, sizeof(key), "java=%s", java);
	char *av[] = { key };
	struct engine e;
	CHECK(engine_start(&e, "step", NULL, 1, av) == 0);
	pid_t pid = e.pid;
	struct msg request;
	msg_init(&request);
	msg_add(&request, "msg", "user_init");
	struct frame answer;
	logged[0] = '\0';
	CHECK(engine_call(&e, &request, &answer) == -1 && errno == EPIPE);
	CHECK(e.pid == -1);
	CHECK(waitpid(pid, NULL, WNOHANG) == -1 && errno == ECHILD);
	msg_free(&request);
	engine_stop(&e);
	unlink(java);
	rmdir(dir);
}

/*
 * job_container/tmpfs keeps each job's mount namespace on <BasePath>/<job>/.ns: only such a file, a mount namespace of
 * root's for this very job, is joined, and the engine started with it runs inside that namespace.
 */
static void test_engine_in_the_jobs_mount_namespace(void)
{
	char why[128];
	CHECK(job_namespace_open("/var/spool/jc/77/.nsx", 77, why, sizeof(why)) < 0);
	CHECK(job_namespace_open("/var/spool/jc/177/.ns", 77, why, sizeof(why)) < 0);
	CHECK(strstr(why, "not the namespace of job 77") != NULL);
	CHECK(job_namespace_open("77/.ns", 77, why, sizeof(why)) < 0);
	char dir[] = "/tmp/jpyxis-jobns-test-XXXXXX";
	CHECK(mkdtemp(dir) != NULL);
	char job_dir[64], holder[80], out[80], java[80], key[96];
	char script[160];
	snprintf(job_dir, sizeof(job_dir), "%s/77", dir);
	snprintf(holder, sizeof(holder), "%s/.ns", job_dir);
	snprintf(out, sizeof(out), "%s/engine-ns", dir);
	snprintf(java, sizeof(java), "%s/java", dir);
	CHECK(mkdir(job_dir, 0700) == 0);
	write_file(holder, "", 0, 0600);
	CHECK(job_namespace_open(holder, 77, why, sizeof(why)) < 0); /* a plain file */
	CHECK(strstr(why, "not a mount namespace") != NULL);
	/* a job's namespace: a child in a mount namespace of its own, held by a bind mount as Slurm does */
	int ready[2];
	CHECK(pipe(ready) == 0);
	pid_t job = fork();
	if (job == 0) {
		char c = unshare(CLONE_NEWNS) == 0 ? 'y' : 'n';
		(void)!write(ready[1], &c, 1);
		pause();
		_exit(0);
	}
	char c = 'n';
	CHECK(read(ready[0], &c, 1) == 1);
	close(ready[0]);
	close(ready[1]);
	char job_ns[PATH_MAX];
	snprintf(job_ns, sizeof(job_ns), "/proc/%d/ns/mnt", (int)job);
	if (c != 'y' || mount(job_ns, holder, NULL, MS_BIND, NULL) < 0) {
		fprintf(stderr, "!!! no mount namespace or bind mount here (not root?): joining one is NOT TESTED !!!\n");
	} else {
		int fd = job_namespace_open(holder, 77, why, sizeof(why));
		CHECK(fd >= 0);
		/* reached through a link (to another job's directory, say): refused */
		char link_dir[80], through_link[96];
		snprintf(link_dir, sizeof(link_dir), "%s/via", dir);
		CHECK(mkdir(link_dir, 0700) == 0);
		snprintf(through_link, sizeof(through_link), "%s/77", link_dir);
		CHECK(symlink(job_dir, through_link) == 0);
		snprintf(through_link, sizeof(through_link), "%s/77/.ns", link_dir);
		CHECK(job_namespace_open(through_link, 77, why, sizeof(why)) < 0);
		snprintf(through_link, sizeof(through_link), "%s/77", link_dir);
		unlink(through_link);
		rmdir(link_dir);
		snprintf(script, sizeof(script), "#!/bin/sh\nreadlink /proc/self/ns/mnt > %s\n", out);
		write_file(java, script, strlen(script), 0755);
		snprintf(key, sizeof(key), "java=%s", java);
		char *av[] = { key };
		struct engine e;
		CHECK(engine_start_in(&e, "step", NULL, fd, 1, av) == 0);
		engine_stop(&e);
		close(fd);
		char expected[128] = "", seen[128] = "";
		CHECK(readlink(job_ns, expected, sizeof(expected) - 1) > 0);
		int in = open(out, O_RDONLY);
		CHECK(in >= 0 && read(in, seen, sizeof(seen) - 1) > 0);
		if (in >= 0)
			close(in);
		seen[strcspn(seen, "\n")] = '\0';
		CHECK(strcmp(seen, expected) == 0);
		char own[128] = "";
		CHECK(readlink("/proc/self/ns/mnt", own, sizeof(own) - 1) > 0 && strcmp(own, expected) != 0);
		umount2(holder, MNT_DETACH);
	}
	kill(job, SIGKILL);
	waitpid(job, NULL, 0);
	unlink(out);
	unlink(java);
	unlink(holder);
	rmdir(job_dir);
	rmdir(dir);
}

/* A node of the test cluster (cgroup v1, every controller its own hierarchy, ProctrackType=proctrack/cgroup). */
static const char test_mountinfo[] =
	"31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755\n"
	"32 31 0:29 / /sys/fs/cgroup/cpu,cpuacct rw,relatime shared:9 - cgroup cgroup rw,cpu,cpuacct\n"
	"34 31 0:31 / /sys/fs/cgroup/cpuset rw,relatime - cgroup cgroup rw,cpuset\n"
	"35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory\n"
	"36 31 0:33 / /sys/fs/cgroup/devices rw,relatime - cgroup cgroup rw,devices\n"
	"37 31 0:34 / /sys/fs/cgroup/freezer rw,relatime - cgroup cgroup rw,freezer\n"
	"40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,xattr,name=systemd\n"
	"41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw\n";

/* slurmstepd of job 42 (uid 1000) at init_post_opt: only proctrack/cgroup has placed it, in the job's freezer. */
static const char test_started[] =
	"9:name=systemd:/\n"
	"6:freezer:/slurm_node1/uid_1000/job_42\n"
	"5:devices:/\n"
	"4:memory:/\n"
	"3:cpuset:/\n"
	"2:cpu,cpuacct:/\n"
	"0::/\n";

static const struct cgroup_move *move_of(const struct cgroup_move *moves, int count, const char *controllers)
{
	for (int i = 0; i < count; i++)
		if (strcmp(moves[i].controllers, controllers) == 0)
			return &moves[i];
	return NULL;
}

static void test_step_cgroups_on_cgroup_v1(void)
{
	/* at user_init task/cgroup has put slurmstepd in the step's memory and cpuset directories */
	static const char now[] =
		"9:name=systemd:/\n"
		"6:freezer:/slurm_node1/uid_1000/job_42\n"
		"5:devices:/\n"
		"4:memory:/slurm_node1/uid_1000/job_42/step_0\n"
		"3:cpuset:/slurm_node1/uid_1000/job_42/step_0\n"
		"2:cpu,cpuacct:/\n"
		"0::/\n";
	struct cgroup_move moves[CGROUP_HIERARCHIES_MAX];
	int count = step_cgroup_moves(test_started, now, test_mountinfo, 42, "0", moves, CGROUP_HIERARCHIES_MAX);
	CHECK(count == 5); /* every v1 hierarchy but the freezer: the caller keeps those where the step has a directory */
	CHECK(move_of(moves, count, "freezer") == NULL); /* the engine must outlive the step's signals */
	const struct cgroup_move *memory = move_of(moves, count, "memory");
	CHECK(memory != NULL
	      && strcmp(memory->into, "/sys/fs/cgroup/memory/slurm_node1/uid_1000/job_42/step_0/cgroup.procs") == 0
	      && strcmp(memory->back, "/sys/fs/cgroup/memory/cgroup.procs") == 0);
	const struct cgroup_move *devices = move_of(moves, count, "devices");
	CHECK(devices != NULL
	      && strcmp(devices->into, "/sys/fs/cgroup/devices/slurm_node1/uid_1000/job_42/step_0/cgroup.procs") == 0);
	const struct cgroup_move *cpu = move_of(moves, count, "cpu,cpuacct");
	CHECK(cpu != NULL
	      && strcmp(cpu->into, "/sys/fs/cgroup/cpu,cpuacct/slurm_node1/uid_1000/job_42/step_0/cgroup.procs") == 0);
	CHECK(move_of(moves, count, "") == NULL); /* cgroup v2 ("0::"): nothing to do */

	/* the batch step, and a het step's directory as slurmstepd's own names it */
	count = step_cgroup_moves(test_started, test_started, test_mountinfo, 42, "batch", moves, CGROUP_HIERARCHIES_MAX);
	memory = move_of(moves, count, "memory");
	CHECK(memory != NULL
	      && strcmp(memory->into, "/sys/fs/cgroup/memory/slurm_node1/uid_1000/job_42/step_batch/cgroup.procs") == 0);
	static const char het[] = "6:freezer:/slurm/uid_1000/job_42\n4:memory:/slurm/uid_1000/job_42/step_0+1\n";
	count = step_cgroup_moves("6:freezer:/\n4:memory:/\n", het, test_mountinfo, 42, "0", moves,
				  CGROUP_HIERARCHIES_MAX);
	CHECK(count == 1 && strcmp(moves[0].into, "/sys/fs/cgroup/memory/slurm/uid_1000/job_42/step_0+1/cgroup.procs") == 0);

	/* without proctrack/cgroup, task/cgroup's directories alone say where the step is */
	static const char linuxproc[] = "6:freezer:/\n4:memory:/slurm/uid_1000/job_42/step_3/task_0\n3:cpuset:/\n";
	count = step_cgroup_moves("6:freezer:/\n4:memory:/\n3:cpuset:/\n", linuxproc, test_mountinfo, 42, "3", moves,
				  CGROUP_HIERARCHIES_MAX);
	CHECK(count == 2 && strcmp(moves[0].into, "/sys/fs/cgroup/memory/slurm/uid_1000/job_42/step_3/cgroup.procs") == 0);

	char name[32];
	step_name(SLURM_BATCH_SCRIPT, name, sizeof(name));
	CHECK(strcmp(name, "batch") == 0);
	step_name(SLURM_INTERACTIVE_STEP, name, sizeof(name));
	CHECK(strcmp(name, "interactive") == 0);
	step_name(7, name, sizeof(name));
	CHECK(strcmp(name, "7") == 0);
}

static void test_no_step_cgroups_where_slurm_has_none(void)
{
	struct cgroup_move moves[CGROUP_HIERARCHIES_MAX];
	/* no cgroup plugin: slurmstepd is where slurmd was */
	static const char none[] = "6:freezer:/\n4:memory:/system.slice/slurmd.service\n0::/\n";
	CHECK(step_cgroup_moves(none, none, test_mountinfo, 42, "0", moves, CGROUP_HIERARCHIES_MAX) == 0);
	/* another job's directory, or a job_42 that is not below a uid_ directory, is not this step's */
	static const char other[] = "6:freezer:/slurm/uid_1000/job_421\n4:memory:/x/job_42/step_0\n";
	CHECK(step_cgroup_moves(other, other, test_mountinfo, 42, "0", moves, CGROUP_HIERARCHIES_MAX) == 0);
	/* cgroup v2 only: slurmstepd is in the step's own cgroup already */
	static const char v2[] = "0::/system.slice/slurmstepd.scope/job_42/step_0/slurm_processes\n";
	CHECK(step_cgroup_moves(v2, v2, "", 42, "0", moves, CGROUP_HIERARCHIES_MAX) == 0);
	/* a hierarchy mounted nowhere, or only part of it, below the step's directory, is left out */
	static const char mounts[] =
		"35 31 0:32 /slurm/uid_1000/job_9 /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n"
		"34 31 0:31 / /sys/fs/cgroup/cpu\\040set rw - cgroup cgroup rw,cpuset\n";
	static const char now[] = "6:freezer:/slurm/uid_1000/job_42\n4:memory:/\n3:cpuset:/\n2:pids:/\n";
	CHECK(step_cgroup_moves(now, now, mounts, 42, "0", moves, CGROUP_HIERARCHIES_MAX) == 0);
	/* a mount of part of a hierarchy that holds the step: paths below its root */
	static const char part[] = "35 31 0:32 /slurm /mnt/memory rw - cgroup cgroup rw,memory\n";
	static const char slurm[] = "4:memory:/slurm\n";
	static const char in_step[] = "4:memory:/slurm/uid_1000/job_42/step_0\n";
	CHECK(step_cgroup_moves(slurm, in_step, part, 42, "0", moves, CGROUP_HIERARCHIES_MAX) == 1
	      && strcmp(moves[0].into, "/mnt/memory/uid_1000/job_42/step_0/cgroup.procs") == 0
	      && strcmp(moves[0].back, "/mnt/memory/cgroup.procs") == 0);
	/* no more moves than there is room for */
	CHECK(step_cgroup_moves(test_started, test_started, test_mountinfo, 42, "0", moves, 2) == 2);
}

static void test_cgroup_moves_write_only_to_a_cgroup_file_system(void)
{
	char dir[] = "/tmp/jpyxis-cgroup-test-XXXXXX";
	CHECK(mkdtemp(dir) != NULL);
	char file[PATH_MAX], link[PATH_MAX];
	snprintf(file, sizeof(file), "%s/cgroup.procs", dir);
	snprintf(link, sizeof(link), "%s/link", dir);
	write_file(file, "", 0, 0600);
	CHECK(symlink(file, link) == 0);
	int failed = -2;
	const char *files[] = { file };
	CHECK(cgroup_move_all(getpid(), files, 1, &failed) < 0 && failed == 0 && errno == EXDEV);
	struct stat st;
	CHECK(stat(file, &st) == 0 && st.st_size == 0); /* not a cgroup file system: nothing written */
	const char *linked[] = { "/proc/self/cgroup", link };
	failed = -2;
	CHECK(cgroup_move_all(getpid(), linked, 2, &failed) < 0 && failed == 0);
	const char *through_link[] = { link };
	CHECK(cgroup_move_all(getpid(), through_link, 1, &failed) < 0 && failed == 0 && errno == ELOOP);
	CHECK(cgroup_move_all(getpid(), files, 0, &failed) == 0 && failed == -1);
	char text[CGROUP_TEXT_MAX];
	CHECK(cgroup_text("/proc/self/cgroup", text, sizeof(text)) == 0 && strchr(text, ':') != NULL);
	CHECK(cgroup_text("/proc/self/cgroup", text, 4) < 0); /* cut short: refused */
	unlink(link);
	unlink(file);
	rmdir(dir);
}

int main(void)
{
	test_framing();
	test_malformed_frames();
	test_plans();
	test_start_and_resume();
	test_start_with_mounts_inside();
	test_start_unshares_and_tasks_join_through_the_parent();
	test_start_wait_survives_an_interrupting_signal();
	test_plugstack_values();
	test_verdicts();
	test_keep_alives();
	test_private_directories();
	test_private_directory_in();
	test_large_frame_in_pieces();
	test_engine_failure();
	test_engine_oom_score();
	test_engine_stack_limit();
	test_start_with_a_3_mib_environment();
	test_random_frames();
	test_start_without_close_range();
	test_engine_stop_without_pidfd();
	test_engine_killed_before_answering_is_started_again();
	test_epilog_trace_ended();
	test_engine_gone_is_reaped_at_once();
	test_engine_in_the_jobs_mount_namespace();
	test_step_cgroups_on_cgroup_v1();
	test_no_step_cgroups_where_slurm_has_none();
	test_cgroup_moves_write_only_to_a_cgroup_file_system();
	if (failures)
		fprintf(stderr, "shim tests: %d failure(s)\n", failures);
	else
		printf("shim tests: all passed\n");
	return failures ? 1 : 0;
}
