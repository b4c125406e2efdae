# SPDX-License-Identifier: GPL-2.0
#
# skb paged fragment destructors: the series, its tooling and its tests.
# `make` runs the suite; `make check` is what CI runs.  See README.md.

SHELL := /bin/bash
S := scripts

.PHONY: test check deps base apply export export-check kunit checkpatch \
	apply-check bisect kasan sparse sizes cocci-test coccicheck convert \
	convert-check \
	convert-build bench bench-heads bench-fastpath bench-throughput \
	bench-bloat bench-sunrpc bench-ubuf bench-insns hardening summary clean \
	lab lab-short bench-lab \
	distclean

test:
	@bash $(S)/check.sh test

check:
	@bash $(S)/check.sh check

deps:
	@bash $(S)/deps.sh

base: deps
	@bash $(S)/base-tree.sh

apply: base
	@bash $(S)/apply.sh

export:
	@bash $(S)/export.sh

export-check:
	@CHECK=1 bash $(S)/export.sh

kunit: apply
	@bash $(S)/kunit.sh

checkpatch:
	@bash $(S)/checkpatch.sh

apply-check:
	@bash $(S)/apply-check.sh

bisect:
	@bash $(S)/bisect.sh

kasan:
	@bash $(S)/kasan.sh

sparse:
	@bash $(S)/sparse.sh

sizes:
	@bash $(S)/sizes.sh

cocci-test:
	@bash $(S)/cocci-test.sh

coccicheck:
	@bash $(S)/coccicheck.sh

convert:
	@mkdir -p build/cocci
	@bash $(S)/convert.sh > build/cocci/conversion.diff
	@echo "==> build/cocci/conversion.diff"

convert-check:
	@bash $(S)/convert-check.sh

convert-build:
	@bash $(S)/convert-build.sh

# Two kernels on a wire (issue 14): NFS between two UMLs of the KUnit
# build.  lab-short is the step make check runs.  See docs/lab.md.
lab: kunit
	@bash $(S)/lab.sh full

lab-short:
	@bash $(S)/lab.sh short

bench-lab:
	@bash $(S)/lab-bench.sh

# Evidence (issue 6): not part of make check.  See docs/results.md.
bench: sizes bench-heads bench-fastpath bench-throughput bench-bloat bench-sunrpc \
	bench-ubuf bench-insns hardening bench-lab

bench-heads:
	@bash $(S)/bench-heads.sh

bench-fastpath:
	@bash $(S)/bench-fastpath.sh

bench-throughput:
	@bash $(S)/bench-throughput.sh

bench-bloat:
	@bash $(S)/bench-bloat.sh

bench-sunrpc:
	@bash $(S)/bench-sunrpc.sh

# Issue 15: copy / msg_ubuf / destructors, correctness and cost.
bench-ubuf:
	@bash $(S)/bench-ubuf.sh

bench-insns:
	@bash $(S)/bench-insns.sh

hardening: apply
	@bash $(S)/hardening.sh

summary:
	@bash $(S)/summary.sh

# Build products only; keeps the base tree and the worktree.
clean:
	rm -rf build/kunit-uml build/kunit-kasan build/kunit-hardening \
		build/results build/cocci-tests \
		build/cocci build/x86-convert

distclean:
	rm -rf build
