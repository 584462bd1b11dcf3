// Why shrink wrote nothing: the model cannot be turned into a serving-only copy (the message says
// why and where), or the output folder is not usable.
export class ShrinkError extends Error {}
