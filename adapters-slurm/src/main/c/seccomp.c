/*
 * The filter pyxis installs in each task (docs/pyxis-compatibility.md#seccomp-filter): identity-changing calls succeed
 * without doing anything, because an unprivileged user namespace maps a single id and package managers and daemons
 * would otherwise fail. Every other call runs normally; other ABIs (i386, x32, arm32 compat) are left alone.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "shim.h"

#if defined(__x86_64__)
#define FILTER_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define FILTER_ARCH AUDIT_ARCH_AARCH64
#elif defined(__powerpc64__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define FILTER_ARCH AUDIT_ARCH_PPC64LE
#else
#error "jpyxis's seccomp filter supports x86_64, aarch64 and ppc64le"
#endif

#ifndef SECCOMP_FILTER_FLAG_SPEC_ALLOW
#define SECCOMP_FILTER_FLAG_SPEC_ALLOW (1UL << 2)
#endif

#define LOAD_ARCH BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch))
#define LOAD_NR BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr))
#define LOAD_ARG0 BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[0]))
#define FAKE BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | 0)
#define ALLOW BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW)

int seccomp_install(void)
{
	struct sock_filter filter[] = {
		LOAD_ARCH,
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, FILTER_ARCH, 1, 0),
		ALLOW,
		LOAD_NR,
#if defined(__x86_64__)
		/* x32 system calls carry this bit: another ABI, left alone */
		BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, 0x40000000, 0, 1),
		ALLOW,
#endif
		/* setfsuid/setfsgid(-1) only query: let them run */
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_setfsuid, 2, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_setfsgid, 1, 0),
		BPF_JUMP(BPF_JMP | BPF_JA, 4, 0, 0),
		LOAD_ARG0,
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0xffffffff, 0, 1),
		ALLOW,
		FAKE,
#ifdef SYS_chown
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_chown, 0, 1),
		FAKE,
#endif
#ifdef SYS_lchown
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_lchown, 0, 1),
		FAKE,
#endif
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_fchown, 0, 1),
		FAKE,
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_fchownat, 0, 1),
		FAKE,
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_setuid, 0, 1),
		FAKE,
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_setgid, 0, 1),
		FAKE,
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_setreuid, 0, 1),
		FAKE,
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_setregid, 0, 1),
		FAKE,
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_setresuid, 0, 1),
		FAKE,
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_setresgid, 0, 1),
		FAKE,
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_setgroups, 0, 1),
		FAKE,
		ALLOW,
	};
	struct sock_fprog program = { .len = sizeof(filter) / sizeof(filter[0]), .filter = filter };
	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_SPEC_ALLOW, &program) == 0)
		return 0;
	if (errno != EINVAL)
		return -1;
	return (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &program);
}
