// The deployment target a check judges against: the machine type's size limit (or an explicit one).
// The limits have changed over the years, so they are settings with today's defaults.

export type MachineType = 'mls1' | 'n1';

/** Decimal units, as the service states them: 500 MB for legacy MLS1 machines, 10 GB for N1. */
export const MACHINE_LIMITS: Readonly<Record<MachineType, number>> = { mls1: 500_000_000, n1: 10_000_000_000 };

export interface CheckOptions {
  readonly machineType: MachineType;
  /** Overrides the machine type's limit, in bytes. */
  readonly maxSizeBytes?: number;
  /** Read every data shard and verify every entry's checksum (check --verify-data); else only ranges against shard lengths. */
  readonly verifyData?: boolean;
}

export const DEFAULT_OPTIONS: CheckOptions = { machineType: 'mls1' };

export interface SizeLimit {
  readonly bytes: number;
  /** Where the limit comes from: a machine type, or `max-size` when set explicitly. */
  readonly source: MachineType | 'max-size';
}

export function sizeLimit(o: CheckOptions): SizeLimit {
  return o.maxSizeBytes !== undefined ? { bytes: o.maxSizeBytes, source: 'max-size' } : { bytes: MACHINE_LIMITS[o.machineType], source: o.machineType };
}

export function isMachineType(s: string): s is MachineType {
  return s === 'mls1' || s === 'n1';
}
