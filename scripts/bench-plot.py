#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Plot the skb head allocation against the linear size for each layout.

Usage: bench-plot.py <dir with heads-<layout>.tsv> <out.png>
"""
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

src, png = sys.argv[1], sys.argv[2]
fig, ax = plt.subplots(figsize=(10, 5.5))
styles = {"base": ("base 6.12", "-", 3.0),
          "series": ("tagged-pointer series", "--", 2.0),
          "2011": ("2011 layout (pointer per frag)", ":", 2.0)}
for layout, (label, ls, lw) in styles.items():
    xs, ys = [], []
    with open(f"{src}/heads-{layout}.tsv") as f:
        for line in f:
            size, got, _ = line.split("\t")
            xs.append(int(size))
            ys.append(int(got))
    ax.step(xs, ys, where="post", linestyle=ls, linewidth=lw, label=label)
ax.set_xlabel("linear size asked of alloc_skb() (bytes)")
ax.set_ylabel("ksize(skb->head) (bytes)")
ax.set_title("skb head allocation by linear size, measured in UML (x86_64 slab)")
ax.set_xlim(0, 4096)
ax.grid(True, alpha=0.3)
ax.legend(loc="upper left")
fig.tight_layout()
fig.savefig(png, dpi=100)
print(f"==> {png}")
