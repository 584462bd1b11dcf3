// protoc (Debian protobuf-compiler, the C++ protobuf library) as the oracle for our codecs.
import { spawnSync } from 'node:child_process';
import { protoDir, protoFiles } from '../../server/src/core/protobuf/schema';

export function protocMissing(): string | undefined {
  const r = spawnSync('protoc', ['--version'], { encoding: 'utf8' });
  return r.status === 0 ? undefined : 'skipped: protoc is not installed (Debian package protobuf-compiler)';
}

export interface ProtocResult {
  ok: boolean;
  stdout: Buffer;
  stderr: string;
}

function run(args: string[], input: Uint8Array): ProtocResult {
  const r = spawnSync('protoc', [`-I${protoDir()}`, ...args, ...protoFiles()], {
    input, maxBuffer: 1 << 30, cwd: protoDir(),
  });
  return { ok: r.status === 0, stdout: r.stdout, stderr: r.stderr.toString() };
}

/** protoc --decode=TYPE: binary in, text out. */
export function protocDecode(bytes: Uint8Array, type = 'tensorflow.SavedModel'): ProtocResult {
  return run([`--decode=${type}`], bytes);
}

/** protoc --encode=TYPE: text in, binary out. */
export function protocEncode(text: Uint8Array | string, type = 'tensorflow.SavedModel'): ProtocResult {
  return run([`--encode=${type}`], typeof text === 'string' ? Buffer.from(text) : text);
}
