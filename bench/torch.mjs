// Runs a PyTorch script of the bench (Debian's python3-torch, on the system BLAS: with
// libopenblas0-openmp installed that is OpenBLAS) in a fresh process pinned to `threads`
// threads: torch.set_num_threads in the script, and the OpenMP/OpenBLAS thread counts here.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const PYTHON = "/usr/bin/python3";

/**
 * Runs `script` (a file in bench/) with `work` as JSON on stdin; returns its JSON output, or
 * `{ missing }` saying why PyTorch could not run.
 */
export function torchRun(script, work) {
  if (!existsSync(PYTHON)) return { missing: `${PYTHON} not found` };
  const file = fileURLToPath(new URL(`./${script}`, import.meta.url));
  const threads = String(work.threads ?? 1);
  const out = spawnSync(PYTHON, [file], {
    input: JSON.stringify(work),
    encoding: "utf8",
    maxBuffer: 1 << 26,
    env: {
      ...process.env,
      OMP_NUM_THREADS: threads,
      OPENBLAS_NUM_THREADS: threads,
      MKL_NUM_THREADS: threads,
    },
  });
  if (out.status !== 0) {
    // only a missing PyTorch skips the peer's row: any other failure is a bug to see
    if (out.stderr.includes("No module named 'torch'")) return { missing: "python3-torch is not installed" };
    throw new Error(`bench/${script} failed: ${out.stderr.trim().split("\n").pop()}`);
  }
  return JSON.parse(out.stdout);
}

/** One round of W2-W4 in PyTorch (bench/tensor_torch.py). */
export function torchRound(work) {
  return torchRun("tensor_torch.py", work);
}
