// One line saying where a smoke test ran and, when a GPU was not used, why: for the status line of
// the editor's command and the top of its report. A software adapter is never called a GPU.
import type { SmokeReport } from './report';

export function deviceSummary(r: SmokeReport): string {
  const d = r.device;
  if (!d) return `could not run${r.error ? ` (${r.error.kind})` : ''}`;
  if (d.kind === 'gpu') return `ran on the GPU: ${shortName(d.name)} (${d.backend})`;
  if (d.kind === 'software') return `ran on ${d.backend} with a software adapter (${shortName(d.name)}), not a GPU`;
  const where = `ran on the CPU (${d.backend})`;
  return d.fallback ? `${where}: no GPU, ${firstReason(d.fallback)}` : where;
}

/** The fallback lists each backend tried ("webgpu: why; wasm: why"); the first says why no GPU. */
function firstReason(fallback: string): string {
  return fallback.split('; ')[0].replace(/^webgpu: /, '');
}

/** A status line is short: "llvmpipe: Mesa 25.0.7 (LLVM 15.0.6)" → "llvmpipe"; the report has it all. */
function shortName(name: string): string {
  return name.split(/[:(]/)[0].trim() || name;
}
