// Imported first by extension.ts, so the bundle evaluates it before anything else: the activation
// time reported then covers loading the bundle as well as activate() itself.
const wallStart = performance.now();
const cpuStart = process.cpuUsage();

export interface ActivationTime {
  /** Wall-clock milliseconds: what the user waits, which includes time other processes took the CPU. */
  wallMs: number;
  /** CPU milliseconds the extension host spent: the extension's own cost, whatever the machine's load. */
  cpuMs: number;
}

export function activationTime(): ActivationTime {
  const cpu = process.cpuUsage(cpuStart);
  return { wallMs: performance.now() - wallStart, cpuMs: (cpu.user + cpu.system) / 1000 };
}
