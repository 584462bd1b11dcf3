// Kernels for ops TensorFlow.js lacks, computed by the built-in runtime itself. The names are
// plain data (for the op check); registerHostKernels loads TensorFlow.js (worker only).
export { HOST_KERNEL_OPS } from './names';
