// The error the checkpoint readers throw for a corrupt, foreign or unreadable checkpoint: one
// line that names the file, entry or tensor at fault.

export class CheckpointError extends Error {}
