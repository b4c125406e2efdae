/* SPDX-License-Identifier: GPL-2.0 */
/* Empty: cocci-test.h declares what the tests use. */
